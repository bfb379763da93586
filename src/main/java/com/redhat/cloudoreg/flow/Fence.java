package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Grant;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.sources.Application;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.SourcesGateway;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * The late writer's fence (docs/architecture.md, "Two pods"): after a write to RHSM, the
 * application and its grants are read again in one call. Still there and still the grant that was
 * verified: the write stands. Otherwise Sources changed while we verified (a destroy, an update, on
 * this pod or another), and the decision carries the account written, for the caller to take back.
 */
final class Fence {
  private final SourcesGateway sources;
  private final CloudMeterType cloudMeter;

  Fence(SourcesGateway sources, CloudMeterType cloudMeter) {
    this.sources = sources;
    this.cloudMeter = cloudMeter;
  }

  /** Right after the write: the very authentication verified must still hold the same grant. */
  Decision afterWrite(
      Caller caller, Application application, Authentication verified, TrustedAccount written) {
    return judged(
        application.sourceId(),
        written,
        sources.authenticationsOf(caller, Long.parseLong(application.id())),
        stillHolds(caller, verified.grant()));
  }

  /**
   * Before a verdict that wrote nothing is told — a refusal, or trust kept as it stood — the same
   * question: is the grant decided on still the application's? A check on a pod other than the
   * consumer's (Sources' checks land on any pod) may refuse the grant an update has just replaced
   * and trusted there, or keep the trust an update has just replaced and removed there; told after
   * that, the old verdict would stand over the newer one. Replaced: no verdict from this run
   * ({@link Outcome#GRANT_REPLACED}, nothing written to take back; the caller verifies the current
   * grant again). Gone: nothing to tell. Unread: the verdict stands, decided on a grant read
   * moments ago.
   */
  Decision beforeTelling(
      Caller caller, Application application, Authentication decidedOn, Decision verdict) {
    return toldWhile(caller, application, stillHolds(caller, decidedOn.grant()), verdict);
  }

  /**
   * Before "authentication missing" is told, the same question: has the application still no
   * authentication? The authentication an event named may be gone because another replaced it (an
   * Azure create's propagation re-check, an update handled late, on this pod or another): that is
   * no missing grant of the application, and told it would stand over the replacement's verdict.
   * Another listed: {@link Outcome#GRANT_REPLACED}, for the caller to verify the current grant.
   */
  Decision beforeTellingMissing(Caller caller, Application application, Decision verdict) {
    return toldWhile(caller, application, noGrant(caller), verdict);
  }

  /**
   * After an update's removal has landed (RHSM confirmed it), the same question once more: is the
   * grant it was decided on ({@code decidedOn}: none, for a missing one) still the application's?
   * If not, the removal may have taken trust a newer grant justifies — a revoked replica's retry
   * landing after the partition's new owner trusted the next grant — and the decision is {@link
   * Outcome#GRANT_REPLACED}, for the caller to verify the current grant again, which establishes
   * what it justifies (fenced as any write). Gone: the destroy's business. Unread: unconfirmed, and
   * the removal is tried again.
   */
  Decision afterRemoval(
      Caller caller, long applicationId, Optional<Grant> decidedOn, Decision removed) {
    String sourceId = removed.sourceId().orElseThrow();
    try {
      Optional<List<Authentication>> now = sources.authenticationsOf(caller, applicationId);
      boolean stands = now.isEmpty() || stillDecidedOn(caller, decidedOn).test(now.get());
      return stands
          ? removed
          : Decision.of(
              Outcome.GRANT_REPLACED, sourceId, "grant replaced meanwhile; " + removed.detail());
    } catch (PeerFailure | FaultToleranceException unread) {
      return Decision.because(Outcome.REMOVAL_UNCONFIRMED, sourceId, unread);
    }
  }

  /**
   * Before a verdict whose status Kafka did not take is sent again, the question {@link
   * #beforeTelling} asked before it was first sent: is the grant it was decided on still the
   * application's ({@code verdict.decidedOn()}; none, for a missing one)? The pauses between sends
   * grow to minutes, and meanwhile the partition may have moved: its new owner has handled the
   * events after this one and told their verdicts, which this one, sent late, would stand over.
   * Replaced or gone: not sent (the change has an event of its own, which tells). CG2002 is about
   * an authentication that names another resource, never among the application's: told while the
   * application has no grant of its own, whose verdict would be newer. Unread: sent, as decided.
   */
  boolean stillToTell(Caller caller, long applicationId, Decision verdict) {
    Predicate<List<Authentication>> stillTheGrant =
        verdict.outcome() == Outcome.WRONG_RESOURCE_TYPE
            ? noGrant(caller)
            : stillDecidedOn(caller, verdict.decidedOn());
    try {
      return sources.authenticationsOf(caller, applicationId).filter(stillTheGrant).isPresent();
    } catch (PeerFailure | FaultToleranceException unread) {
      return true;
    }
  }

  /** A Cloud Meter application a source has, and its current Cloud Meter grant. */
  record OnSource(long applicationId, Authentication grant) {}

