package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.Application;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.Cloud;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.SourceTypes;
import com.redhat.cloudoreg.sources.SourcesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * The trust use cases, on plain ids: establish, re-verify, check a source, remove, take back. Each
 * reads like the sequence diagram — the application, its grant and the grant's cloud, the
 * verification, the change at RHSM, the fence — and ends in a {@link Decision}; what is published,
 * logged, retried and acknowledged is the caller's business.
 *
 * <p>Three rules shape every path. Until the application is known to be Cloud Meter's and its
 * grant's cloud known, a failure is no verdict ({@link Outcome#TYPE_UNKNOWN}): nothing changes.
 * Only known failures become outcomes: a bug is thrown on, never dressed up as an outage. And every
 * write to RHSM is followed by the fence: Sources is read again, and when the application is gone
 * or its grant is no longer the one verified, the decision says so and carries the account written,
 * for the caller to take back (docs/architecture.md, "Two pods").
 */
@ApplicationScoped
public class TrustFlow {
  private final SourcesGateway sources;
  private final CloudMeterType cloudMeter;
  private final SourceTypes sourceTypes;
  private final StsVerifier sts;
  private final AzureVerifier azure;
  private final TrustRegistrar trust;

  @Inject
  public TrustFlow(
      SourcesGateway sources,
      CloudMeterType cloudMeter,
      SourceTypes sourceTypes,
      StsVerifier sts,
      AzureVerifier azure,
      TrustRegistrar trust) {
    this.sources = sources;
    this.cloudMeter = cloudMeter;
    this.sourceTypes = sourceTypes;
    this.sts = sts;
    this.azure = azure;
    this.trust = trust;
  }

  protected TrustFlow() {
    this(null, null, null, null, null, null);
  }

  /**
   * An authentication of an application, new or changed: its grant verified, trust established. For
   * a changed one (a replacement) the caller then removes the source's other accounts, or all of
   * them when the new grant is refused: the new one first, never a moment without trust.
   */
  public Decision establish(Caller caller, long applicationId, long authenticationId) {
    return onApplication(
        caller, applicationId, () -> sources.authentication(caller, authenticationId));
  }

  /** An application checked again (unpaused): its current grant verified, its trust ensured. */
  public Decision reverify(Caller caller, long applicationId) {
    return onApplication(caller, applicationId, () -> currentGrant(caller, applicationId));
  }

  /**
   * Sources' availability check: each Cloud Meter application of the source verified again. When
   * the source's applications cannot be listed now, one {@link Outcome#TYPE_UNKNOWN} decision.
   */
  public List<CheckedApplication> checkSource(Caller caller, long sourceId) {
    List<Application> applications;
    try {
      applications =
          sources.applicationsOf(caller, sourceId).stream()
              .filter(cloudMeter::isCloudMeter)
              .toList();
    } catch (PeerFailure | FaultToleranceException unknown) {
      return List.of(
          new CheckedApplication(
              Optional.empty(),
              Decision.of(
                  Outcome.TYPE_UNKNOWN, Long.toString(sourceId), Outcomes.describe(unknown))));
    }
    return applications.stream()
        .map(
            application -> {
              long id = Long.parseLong(application.id());
              return new CheckedApplication(
                  Optional.of(id),
                  verifyAndChange(caller, application, () -> currentGrant(caller, id)));
            })
        .toList();
  }

  /** One application of a source check, and what was decided for it. */
  public record CheckedApplication(Optional<Long> applicationId, Decision decision) {}

  /** The rest of a trusted replacement: the source's accounts but the one just trusted go. */
  public Decision removeAllBut(Caller caller, String sourceId, TrustedAccount kept) {
    return removal(
        sourceId,
        () -> {
          int removed =
              trust.removeAllBut(
                  caller, Provider.valueOf(kept.provider()), kept.accountId(), sourceId);
          return removed + " replaced account(s) of source " + sourceId + " removed";
        });
  }

  /**
   * An application destroyed: its source's trust ends, if it was Cloud Meter's, and an Azure
   * subscription's Lighthouse delegation to us with it (best effort, as cloudigrade did).
   */
  public Decision removeIfCloudMeter(Caller caller, long sourceId, long applicationTypeId) {
    String source = Long.toString(sourceId);
    try {
      if (!cloudMeter.isCloudMeter(applicationTypeId)) {
        return Decision.of(Outcome.NOT_OURS, source, "not a Cloud Meter app");
      }
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.of(Outcome.TYPE_UNKNOWN, source, Outcomes.describe(unknown));
    }
    return removal(
        source,
        () -> {
          List<String> subscriptions =
              azure.configured() ? trust.sourceAccounts(caller, Provider.MSAZ, source) : List.of();
          trust.remove(caller, source);
          // best effort, after the trust is gone: logged and counted by the verifier
          subscriptions.stream().map(SubscriptionId::parse).forEach(azure::endDelegation);
          return "trust of source " + source + " removed";
        });
  }

