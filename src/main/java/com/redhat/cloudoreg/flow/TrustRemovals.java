package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.DelegationRemoval;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.ledger.TrustLedger;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.SourcesGateway;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * The trust use cases that end trust, on plain ids: after a replacement, after a destroy, after a
 * refused grant, and what a fenced writer must take back ({@link TrustFlow} establishes it). Each
 * is one change at RHSM whose decision says whether RHSM confirmed it (2xx, or 404 for already
 * gone): anything else, a peer's failure or a refusal, leaves it {@link
 * Outcome#REMOVAL_UNCONFIRMED}, for the caller to try again until it is (removals are durable).
 */
@ApplicationScoped
public class TrustRemovals {
  private static final Logger LOG = Logger.getLogger(TrustRemovals.class.getName());

  private final CloudMeterType cloudMeter;
  private final AzureVerifier azure;
  private final TrustRegistrar trust;
  private final TrustLedger ledger;
  private final Fence fence;

  @Inject
  public TrustRemovals(
      SourcesGateway sources,
      CloudMeterType cloudMeter,
      AzureVerifier azure,
      TrustRegistrar trust,
      TrustLedger ledger) {
    this.cloudMeter = cloudMeter;
    this.azure = azure;
    this.trust = trust;
    this.ledger = ledger;
    this.fence = new Fence(sources, cloudMeter);
  }

  protected TrustRemovals() {
    this(null, null, null, null, null);
  }

  /**
   * The rest of a replacement, once its new grant is decided ({@code decided}): the source's
   * accounts but the one it trusted go, or all of them when the customer must fix the new grant.
   * For an Azure grant ({@code azureGrant}) their delegations stay (only a destroy ends one; a typo
   * corrected must not mean deploying the offer again), recorded to end once the application is
   * gone. Once RHSM confirmed it, the removal asks whether the grant it was decided on is still the
   * application's ({@link Fence#afterRemoval}): {@link Outcome#GRANT_REPLACED} if not, for the
   * caller to verify the current grant again.
   */
  public Decision removeReplaced(
      Caller caller, long applicationId, Decision decided, boolean azureGrant) {
    String sourceId = decided.sourceId().orElseThrow();
    Optional<TrustedAccount> kept =
        decided.trusted().filter(trusted -> decided.outcome() == Outcome.TRUSTED);
    Decision removed =
        removal(
            sourceId,
            () -> {
              if (azureGrant) {
                recordKeptDelegations(
                    caller,
                    sourceId,
                    applicationId,
                    held ->
                        kept.filter(account -> Provider.MSAZ.name().equals(account.provider()))
                            .filter(account -> account.accountId().equalsIgnoreCase(held))
                            .isEmpty());
              }
              if (kept.isEmpty()) {
                return removeAll(caller, sourceId);
              }
              int removedAccounts =
                  trust.removeAllBut(
                      caller,
                      Provider.valueOf(kept.get().provider()),
                      kept.get().accountId(),
                      sourceId);
              return removedAccounts + " replaced account(s) of source " + sourceId + " removed";
            });
    return removed.outcome() == Outcome.TRUST_REMOVED
        ? fence.afterRemoval(caller, applicationId, decided.decidedOn(), removed)
        : removed;
  }

