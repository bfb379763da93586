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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * The trust use cases, on plain ids: establish, re-verify, replace, remove, check a source. Each
 * reads like the sequence diagram — the application and its type, the source's cloud, the grant,
 * its verification, the change at RHSM — and ends in a {@link Decision}; what is published, logged
 * and acknowledged is the caller's business.
 *
 * <p>Two rules shape every path. Until the application is known to be Cloud Meter's (and its
 * source's cloud known), a failure is no verdict: {@link Outcome#TYPE_UNKNOWN}, nothing changes.
 * And only known failures become outcomes: a bug is thrown on, never dressed up as an outage.
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

  /** A new authentication of an application: verify its grant, establish the trust. */
  public Decision establish(Caller caller, long applicationId, long authenticationId) {
    return verifyAndChange(caller, applicationId, () -> Optional.of(authenticationId));
  }

  /** An application checked again (unpaused, or Sources' availability check). */
  public Decision reverify(Caller caller, long applicationId) {
    return verifyAndChange(
        caller, applicationId, () -> sources.authenticationIdOf(caller, applicationId));
  }

  /**
   * The customer changed the application's grant: RHSM is to hold the new account instead of the
   * old one. The new one is established first; the caller then removes the source's other accounts
   * ({@link #removeAllBut}), or — when the new grant is refused — all of them ({@link #remove}),
   * since the customer replaced them. Never a moment without trust.
   */
  public Decision replace(Caller caller, long applicationId, long authenticationId) {
    return establish(caller, applicationId, authenticationId);
  }

  /** The source's accounts but the one just trusted are removed (the rest of a replacement). */
  public Decision removeAllBut(Caller caller, String sourceId, TrustedAccount kept) {
    try {
      int removed =
          trust.removeAllBut(caller, Provider.valueOf(kept.provider()), kept.accountId(), sourceId);
      return Decision.of(
          removed == 0 ? Outcome.NOT_OURS : Outcome.TRUST_REMOVED,
          sourceId,
          removed + " replaced account(s) of source " + sourceId + " removed");
    } catch (Rejection | PeerFailure | FaultToleranceException known) {
      return Decision.failed(known, sourceId);
    }
  }

  /** An application was destroyed: its source's trust ends, if it was Cloud Meter's. */
  public Decision removeIfCloudMeter(Caller caller, long sourceId, long applicationTypeId) {
    try {
      if (!cloudMeter.isCloudMeter(applicationTypeId)) {
        return Decision.of(Outcome.NOT_OURS, Long.toString(sourceId), "not a Cloud Meter app");
      }
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.of(Outcome.TYPE_UNKNOWN, Long.toString(sourceId), Outcomes.describe(unknown));
    }
    return remove(caller, Long.toString(sourceId));
  }

  /**
   * The source's trust ends (source destroyed, or its grant replaced by a refused one). An Azure
   * subscription's Lighthouse delegation to us is also removed, best effort, as cloudigrade did.
   */
  public Decision remove(Caller caller, String sourceId) {
    try {
      List<String> subscriptions =
          azure.configured() ? trust.sourceAccounts(caller, Provider.MSAZ, sourceId) : List.of();
      trust.remove(caller, sourceId);
      subscriptions.stream().map(SubscriptionId::parse).forEach(azure::removeDelegation);
      return Decision.of(
          Outcome.TRUST_REMOVED, sourceId, "trust of source " + sourceId + " removed");
    } catch (Rejection | PeerFailure | FaultToleranceException known) {
      return Decision.failed(known, sourceId);
    }
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
    List<CheckedApplication> checked = new ArrayList<>();
    for (Application application : applications) {
      long applicationId = Long.parseLong(application.id());
      checked.add(
          new CheckedApplication(Optional.of(applicationId), reverify(caller, applicationId)));
    }
    return checked;
  }

  /** One application of a source check, and what was decided for it. */
  public record CheckedApplication(Optional<Long> applicationId, Decision decision) {}

  private Decision verifyAndChange(
      Caller caller, long applicationId, Supplier<Optional<Long>> authenticationId) {
    // 1. Whose is it, and which cloud: no verdict until both are known.
    Application application;
    Cloud cloud;
    try {
      Optional<Application> found = sources.application(caller, applicationId);
      if (found.isEmpty()) {
        return Decision.of(Outcome.APPLICATION_GONE, null, "application not found in Sources");
      }
      application = found.get();
      if (!cloudMeter.isCloudMeter(application)) {
        return Decision.of(
            Outcome.NOT_OURS, application.sourceId(), "not a Cloud Meter application");
      }
      Optional<Cloud> sourceCloud = sourceTypes.cloudOf(caller, application.sourceId());
      if (sourceCloud.isEmpty()) {
        return Decision.of(
            Outcome.APPLICATION_GONE, application.sourceId(), "source not found in Sources");
      }
      cloud = sourceCloud.get();
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.of(Outcome.TYPE_UNKNOWN, null, Outcomes.describe(unknown));
    }
    String sourceId = application.sourceId();
    if (cloud == Cloud.GOOGLE) {
      // Sources marks Google sources itself: they have no authentication for us to verify
      return Decision.of(Outcome.NOT_OURS, sourceId, "Google source: Sources' own business");
    }
    if (cloud == Cloud.AZURE && !azure.configured()) {
      return Decision.of(
          Outcome.AZURE_NOT_CONFIGURED, sourceId, "Azure source: Azure is not configured here");
    }

    // 2. The grant, verified; 3. the trust changed; 4. the application still there.
    try {
      Authentication authentication =
          authenticationId
              .get()
              .flatMap(id -> sources.authentication(caller, id))
              .orElseThrow(
                  () ->
                      new Rejection(
                          Outcome.AUTHENTICATION_MISSING, "authentication not found in Sources"));
      checkAttachedTo(authentication, applicationId);
      // the grant's own type says how it is verified; the source's type only decided above
      // whether it is ours to verify at all
      return switch (authentication.authtype()) {
        case Authentication.CLOUD_METER_ARN ->
            trustRole(caller, applicationId, authentication, sourceId);
        case Authentication.LIGHTHOUSE_SUBSCRIPTION_ID ->
            azure.configured()
                ? trustSubscription(caller, applicationId, authentication, sourceId)
                : Decision.of(
                    Outcome.AZURE_NOT_CONFIGURED, sourceId, "Azure is not configured here");
        default ->
            throw new Rejection(
                Outcome.UNSUPPORTED_AUTHTYPE, "unsupported authtype " + authentication.authtype());
      };
    } catch (Rejection | PeerFailure | FaultToleranceException known) {
      return Decision.failed(known, sourceId);
    }
  }

  /** AWS: the role assumed with its external id, its account registered as provider AWS. */
  private Decision trustRole(
      Caller caller, long applicationId, Authentication authentication, String sourceId) {
    RoleArn role = roleArnOf(authentication);
    Optional<String> externalId = authentication.externalId();
    if (externalId.isEmpty()) {
      return keepTrustWithoutExternalId(caller, role, sourceId);
    }
    sts.verify(role, externalId);
    trust.establish(caller, Provider.AWS, role.accountId(), sourceId);
    return fenced(
        caller,
        applicationId,
        sourceId,
        "trusted account " + role.accountId(),
        new TrustedAccount(Provider.AWS.name(), role.accountId()));
  }

  /** Azure: the subscription delegated to us through Lighthouse, registered as provider MSAZ. */
  private Decision trustSubscription(
      Caller caller, long applicationId, Authentication authentication, String sourceId) {
    SubscriptionId subscription = SubscriptionId.parse(authentication.username());
    azure.verify(subscription);
    trust.establish(caller, Provider.MSAZ, subscription.value(), sourceId);
    return fenced(
        caller,
        applicationId,
        sourceId,
        "trusted subscription " + subscription.value(),
        new TrustedAccount(Provider.MSAZ.name(), subscription.value()));
  }

  /**
   * A role without an external id is never newly trusted (anyone who learnt its ARN could claim
   * it); trust RHSM already holds for this very source is kept while the role still works.
   */
  private Decision keepTrustWithoutExternalId(Caller caller, RoleArn role, String sourceId) {
    if (!trust.holdsForSource(caller, Provider.AWS, role.accountId(), sourceId)) {
      throw new Rejection(Outcome.NO_EXTERNAL_ID, "role without external id, not trusted yet");
    }
    sts.verify(role, Optional.empty());
    return Decision.withTrust(
        Outcome.TRUSTED,
        sourceId,
        "kept trust of account " + role.accountId() + " (no external id)",
        new TrustedAccount(Provider.AWS.name(), role.accountId()));
  }

  /**
   * A late writer's fence: the application may have been destroyed, and its trust removed, while we
   * verified (a redelivery, a rebalance). Then the decision says the application is gone while it
   * registered an account, and the caller takes that back, durably.
   */
  private Decision fenced(
      Caller caller, long applicationId, String sourceId, String trusted, TrustedAccount account) {
    return sources.application(caller, applicationId).isPresent()
        ? Decision.withTrust(Outcome.TRUSTED, sourceId, trusted, account)
        : Decision.withTrust(
            Outcome.APPLICATION_GONE,
            sourceId,
            "application destroyed meanwhile; " + trusted + " to be taken back",
            account);
  }

  private static void checkAttachedTo(Authentication authentication, long applicationId) {
    if (!Authentication.APPLICATION_RESOURCE.equals(authentication.resourceType())) {
      throw new Rejection(
          Outcome.WRONG_RESOURCE_TYPE, "resource type " + authentication.resourceType());
    }
    if (!Long.toString(applicationId).equals(authentication.resourceId())) {
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
}
