package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.Cloud;
import com.redhat.cloudoreg.sources.SourceTypes;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * A grant, read as the flow reads it: whose cloud it is (the authtype says, the source's type only
 * where the authtype cannot), whether it is ours to verify at all, and the verification that turns
 * it into the cloud account it proves to be the customer's.
 */
final class Grants {
  private final SourceTypes sourceTypes;
  private final StsVerifier sts;
  private final AzureVerifier azure;

  Grants(SourceTypes sourceTypes, StsVerifier sts, AzureVerifier azure) {
    this.sourceTypes = sourceTypes;
    this.sts = sts;
    this.azure = azure;
  }

  /**
   * When the grant is not one we verify: a Google source (Sources marks those itself), an Azure one
   * where Azure is not configured — no verdict either while the source's type cannot be read. Empty
   * when it is ours (a missing or unsupported grant is then the customer's to fix). The source's
   * type is read only here, where the grant cannot tell the cloud.
   */
  Optional<Decision> notOurs(Caller caller, String sourceId, Optional<Authentication> grant) {
    String authtype = grant.map(Authentication::authtype).orElse("");
    if (Authentication.CLOUD_METER_ARN.equals(authtype)) {
      return Optional.empty();
    }
    try {
      Cloud cloud =
          Authentication.LIGHTHOUSE_SUBSCRIPTION_ID.equals(authtype)
              ? Cloud.AZURE
              : sourceTypes.cloudOf(caller, sourceId).orElse(Cloud.OTHER);
      if (cloud == Cloud.GOOGLE) {
        return Optional.of(
            Decision.of(Outcome.NOT_OURS, sourceId, "Google source: Sources' own business"));
      }
      if (cloud == Cloud.AZURE && !azure.configured()) {
        return Optional.of(
            Decision.of(
                Outcome.AZURE_NOT_CONFIGURED, sourceId, "Azure source: Azure is not configured"));
      }
      return Optional.empty();
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Optional.of(Decision.because(Outcome.TYPE_UNKNOWN, sourceId, unknown));
    }
  }

  /**
   * The grant could not be read: ours to finish (CG3100) once the source's type says it is ours to
   * verify at all — a Google source, or an Azure one where Azure is not configured, gets no word —
   * and no verdict while that is unknown too.
   */
  Decision unread(Caller caller, String sourceId, RuntimeException unread) {
    return notOurs(caller, sourceId, Optional.empty())
        .map(notOurs -> Decision.because(Outcome.TYPE_UNKNOWN, sourceId, unread))
        .orElseGet(() -> Decision.failed(unread, sourceId));
  }

  /**
   * The grant verified with its cloud: the account it proves to be the customer's. Throws the
   * customer's {@link Rejection} or a peer's failure.
   */
  TrustedAccount verify(Caller caller, Authentication grant, String applicationId) {
    checkAttachedTo(grant, applicationId);
    return switch (grant.authtype()) {
      case Authentication.CLOUD_METER_ARN -> {
        RoleArn role = roleArnOf(grant);
        sts.verify(role, grant.externalId(), caller.redrive());
        yield new TrustedAccount(Provider.AWS.name(), role.accountId());
      }
      case Authentication.LIGHTHOUSE_SUBSCRIPTION_ID -> {
        SubscriptionId subscription = SubscriptionId.parse(grant.username());
        azure.verify(subscription, caller.redrive());
        yield new TrustedAccount(Provider.MSAZ.name(), subscription.value());
      }
      default ->
          throw new Rejection(
              Outcome.UNSUPPORTED_AUTHTYPE, "unsupported authtype " + grant.authtype());
    };
  }

  /** A role without an external id, still assumable (what keeps trust already held). */
  TrustedAccount verifyWithoutExternalId(Caller caller, Authentication grant) {
    RoleArn role = roleArnOf(grant);
    sts.verify(role, Optional.empty(), caller.redrive());
    return new TrustedAccount(Provider.AWS.name(), role.accountId());
  }

  /** An AWS grant that names no external id. */
  static boolean lacksExternalId(Authentication grant) {
    return Authentication.CLOUD_METER_ARN.equals(grant.authtype()) && grant.externalId().isEmpty();
  }

  /** The account an AWS grant of the application names, checked without calling AWS. */
  static String accountOf(Authentication grant, String applicationId) {
    checkAttachedTo(grant, applicationId);
    return roleArnOf(grant).accountId();
  }

  /**
   * The account a grant of the application names, read without calling its cloud; none when the
   * grant names no account we could trust (another resource, an authtype or value we refuse).
   */
  static Optional<TrustedAccount> accountNamed(Authentication grant, String applicationId) {
    try {
      checkAttachedTo(grant, applicationId);
      return switch (grant.authtype()) {
        case Authentication.CLOUD_METER_ARN ->
            Optional.of(new TrustedAccount(Provider.AWS.name(), roleArnOf(grant).accountId()));
        case Authentication.LIGHTHOUSE_SUBSCRIPTION_ID ->
            Optional.of(
                new TrustedAccount(
                    Provider.MSAZ.name(), SubscriptionId.parse(grant.username()).value()));
        default -> Optional.empty();
      };
    } catch (Rejection refused) {
      return Optional.empty();
    }
  }

  private static void checkAttachedTo(Authentication grant, String applicationId) {
    if (!Authentication.APPLICATION_RESOURCE.equals(grant.resourceType())) {
      throw new Rejection(Outcome.WRONG_RESOURCE_TYPE, "resource type " + grant.resourceType());
    }
    if (!applicationId.equals(grant.resourceId())) {
      throw new Rejection(
          Outcome.WRONG_RESOURCE_TYPE, "authentication belongs to resource " + grant.resourceId());
    }
  }

  private static RoleArn roleArnOf(Authentication grant) {
    return RoleArn.parse(
        grant
            .arn()
            .orElseThrow(() -> new Rejection(Outcome.NO_ARN, "neither username nor password")));
  }
}
