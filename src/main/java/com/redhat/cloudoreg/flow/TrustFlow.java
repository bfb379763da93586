package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.Application;
import com.redhat.cloudoreg.sources.Authentication;
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
 * The trust use cases that establish trust, on plain ids: establish, re-verify, check a source
 * (those that end it are {@link TrustRemovals}). Each reads like the sequence diagram — the
 * application, its grant and the grant's cloud, the verification, the change at RHSM, the fence —
 * and ends in a {@link Decision}; what is published, logged, retried and acknowledged is the
 * caller's business.
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
  private final AzureVerifier azure;
  private final TrustRegistrar trust;
  private final ConcurrentReads reads;
  private final Grants grants;
  private final Fence fence;

  @Inject
  public TrustFlow(
      SourcesGateway sources,
      CloudMeterType cloudMeter,
      SourceTypes sourceTypes,
      StsVerifier sts,
      AzureVerifier azure,
      TrustRegistrar trust,
      ConcurrentReads reads) {
    this.sources = sources;
    this.cloudMeter = cloudMeter;
    this.azure = azure;
    this.trust = trust;
    this.reads = reads;
    this.grants = new Grants(sourceTypes, sts, azure);
    this.fence = new Fence(sources, cloudMeter);
  }

  protected TrustFlow() {
    this(null, null, null, null, null, null, null);
  }

  /**
   * An authentication of an application, new or changed: its grant verified, trust established. For
   * a changed one (a replacement) the caller then removes the source's other accounts, or all of
   * them when the new grant is refused: the new one first, never a moment without trust.
   */
  public Decision establish(Caller caller, long applicationId, long authenticationId) {
    // the authentication read beside the application (just before it, when no read thread is
    // free), its public view only: nothing secret is read before the application is known ours
    ConcurrentReads.Pending<Optional<Authentication>> listed =
        reads.start(() -> sources.authentication(caller, authenticationId));
    return onApplication(
        caller,
        applicationId,
        () -> listed.get().flatMap(found -> sources.withSecretIfNeeded(caller, found)));
  }

  /** An application checked again (unpaused): its current grant verified, its trust ensured. */
  public Decision reverify(Caller caller, long applicationId) {
    return onApplication(caller, applicationId, () -> sources.currentGrant(caller, applicationId));
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
      return List.of(new CheckedApplication(Optional.empty(), typeUnknown(sourceId, unknown)));
    }
    return applications.stream()
        .map(
            application -> {
              long id = Long.parseLong(application.id());
              return new CheckedApplication(
                  Optional.of(id),
                  verifyAndChange(caller, application, () -> sources.currentGrant(caller, id)));
            })
        .toList();
  }

  /** One application of a source check, and what was decided for it. */
  public record CheckedApplication(Optional<Long> applicationId, Decision decision) {}

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
      return typeUnknown(null, unknown);
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
    try {
      grant = grantRead.get();
    } catch (PeerFailure | FaultToleranceException unread) {
      return grants.unread(caller, sourceId, unread);
    }
    Optional<Decision> notOurs = grants.notOurs(caller, sourceId, grant);
    if (notOurs.isPresent()) {
      return notOurs.get();
    }
    if (grant.isEmpty()) {
      return fence.beforeTellingMissing(
          caller,
          application,
          Decision.failed(
              new Rejection(Outcome.AUTHENTICATION_MISSING, "authentication not found in Sources"),
              sourceId));
    }
    // 2. The grant verified; 3. the trust established; 4. the fence (a refusal's too). The
    // decision names its grant: an update's removal confirms, once landed, that it is still current
    Authentication authentication = grant.get();
    return verdictOn(caller, application, authentication).on(authentication.grant());
  }

  private Decision verdictOn(Caller caller, Application application, Authentication grant) {
    String sourceId = application.sourceId();
    try {
      if (Grants.lacksExternalId(grant)) {
        return keepTrustWithoutExternalId(caller, grant, application);
      }
      TrustedAccount account = grants.verify(caller, grant, application.id());
      return written(caller, application, grant, account);
    } catch (Rejection refused) {
      Decision refusal = Decision.failed(refused, sourceId);
      // CG2002 refuses the authentication for naming another resource: no grant of this
      // application to confirm
      return refusal.outcome() == Outcome.WRONG_RESOURCE_TYPE
          ? refusal
          : fence.beforeTelling(caller, application, grant, refusal);
    } catch (PeerFailure | FaultToleranceException known) {
      return Decision.failed(known, sourceId);
    }
  }

  /**
   * The change at RHSM, then the fence. Once the write is sent it may stand even if its answer or
   * the fence's read is lost: that decision carries the account ({@link Decision#unfenced}). A
   * write that found the account held already changed nothing: fenced out (its grant replaced, its
   * application gone), it has nothing to take back — the trust that stood before it goes when the
   * new grant is decided, or with the destroy.
   */
  private Decision written(
      Caller caller, Application application, Authentication verified, TrustedAccount account) {
    String sourceId = application.sourceId();
    boolean mayHaveAdded = true;
    try {
      mayHaveAdded =
          trust.establish(
              caller, Provider.valueOf(account.provider()), account.accountId(), sourceId);
      Decision fenced = fence.afterWrite(caller, application, verified, account);
      return mayHaveAdded || !fenced.leftTrustBehind()
          ? fenced
          : Decision.of(fenced.outcome(), sourceId, fenced.detail() + ", held before: kept");
    } catch (TrustRegistrar.HeldForWhomUnread nothingWritten) {
      return Decision.failed(nothingWritten, sourceId);
    } catch (PeerFailure | FaultToleranceException unread) {
      // held before this write: nothing of ours to take back, whatever the fence could not read
      return mayHaveAdded
          ? Decision.failedAfterWrite(unread, sourceId, account)
          : Decision.failed(unread, sourceId);
    }
  }

  /**
   * A role without an external id is never newly trusted (anyone who learnt its ARN could claim
   * it); trust RHSM already holds for this very source is kept while the role still works. Nothing
   * is written, so there is nothing to take back; but an update may have replaced the grant and
   * removed its trust meanwhile, so it is told only while the grant is still the application's.
   */
  private Decision keepTrustWithoutExternalId(
      Caller caller, Authentication grant, Application application) {
    String sourceId = application.sourceId();
    String account = Grants.accountOf(grant, application.id());
    if (!trust.holdsForSource(caller, Provider.AWS, account, sourceId)) {
      throw new Rejection(Outcome.NO_EXTERNAL_ID, "role without external id, not trusted yet");
    }
    Decision kept =
        Decision.withTrust(
            Outcome.TRUSTED,
            sourceId,
            "kept trust of account " + account + " (no external id)",
            grants.verifyWithoutExternalId(caller, grant));
    return fence.beforeTelling(caller, application, grant, kept);
  }

  /** {@link Fence#stillToTell}: before a verdict Kafka did not take is sent again. */
  public boolean stillToTell(Caller caller, long applicationId, Decision verdict) {
    return fence.stillToTell(caller, applicationId, verdict);
  }

  /** {@link Fence#again}: for the callers of a decision that left a write unfenced. */
  public Decision fenceAgain(Caller caller, long applicationId, Decision unfenced) {
    return fence.again(caller, applicationId, unfenced);
  }

  /** No verdict: the application's type, or its source's, cannot be learnt now. */
  private static Decision typeUnknown(Object sourceId, RuntimeException unknown) {
    return Decision.because(
        Outcome.TYPE_UNKNOWN, sourceId == null ? null : sourceId.toString(), unknown);
  }
}