  /**
   * The source's trust ends at RHSM: its grant was replaced by one the customer must fix. Their
   * Azure delegation stays: correcting a typo must not mean deploying the offer again.
   */
  public Decision removeTrust(Caller caller, String sourceId) {
    return removal(
        sourceId,
        () -> {
          trust.remove(caller, sourceId);
          return "trust of source " + sourceId + " removed";
        });
  }

  /**
   * What a fenced decision wrote and must not keep ({@link Decision#leftTrustBehind}): the
   * application gone, its source's trust ends; its grant replaced meanwhile, the account written
   * goes if RHSM holds it for this source (never one the org added by hand).
   */
  public Decision takeBack(Caller caller, Decision left) {
    String sourceId = left.sourceId().orElseThrow();
    TrustedAccount written = left.trusted().orElseThrow();
    return removal(
        sourceId,
        () -> {
          if (left.outcome() == Outcome.APPLICATION_GONE) {
            trust.remove(caller, sourceId);
          } else {
            trust.removeIfHeldForSource(
                caller, Provider.valueOf(written.provider()), written.accountId(), sourceId);
          }
          return written.provider() + " account " + written.accountId() + " taken back";
        });
  }

  private Decision onApplication(
      Caller caller, long applicationId, Supplier<Optional<Authentication>> grant) {
    Optional<Application> application;
    try {
      application = sources.application(caller, applicationId);
      if (application.isPresent() && !cloudMeter.isCloudMeter(application.get())) {
        return Decision.of(
            Outcome.NOT_OURS, application.get().sourceId(), "not a Cloud Meter application");
      }
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.of(Outcome.TYPE_UNKNOWN, null, Outcomes.describe(unknown));
    }
    return application
        .map(found -> verifyAndChange(caller, found, grant))
        .orElseGet(
            () -> Decision.of(Outcome.APPLICATION_GONE, null, "application not found in Sources"));
  }

  private Decision verifyAndChange(
      Caller caller, Application application, Supplier<Optional<Authentication>> grantRead) {
    String sourceId = application.sourceId();
    // 1. The grant, and its cloud: no verdict until both are known.
    Optional<Authentication> grant;
    Optional<Decision> notOurs;
    try {
      grant = grantRead.get();
    } catch (PeerFailure | FaultToleranceException unread) {
      return grantUnread(caller, sourceId, unread);
    }
    try {
      notOurs = notOurs(caller, sourceId, grant);
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.of(Outcome.TYPE_UNKNOWN, sourceId, Outcomes.describe(unknown));
    }
    if (notOurs.isPresent()) {
      return notOurs.get();
    }
    // 2. The grant verified; 3. the trust established; 4. the fence.
    try {
      Authentication authentication =
          grant.orElseThrow(
              () ->
                  new Rejection(
                      Outcome.AUTHENTICATION_MISSING, "authentication not found in Sources"));
      checkAttachedTo(authentication, application.id());
      if (Authentication.CLOUD_METER_ARN.equals(authentication.authtype())
          && authentication.externalId().isEmpty()) {
        return keepTrustWithoutExternalId(caller, roleArnOf(authentication), sourceId);
      }
      TrustedAccount account = verified(caller, authentication);
      trust.establish(caller, Provider.valueOf(account.provider()), account.accountId(), sourceId);
      return fenced(caller, application, authentication, account);
    } catch (Rejection | PeerFailure | FaultToleranceException known) {
      return Decision.failed(known, sourceId);
    }
  }

  /** The grant verified with its cloud: the account it proves to be the customer's. */
  private TrustedAccount verified(Caller caller, Authentication authentication) {
    return switch (authentication.authtype()) {
      case Authentication.CLOUD_METER_ARN -> {
        RoleArn role = roleArnOf(authentication);
        sts.verify(role, authentication.externalId(), caller.redrive());
        yield new TrustedAccount(Provider.AWS.name(), role.accountId());
      }
      case Authentication.LIGHTHOUSE_SUBSCRIPTION_ID -> {
        SubscriptionId subscription = SubscriptionId.parse(authentication.username());
        azure.verify(subscription, caller.redrive());
        yield new TrustedAccount(Provider.MSAZ.name(), subscription.value());
      }
      default ->
          throw new Rejection(
              Outcome.UNSUPPORTED_AUTHTYPE, "unsupported authtype " + authentication.authtype());
    };
  }