  /**
   * The removal of a destroyed application's trust, one per destroy, for all its attempts (the
   * caller applies it until RHSM confirms it): its source's trust ends, if it was Cloud Meter's,
   * and then, best effort, the Lighthouse delegation to us of each Azure subscription RHSM held for
   * the source (as cloudigrade did). The attempts share the subscriptions any of them listed: an
   * attempt whose removal landed but whose answer was lost leaves RHSM holding nothing for the next
   * one to list, and those delegations must end all the same. Each is ended once, after the
   * confirmation by this removal (the reconciliation may end it again: {@link #endLeftDelegation}).
   * Each is recorded in the trust ledger before the trust goes, for the replica that finds RHSM
   * holding nothing.
   *
   * <p>Once RHSM confirmed it, the removal asks whether the source has a Cloud Meter application
   * again ({@link Fence#afterSourceRemoval}): RHEL management removed and added back, its new trust
   * established meanwhile on another replica, which a late attempt of this removal took. Then the
   * delegations its grant names stay (recorded to end with that application), its id goes to {@code
   * onSourceAgain}, and the decision is {@link Outcome#GRANT_REPLACED}, for the caller to verify it
   * again, which establishes what its grant justifies.
   */
  public Function<Caller, Decision> removalOfDestroyed(
      long applicationId, long sourceId, long applicationTypeId, Set<Long> onSourceAgain) {
    Map<SubscriptionId, Boolean> listed = new ConcurrentHashMap<>();
    return caller -> {
      try {
        if (!cloudMeter.isCloudMeter(applicationTypeId)) {
          return Decision.of(Outcome.NOT_OURS, Long.toString(sourceId), "not a Cloud Meter app");
        }
      } catch (PeerFailure | FaultToleranceException unknown) {
        return Decision.because(Outcome.TYPE_UNKNOWN, Long.toString(sourceId), unknown);
      }
      return foundAgain(
          removeSourceTrust(
              caller,
              sourceId,
              listed,
              () -> {},
              subscriptions ->
                  settleDelegations(caller, sourceId, applicationId, subscriptions, onSourceAgain)),
          onSourceAgain);
    };
  }

  /**
   * The removal of the trust of a source Sources no longer has (the reconciliation's orphan: its
   * destroy missed, or never raised), for all its attempts, as a destroy's: the delegations of its
   * Azure subscriptions are recorded before its trust goes, as cloudigrade's deletion of an
   * orphan's account ended them, but not ended here: the reconciliation's next run ends them,
   * unless RHSM holds the subscription for the org again by then — a source of the org created anew
   * with the same subscription, refused while the orphan held it (CG1005), trusts it once the
   * orphan's trust is gone.
   */
  public Function<Caller, Decision> removalOfOrphan(long sourceId) {
    Map<SubscriptionId, Boolean> listed = new ConcurrentHashMap<>();
    return caller ->
        removeSourceTrust(
            caller,
            sourceId,
            listed,
            () -> {
              if (listed.containsValue(false)) {
                // nothing else would end it once the trust is gone: the removal waits for the
                // record
                throw new TransientFailure(
                    "a delegation to end of orphan source "
                        + sourceId
                        + " is not recorded in the trust ledger yet");
              }
            },
            left -> {});
  }

  /**
   * The source's trust removed, its Azure subscriptions (as any attempt listed them) recorded
   * first, each with whether Kafka holds its record; {@code beforeRemoval} may refuse to go on;
   * once RHSM confirmed it, those subscriptions go to {@code landed}, each once, whoever applies
   * the removal again.
   */
  private Decision removeSourceTrust(
      Caller caller,
      long sourceId,
      Map<SubscriptionId, Boolean> listed,
      Runnable beforeRemoval,
      Consumer<Map<SubscriptionId, Boolean>> landed) {
    String source = Long.toString(sourceId);
    return removal(
        source,
        () -> {
          if (azure.configured()) {
            for (String held : trust.sourceAccounts(caller, Provider.MSAZ, source)) {
              subscription(caller, source, held)
                  .ifPresent(
                      subscription ->
                          listed.put(subscription, record(caller, source, subscription)));
            }
          }
          beforeRemoval.run();
          trust.remove(caller, source);
          Map<SubscriptionId, Boolean> settled = new HashMap<>();
          for (SubscriptionId subscription : listed.keySet()) {
            Boolean recorded = listed.remove(subscription);
            if (recorded != null) {
              settled.put(subscription, recorded);
            }
          }
          landed.accept(settled);
          return "trust of source " + source + " removed";
        });
  }