  /**
   * After the removal of a source's trust for an application gone has landed (RHSM confirmed it):
   * the Cloud Meter applications the source has now with a Cloud Meter grant, and that grant. The
   * customer may remove RHEL management from a source and add it again, a new application of the
   * same source, whose trust — established meanwhile on another replica, or by a check on any pod —
   * is the source's too: a late removal (a revoked replica's retry) took it. Those applications are
   * the caller's to verify again, and the delegations their grants name are not ended. One without
   * a grant yet had no trust to take (its authentication's event establishes it). The application
   * the removal was for ({@code removedFor}: destroyed, or found gone) is never among them, should
   * Sources still list it. The source gone (a source's destroy): none. A peer's failure is thrown:
   * not known.
   */
  List<OnSource> afterSourceRemoval(Caller caller, long sourceId, Optional<Long> removedFor) {
    return sources.applicationsOf(caller, sourceId).stream()
        .filter(cloudMeter::isCloudMeter)
        .filter(
            application ->
                removedFor.map(String::valueOf).filter(application.id()::equals).isEmpty())
        .flatMap(
            application -> {
              long id = Long.parseLong(application.id());
              return sources
                  .currentGrant(caller, id)
                  .filter(Authentication::isCloudMeterGrant)
                  .map(grant -> new OnSource(id, grant))
                  .stream();
            })
        .toList();
  }

  private Decision toldWhile(
      Caller caller,
      Application application,
      Predicate<List<Authentication>> stillWhatWasDecidedOn,
      Decision verdict) {
    String sourceId = application.sourceId();
    try {
      Optional<List<Authentication>> now =
          sources.authenticationsOf(caller, Long.parseLong(application.id()));
      if (now.isEmpty()) {
        return Decision.of(
            Outcome.APPLICATION_GONE,
            sourceId,
            "application destroyed meanwhile; " + verdict.detail());
      }
      return stillWhatWasDecidedOn.test(now.get())
          ? verdict
          : Decision.of(
              Outcome.GRANT_REPLACED, sourceId, "grant replaced meanwhile; " + verdict.detail());
    } catch (PeerFailure | FaultToleranceException unread) {
      return verdict;
    }
  }

  /** Whether the application's authentications still hold that very authentication's grant. */
  private Predicate<List<Authentication>> stillHolds(Caller caller, Grant verified) {
    return now ->
        now.stream()
            .filter(listed -> listed.id().equals(verified.authenticationId()))
            .findFirst()
            // the list is the public view: a grant kept in the secret field is read again
            .flatMap(listed -> sources.withSecretIfNeeded(caller, listed))
            .map(Authentication::grant)
            .filter(verified::equals)
            .isPresent();
  }

  /**
   * Whether that grant is still the application's; for none (a missing one), whether it has none.
   */
  private Predicate<List<Authentication>> stillDecidedOn(Caller caller, Optional<Grant> decidedOn) {
    return decidedOn.map(grant -> stillHolds(caller, grant)).orElseGet(() -> noGrant(caller));
  }

  /** Whether the application has no grant. */
  private Predicate<List<Authentication>> noGrant(Caller caller) {
    return now -> currentGrant(caller, now).isEmpty();
  }

  /** The application's grant among its authentications, as SourcesGateway.currentGrant reads it. */
  private Optional<Authentication> currentGrant(Caller caller, List<Authentication> now) {
    return now.stream()
        .min(Authentication.CLOUD_METER_FIRST)
        .flatMap(listed -> sources.withSecretIfNeeded(caller, listed));
  }

  /**
   * For a write no fence confirmed ({@link Decision#unfenced}), later, the question {@link
   * #afterWrite} asks: is the grant it was decided on still the application's? Only that grant, not
   * any naming the same account: a grant replaced by one of the same account that was refused (a
   * typo in the role's name) had its trust removed by the replacement's verdict, maybe before this
   * write landed. Replaced: taken back, and the caller verifies the current grant (it may justify
   * the same account). Sources unread: still unfenced.
   */
  Decision again(Caller caller, long applicationId, Decision unfenced) {
    String sourceId = unfenced.sourceId().orElseThrow();
    TrustedAccount written = unfenced.trusted().orElseThrow();
    // every write is decided on a grant (TrustFlow.establish names it)
    Grant verified = unfenced.decidedOn().orElseThrow();
    try {
      return judged(
              sourceId,
              written,
              sources.authenticationsOf(caller, applicationId),
              stillHolds(caller, verified))
          .on(verified);
    } catch (PeerFailure | FaultToleranceException unread) {
      return Decision.failedAfterWrite(unread, sourceId, written).on(verified);
    }
  }

  private static Decision judged(
      String sourceId,
      TrustedAccount written,
      Optional<List<Authentication>> now,
      Predicate<List<Authentication>> stillTheGrant) {
    String what = written.provider() + " account " + written.accountId();
    if (now.isEmpty()) {
      return Decision.withTrust(
          Outcome.APPLICATION_GONE, sourceId, "application destroyed meanwhile; " + what, written);
    }
    return stillTheGrant.test(now.get())
        ? Decision.withTrust(Outcome.TRUSTED, sourceId, "trusted " + what, written)
        : Decision.withTrust(
            Outcome.GRANT_REPLACED, sourceId, "grant replaced meanwhile; " + what, written);
  }
}
