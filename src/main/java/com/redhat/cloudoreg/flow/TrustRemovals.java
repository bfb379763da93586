package com.redhat.cloudoreg.flow;

import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.CloudMeterType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
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

  @Inject
  public TrustRemovals(CloudMeterType cloudMeter, AzureVerifier azure, TrustRegistrar trust) {
    this.cloudMeter = cloudMeter;
    this.azure = azure;
    this.trust = trust;
  }

  protected TrustRemovals() {
    this(null, null, null);
  }

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
   * The removal of a destroyed application's trust, one per destroy, for all its attempts (the
   * caller applies it until RHSM confirms it): its source's trust ends, if it was Cloud Meter's,
   * and then, best effort, the Lighthouse delegation to us of each Azure subscription RHSM held for
   * the source (as cloudigrade did). The attempts share the subscriptions any of them listed: an
   * attempt whose removal landed but whose answer was lost leaves RHSM holding nothing for the next
   * one to list, and those delegations must end all the same. Each is ended once, after the
   * confirmation.
   */
  public Function<Caller, Decision> removalOfDestroyed(long sourceId, long applicationTypeId) {
    Set<String> listed = ConcurrentHashMap.newKeySet();
    return caller -> removeIfCloudMeter(caller, sourceId, applicationTypeId, listed);
  }

  private Decision removeIfCloudMeter(
      Caller caller, long sourceId, long applicationTypeId, Set<String> listed) {
    String source = Long.toString(sourceId);
    try {
      if (!cloudMeter.isCloudMeter(applicationTypeId)) {
        return Decision.of(Outcome.NOT_OURS, source, "not a Cloud Meter app");
      }
    } catch (PeerFailure | FaultToleranceException unknown) {
      return Decision.because(Outcome.TYPE_UNKNOWN, source, unknown);
    }
    return removal(
        source,
        () -> {
          if (azure.configured()) {
            listed.addAll(trust.sourceAccounts(caller, Provider.MSAZ, source));
          }
          trust.remove(caller, source);
          for (String subscription : listed) {
            // taken out as it is ended: once, whoever applies the removal again
            if (listed.remove(subscription)) {
              endDelegation(caller, source, subscription);
            }
          }
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
   * application gone, its source's trust ends and, for an Azure subscription written, our
   * Lighthouse delegation with it, best effort (the application was destroyed, and the destroy's
   * own removal may have run before this write); its grant replaced meanwhile, the account written
   * goes if RHSM holds it for this source (never one the org added by hand), and the delegation
   * stays (it ends only on destroy).
   */
  public Decision takeBack(Caller caller, Decision left) {
    String sourceId = left.sourceId().orElseThrow();
    TrustedAccount written = left.trusted().orElseThrow();
    return removal(
        sourceId,
        () -> {
          if (left.outcome() == Outcome.APPLICATION_GONE) {
            trust.remove(caller, sourceId);
            if (Provider.valueOf(written.provider()) == Provider.MSAZ) {
              endDelegation(caller, sourceId, written.accountId());
            }
          } else {
            trust.removeIfHeldForSource(
                caller, Provider.valueOf(written.provider()), written.accountId(), sourceId);
          }
          return written.provider() + " account " + written.accountId() + " taken back";
        });
  }

  /**
   * A write fenced again ({@link TrustFlow#fenceAgain}): taken back when it was left behind, as it
   * is otherwise (confirmed, or still unfenced for the caller to try again).
   */
  public Decision takeBackIfLeft(Caller caller, Decision fenced) {
    return fenced.leftTrustBehind() ? takeBack(caller, fenced) : fenced;
  }

  /**
   * Ends our delegation of a subscription whose trust is gone: logged and counted by the verifier,
   * never thrown. An id that is no subscription id names nothing Azure could hold a delegation of
   * (RHSM stores what it was sent): skipped with a warning, so that it neither turns a confirmed
   * removal unconfirmed nor keeps the other subscriptions' delegations.
   */
  private void endDelegation(Caller caller, String sourceId, String subscription) {
    SubscriptionId parsed;
    try {
      parsed = SubscriptionId.parse(subscription);
    } catch (Rejection notASubscription) {
      LOG.log(
          Level.WARNING,
          "Azure delegation not looked for: RHSM held an MSAZ account of source {1} (org {0})"
              + " whose id is not a subscription id (request_id {2})",
          new Object[] {caller.orgId(), sourceId, caller.requestId()});
      return;
    }
    azure.endDelegation(parsed);
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