  /**
   * Once a removal of a source's trust for an application gone ({@code removedFor}) landed: the
   * Cloud Meter applications the source has again ({@link Fence#afterSourceRemoval}), added to
   * {@code onSourceAgain}. The delegations of {@code subscriptions} (each with whether Kafka holds
   * its record) their grants name are kept for them, the others ended. Should Sources not answer,
   * none is found, and only those Kafka holds no record of are ended here; the records of the
   * others, written before the trust went, leave them to the reconciliation, which ends them unless
   * RHSM holds the subscription for the org again. What the removal may have taken of an
   * application added back is re-established by Sources' next check. The removal stands either way:
   * RHSM confirmed it.
   */
  private void settleDelegations(
      Caller caller,
      long sourceId,
      long removedFor,
      Map<SubscriptionId, Boolean> subscriptions,
      Set<Long> onSourceAgain) {
    List<Fence.OnSource> again;
    try {
      again = fence.afterSourceRemoval(caller, sourceId, Optional.of(removedFor));
    } catch (PeerFailure | FaultToleranceException unread) {
      LOG.log(
          Level.WARNING,
          "Trust of source {1} (org {0}) removed; whether the source has a Cloud Meter application"
              + " again is unknown ({2}): one added back is trusted again by Sources'' next check,"
              + " and the delegations of {3} subscription(s) recorded are left to the"
              + " reconciliation (request_id {4})",
          new Object[] {
            caller.orgId(),
            Long.toString(sourceId),
            Outcomes.describe(unread),
            subscriptions.values().stream().filter(Boolean::booleanValue).count(),
            caller.requestId()
          });
      subscriptions.forEach(
          (subscription, recorded) -> {
            if (!recorded) {
              endDelegation(subscription);
            }
          });
      return;
    }
    Map<SubscriptionId, Long> named = subscriptionsNamed(again);
    for (SubscriptionId subscription : subscriptions.keySet()) {
      Optional.ofNullable(named.get(subscription))
          .ifPresentOrElse(
              applicationId -> keep(caller, Long.toString(sourceId), subscription, applicationId),
              () -> endDelegation(subscription));
    }
    again.forEach(application -> onSourceAgain.add(application.applicationId()));
  }

  /**
   * A removal of a source's trust confirmed, that found a Cloud Meter application on the source
   * again ({@code onSourceAgain}): {@link Outcome#GRANT_REPLACED}, for the caller to verify them.
   */
  private static Decision foundAgain(Decision removed, Set<Long> onSourceAgain) {
    return removed.outcome() == Outcome.TRUST_REMOVED && !onSourceAgain.isEmpty()
        ? Decision.of(
            Outcome.GRANT_REPLACED,
            removed.sourceId().orElseThrow(),
            "the source has a Cloud Meter application again ("
                + onSourceAgain
                + "), to verify again; "
                + removed.detail())
        : removed;
  }

  /** The subscriptions the grants of {@code applications} name, each with its application. */
  private static Map<SubscriptionId, Long> subscriptionsNamed(List<Fence.OnSource> applications) {
    Map<SubscriptionId, Long> named = new HashMap<>();
    for (Fence.OnSource application : applications) {
      if (Authentication.LIGHTHOUSE_SUBSCRIPTION_ID.equals(application.grant().authtype())) {
        try {
          named.put(
              SubscriptionId.parse(application.grant().username()), application.applicationId());
        } catch (Rejection noSubscription) {
          // an id that is no subscription id names no delegation: it keeps none
        }
      }
    }
    return named;
  }

  /**
   * A delegation a destroy was to end, named by a Cloud Meter application the source has again: not
   * the destroy's to end any more, but that application's, recorded to end once it is gone (the
   * application trusting the subscription drops the record, see {@code report/OutcomeReporter}).
   */
  private void keep(
      Caller caller, String sourceId, SubscriptionId subscription, long applicationId) {
    ledger.delegationSettled(subscription.value());
    ledger.recordDelegationToEnd(
        new DelegationToEnd(
            subscription.value(), caller.orgId(), sourceId, Optional.of(applicationId)));
  }