  /**
   * When the grant is not one we verify: a Google source (Sources marks those itself), an Azure one
   * where Azure is not configured — or else a setup the customer must fix (empty: the verification
   * refuses it). The source's type is read only here, where the grant cannot tell the cloud.
   */
  private Optional<Decision> notOurs(
      Caller caller, String sourceId, Optional<Authentication> grant) {
    String authtype = grant.map(Authentication::authtype).orElse("");
    if (Authentication.CLOUD_METER_ARN.equals(authtype)) {
      return Optional.empty();
    }
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
              Outcome.AZURE_NOT_CONFIGURED,
              sourceId,
              "Azure source: Azure is not configured here"));
    }
    return Optional.empty();
  }

  /**
   * The grant could not be read: ours to finish (CG3100) once the source's type says it is ours to
   * verify at all — a Google source, or an Azure one where Azure is not configured, gets no word —
   * and no verdict while that is unknown too.
   */
  private Decision grantUnread(Caller caller, String sourceId, RuntimeException unread) {
    try {
      Cloud cloud = sourceTypes.cloudOf(caller, sourceId).orElse(Cloud.OTHER);
      if (cloud == Cloud.GOOGLE || (cloud == Cloud.AZURE && !azure.configured())) {
        return Decision.of(Outcome.TYPE_UNKNOWN, sourceId, Outcomes.describe(unread));
      }
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.of(Outcome.TYPE_UNKNOWN, sourceId, Outcomes.describe(unknown));
    }
    return Decision.failed(unread, sourceId);
  }

  /**
   * A role without an external id is never newly trusted (anyone who learnt its ARN could claim
   * it); trust RHSM already holds for this very source is kept while the role still works. Nothing
   * is written, so there is nothing to fence.
   */
  private Decision keepTrustWithoutExternalId(Caller caller, RoleArn role, String sourceId) {
    if (!trust.holdsForSource(caller, Provider.AWS, role.accountId(), sourceId)) {
      throw new Rejection(Outcome.NO_EXTERNAL_ID, "role without external id, not trusted yet");
    }
    sts.verify(role, Optional.empty(), caller.redrive());
    return Decision.withTrust(
        Outcome.TRUSTED,
        sourceId,
        "kept trust of account " + role.accountId() + " (no external id)",
        new TrustedAccount(Provider.AWS.name(), role.accountId()));
  }

  /**
   * The fence, after the write: the application and its grants read again in one call. Still there
   * and still the grant verified: trusted. Otherwise someone changed Sources while we verified (a
   * destroy, an update, on this pod or another): the decision carries what we wrote, to be taken
   * back.
   */
  private Decision fenced(
      Caller caller, Application application, Authentication verified, TrustedAccount account) {
    String sourceId = application.sourceId();
    String trusted = account.provider() + " account " + account.accountId();
    Optional<List<Authentication>> now =
        sources.authenticationsOf(caller, Long.parseLong(application.id()));
    if (now.isEmpty()) {
      return Decision.withTrust(
          Outcome.APPLICATION_GONE,
          sourceId,
          "application destroyed meanwhile; " + trusted,
          account);
    }
    Optional<Authentication> current =
        now.get().stream()
            .filter(listed -> listed.id().equals(verified.id()))
            .findFirst()
            // the list is the public view: a grant kept in the secret field is read again
            .flatMap(
                listed ->
                    verified.grantOnlyInPassword()
                        ? sources.authentication(caller, Long.parseLong(listed.id()))
                        : Optional.of(listed));
    return current.filter(verified::sameGrantAs).isPresent()
        ? Decision.withTrust(Outcome.TRUSTED, sourceId, "trusted " + trusted, account)
        : Decision.withTrust(
            Outcome.GRANT_REPLACED, sourceId, "grant replaced meanwhile; " + trusted, account);
  }

  /** The application's current Cloud Meter grant, its secret field read only when needed. */
  private Optional<Authentication> currentGrant(Caller caller, long applicationId) {
    return sources.authenticationsOf(caller, applicationId).stream()
        .flatMap(List::stream)
        .min(Authentication.CLOUD_METER_FIRST)
        .flatMap(
            listed ->
                listed.grantOnlyInPassword()
                    ? sources.authentication(caller, Long.parseLong(listed.id()))
                    : Optional.of(listed));
  }

  private static void checkAttachedTo(Authentication authentication, String applicationId) {
    if (!Authentication.APPLICATION_RESOURCE.equals(authentication.resourceType())) {
      throw new Rejection(
          Outcome.WRONG_RESOURCE_TYPE, "resource type " + authentication.resourceType());
    }
    if (!applicationId.equals(authentication.resourceId())) {
      throw new Rejection(
          Outcome.WRONG_RESOURCE_TYPE,
          "authentication belongs to resource " + authentication.resourceId());
    }
  }

  private static RoleArn roleArnOf(Authentication authentication) {
    return RoleArn.parse(
        authentication
            .arn()
            .orElseThrow(() -> new Rejection(Outcome.NO_ARN, "neither username nor password")));
  }

  /** A removal: confirmed, or unconfirmed for any failure we know (retried by the caller). */
  private static Decision removal(String sourceId, Supplier<String> remove) {
    try {
      return Decision.of(Outcome.TRUST_REMOVED, sourceId, remove.get());
    } catch (Rejection | PeerFailure | FaultToleranceException known) {
      return Decision.of(Outcome.REMOVAL_UNCONFIRMED, sourceId, Outcomes.describe(known));
    }
  }
}
