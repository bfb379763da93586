package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.metrics.PeerCall;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.ClientFailures;
import com.redhat.cloudoreg.policy.Guard;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sources, as the flow sees it: each read retried on transient failures only (in place only when
 * Sources asked for no longer a wait than the retry's pause: {@link Throttled}), bounded in time,
 * and behind Sources' breaker ({@link Guard}) so an outage fails fast instead of piling up events.
 */
@ApplicationScoped
@Timeout(Policy.PEER_CALL_TIMEOUT_MS)
@Retry(
    maxRetries = Policy.PEER_RETRIES,
    delay = Policy.PEER_RETRY_DELAY_MS,
    jitter = Policy.PEER_RETRY_JITTER_MS,
    maxDuration = Policy.PEER_RETRY_BUDGET_MS,
    retryOn = {TransientFailure.class, TimeoutException.class},
    abortOn = {
      SourcesNotFound.class,
      OwnCredentialsRejected.class,
      UnexpectedAnswer.class,
      Throttled.Longer.class
    })
public class SourcesGateway {
  private final SourcesClient client;
  private final Guard guard;
  private final boolean pskSet;

  @Inject
  public SourcesGateway(
      @RestClient SourcesClient client,
      Guard guard,
      @ConfigProperty(name = "SOURCES_PSK") Optional<String> psk) {
    this.client = client;
    this.guard = guard;
    this.pskSet = psk != null && psk.filter(value -> !value.isBlank()).isPresent();
  }

  /** Constructor for CDI's proxy. */
  protected SourcesGateway() {
    this(null, null, null);
  }

  @PeerCall(peer = "sources", call = "application_types")
  public Optional<String> applicationTypeId(String name) {
    return ifFound(false, () -> client.applicationTypes(name))
        .map(Page::items)
        .orElse(List.of())
        .stream()
        .filter(type -> name.equals(type.name()))
        .map(ApplicationType::id)
        .findFirst();
  }

  @PeerCall(peer = "sources", call = "application")
  public Optional<Application> application(Caller caller, long id) {
    return ifFound(
        caller.redrive(),
        () ->
            client.application(
                caller.orgId(), caller.accountNumberOrNull(), caller.requestId(), id));
  }

  /**
   * The authentication as the public API shows it: never its secret {@code password}, which is read
   * only once the flow knows the application is ours and needs it ({@link #withSecretIfNeeded}).
   */
  @PeerCall(peer = "sources", call = "authentication")
  public Optional<Authentication> authentication(Caller caller, long id) {
    return ifFound(
        caller.redrive(),
        () ->
            client.authentication(
                caller.orgId(), caller.accountNumberOrNull(), caller.requestId(), id));
  }

  @PeerCall(peer = "sources", call = "source")
  public Optional<Source> source(Caller caller, long id) {
    return ifFound(
        caller.redrive(),
        () -> client.source(caller.orgId(), caller.accountNumberOrNull(), caller.requestId(), id));
  }

  @PeerCall(peer = "sources", call = "source_type")
  public Optional<SourceType> sourceType(Caller caller, long id) {
    return ifFound(
        caller.redrive(),
        () ->
            client.sourceType(
                caller.orgId(), caller.accountNumberOrNull(), caller.requestId(), id));
  }

  /**
   * The application's authentications, the public view (no secret fields); empty when the
   * application is gone. One call that answers both "does it still exist" and "what is its grant
   * now": Sources answers 404 for the list of an application it no longer has.
   */
  @PeerCall(peer = "sources", call = "application_authentications")
  public Optional<List<Authentication>> authenticationsOf(Caller caller, long applicationId) {
    return ifFound(
            caller.redrive(),
            () ->
                client.applicationAuthentications(
                    caller.orgId(),
                    caller.accountNumberOrNull(),
                    caller.requestId(),
                    applicationId))
        .map(Page::items);
  }

  @PeerCall(peer = "sources", call = "source_applications")
  public List<Application> applicationsOf(Caller caller, long sourceId) {
    return ifFound(
            caller.redrive(),
            () ->
                client.sourceApplications(
                    caller.orgId(), caller.accountNumberOrNull(), caller.requestId(), sourceId))
        .map(Page::items)
        .orElse(List.of());
  }

  /**
   * The application's current Cloud Meter grant (its Cloud Meter authentication before any other);
   * the secret field read only when the grant is kept there.
   */
  @PeerCall(peer = "sources", call = "current_grant")
  public Optional<Authentication> currentGrant(Caller caller, long applicationId) {
    return authenticationsOf(caller, applicationId).stream()
        .flatMap(List::stream)
        .min(Authentication.CLOUD_METER_FIRST)
        .flatMap(listed -> withSecretIfNeeded(caller, listed));
  }

  /**
   * The authentication (its public view) with its secret {@code password} read too when {@code
   * username} holds no grant — older sources keep the ARN there: what we need, no more.
   */
  @PeerCall(peer = "sources", call = "authentication_secret")
  public Optional<Authentication> withSecretIfNeeded(Caller caller, Authentication listed) {
    if (!listed.grantOnlyInPassword()) {
      return Optional.of(listed);
    }
    return ifFound(
        caller.redrive(),
        () ->
            client.authenticationWithPassword(
                caller.orgId(),
                caller.accountNumberOrNull(),
                caller.requestId(),
                Long.parseLong(listed.id())));
  }

  /**
   * A page of every source, across tenants, for the reconciliation; empty past the last. Sources
   * answers a page past the end with an empty list, so a 404 is no page at all (a route that is not
   * there): the walk must stop unread, never take what it has for the whole list.
   */
  @PeerCall(peer = "sources", call = "every_source")
  public List<ListedSource> everySource(int offset, int limit) {
    return ifFound(false, () -> client.everySource(limit, offset))
        .map(Page::items)
        .orElseThrow(
            () -> new UnexpectedAnswer("Sources answered 404 for its list of every source"));
  }

  /**
   * A read of something Sources may not have (deleted meanwhile, or not the tenant's). A transport
   * failure is an outage like a 5xx, retried; an answer that does not read is unexpected ({@link
   * ClientFailures}).
   */
  private <T> Optional<T> ifFound(boolean redrive, Supplier<T> read) {
    if (!pskSet) {
      // Sources refuses every call without it: an outage of ours (readiness names the setting),
      // never a request sent to be refused
      throw new OwnCredentialsRejected("SOURCES_PSK is not set: no call made to Sources");
    }
    try {
      return Optional.of(guard.call(Guard.Peer.SOURCES, redrive, read));
    } catch (SourcesNotFound gone) {
      return Optional.empty();
    } catch (ProcessingException noAnswerOrUnreadable) {
      throw ClientFailures.of("Sources", noAnswerOrUnreadable);
    }
  }
}