  private String removeAll(Caller caller, String sourceId) {
    trust.remove(caller, sourceId);
    return "trust of source " + sourceId + " removed";
  }

  /**
   * What a fenced decision wrote and must not keep ({@link Decision#leftTrustBehind}): the
   * application gone, its source's trust ends and, for an Azure subscription written, our
   * Lighthouse delegation with it, best effort (the application was destroyed, and the destroy's
   * own removal may have run before this write) — once landed, fenced as a destroy's removal is
   * ({@link Fence#afterSourceRemoval}): a Cloud Meter application the source has again goes to
   * {@code onSourceAgain} and makes the decision {@link Outcome#GRANT_REPLACED}, for the caller to
   * verify it, and the delegation its grant names stays. Its grant replaced meanwhile, the account
   * written goes if RHSM holds it for this source (never one the org added by hand), and the
   * delegation stays (it ends only on destroy), recorded to end once the application ({@code
   * applicationId}) is gone, as an update records what it removes.
   */
  public Decision takeBack(
      Caller caller, long applicationId, Decision left, Set<Long> onSourceAgain) {
    String sourceId = left.sourceId().orElseThrow();
    TrustedAccount written = left.trusted().orElseThrow();
    Decision takenBack =
        removal(
            sourceId,
            () -> {
              if (left.outcome() == Outcome.APPLICATION_GONE) {
                Optional<SubscriptionId> subscription =
                    Provider.valueOf(written.provider()) == Provider.MSAZ && azure.configured()
                        ? subscription(caller, sourceId, written.accountId())
                        : Optional.empty();
                Map<SubscriptionId, Boolean> delegation = new HashMap<>();
                subscription.ifPresent(
                    toEnd -> delegation.put(toEnd, record(caller, sourceId, toEnd)));
                trust.remove(caller, sourceId);
                settleDelegations(
                    caller, Long.parseLong(sourceId), applicationId, delegation, onSourceAgain);
              } else {
                Provider provider = Provider.valueOf(written.provider());
                if (provider == Provider.MSAZ) {
                  recordKeptDelegations(
                      caller, sourceId, applicationId, written.accountId()::equalsIgnoreCase);
                }
                trust.removeIfHeldForSource(caller, provider, written.accountId(), sourceId);
              }
              return written.provider() + " account " + written.accountId() + " taken back";
            });
    return foundAgain(takenBack, onSourceAgain);
  }

  /**
   * A write fenced again ({@link TrustFlow#fenceAgain}): taken back when it was left behind, as it
   * is otherwise (confirmed, or still unfenced for the caller to try again).
   */
  public Decision takeBackIfLeft(
      Caller caller, long applicationId, Decision fenced, Set<Long> onSourceAgain) {
    return fenced.leftTrustBehind()
        ? takeBack(caller, applicationId, fenced, onSourceAgain)
        : fenced;
  }

  /**
   * A delegation a destroy recorded and did not settle — its replica stopped before ending it,
   * Azure gave no answer that settles it, or Sources could not tell after the removal whether the
   * source had a Cloud Meter application again — ended now, unless RHSM holds the subscription for
   * the org (the destroy's removal has not landed yet; a source that trusts it again drops the
   * record itself, see {@code report/OutcomeReporter}): then it stays, and so does its record; or
   * unless a Cloud Meter application its source has now names it (RHEL management added back, its
   * trust taken by the destroy's removal): then it is kept for that application, as the destroy
   * would have kept it ({@link Fence#afterSourceRemoval}). Only where {@link #endsDelegations}.
   * Returns whether an end was begun; a peer's failure reading RHSM or Sources is thrown.
   */
  public boolean endLeftDelegation(Caller caller, DelegationToEnd left) {
    if (trust.holds(caller, Provider.MSAZ, left.subscription())) {
      return false;
    }
    SubscriptionId subscription = new SubscriptionId(left.subscription());
    if (left.keptForApplication().isEmpty()) {
      Optional<Long> namedBy =
          Optional.ofNullable(
              subscriptionsNamed(
                      fence.afterSourceRemoval(
                          caller, Long.parseLong(left.sourceId()), Optional.empty()))
                  .get(subscription));
      if (namedBy.isPresent()) {
        keep(caller, left.sourceId(), subscription, namedBy.get());
        return false;
      }
    }
    endDelegation(subscription);
    return true;
  }

