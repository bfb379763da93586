package com.redhat.cloudoreg.outcome;

import java.util.Optional;

/**
 * What an authentication grants us, as a decision was made on it: the authentication, its type, the
 * role ARN or subscription id, the external id. Two reads of an authentication grant the same when
 * these are equal; anything else of it may change without changing the grant.
 */
public record Grant(
    String authenticationId, String authtype, Optional<String> value, Optional<String> externalId) {

  /** Never prints the value nor the external id: a log line names the authentication only. */
  @Override
  public String toString() {
    return "Grant[authentication=%s, authtype=%s]".formatted(authenticationId, authtype);
  }
}