  /** Whether this deployment ends delegations at all: it has Azure credentials. */
  public boolean endsDelegations() {
    return azure.configured();
  }

  /**
   * The subscription an MSAZ account RHSM held names. An id that is no subscription id names
   * nothing Azure could hold a delegation of (RHSM stores what it was sent): skipped with a
   * warning, so that it neither turns a confirmed removal unconfirmed nor keeps the other
   * subscriptions' delegations.
   */
  private static Optional<SubscriptionId> subscription(
      Caller caller, String sourceId, String accountId) {
    try {
      return Optional.of(SubscriptionId.parse(accountId));
    } catch (Rejection notASubscription) {
      LOG.log(
          Level.WARNING,
          "Azure delegation not looked for: RHSM held an MSAZ account of source {1} (org {0})"
              + " whose id is not a subscription id (request_id {2})",
          new Object[] {caller.orgId(), sourceId, caller.requestId()});
      return Optional.empty();
    }
  }

  /**
   * The delegations of the subscriptions whose trust an update or a take-back is about to remove
   * ({@code goes}: of those RHSM holds for the source) stay (only a destroy ends one), recorded
   * before their trust goes: once it has, RHSM holds nothing of them, and the application's
   * destroy, which finds its delegations through RHSM, would leave them for good. The
   * reconciliation ends them once Sources no longer has the application; a source that trusts the
   * subscription again drops the record ({@code report/OutcomeReporter}).
   */
  private void recordKeptDelegations(
      Caller caller, String sourceId, long applicationId, Predicate<String> goes) {
    if (!azure.configured()) {
      return;
    }
    for (String held : trust.sourceAccounts(caller, Provider.MSAZ, sourceId)) {
      if (goes.test(held)) {
        subscription(caller, sourceId, held)
            .ifPresent(
                subscription ->
                    ledger.recordDelegationToEnd(
                        new DelegationToEnd(
                            subscription.value(),
                            caller.orgId(),
                            sourceId,
                            Optional.of(applicationId))));
      }
    }
  }

  /** Records, before the trust goes, the delegation to end with it: the record outlives us. */
  private boolean record(Caller caller, String sourceId, SubscriptionId subscription) {
    return ledger.recordDelegationToEnd(
        new DelegationToEnd(subscription.value(), caller.orgId(), sourceId));
  }

  /**
   * Ends our delegation of a subscription whose trust is gone: logged and counted by the verifier,
   * never thrown. Once the result settles it, the ledger's record goes; a failure (no answer that
   * settles it) keeps the record, for the reconciliation to try again.
   */
  private void endDelegation(SubscriptionId subscription) {
    azure
        .endDelegation(subscription)
        .thenAccept(
            result -> {
              if (result != DelegationRemoval.FAILED
                  && result != DelegationRemoval.NOT_CONFIGURED) {
                ledger.delegationSettled(subscription.value());
              }
            });
  }

  /** A removal: confirmed, or unconfirmed for any failure we know (retried by the caller). */
  private static Decision removal(String sourceId, Supplier<String> remove) {
    try {
      return Decision.of(Outcome.TRUST_REMOVED, sourceId, remove.get());
    } catch (Rejection | PeerFailure | FaultToleranceException known) {
      return Decision.because(Outcome.REMOVAL_UNCONFIRMED, sourceId, known);
    }
  }
}
