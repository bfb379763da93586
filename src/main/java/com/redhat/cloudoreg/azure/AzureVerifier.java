package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.azure.AzureAnswers.Answer;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.metrics.PeerCall;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Guard;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Azure's door: proves that the customer delegated their Azure subscription to Red Hat through the
 * Lighthouse offer, and on removal ends that delegation, best effort. Both with our own token
 * (Entra ID, client credentials), one cached token for both.
 */
@ApplicationScoped
public class AzureVerifier {
  /**
   * The states Azure still serves a subscription in; Microsoft: a past-due subscription "is still
   * active". {@code Disabled}, {@code Deleted} and any state not listed cannot be used now.
   */
  static final Set<String> USABLE_STATES = Set.of("Enabled", "Warned", "PastDue");

  private final AzureSettings settings;
  private final FlowMetrics metrics;
  private final ResourceManager arm;
  private final DelegationRemover remover;
  private final Guard guard;

  @Inject
  public AzureVerifier(Config config, FlowMetrics metrics, Executor executor, Guard guard) {
    this(
        AzureSettings.from(config),
        Mode.of(config.getOptionalValue(Mode.PROPERTY, String.class).orElse("")),
        metrics,
        executor,
        Clock.systemUTC(),
        guard);
  }

  /**
   * A verifier on these settings; the clock decides when the cached token is due and bounds how
   * long an accepted removal is followed, on {@code executor}.
   */
  public AzureVerifier(
      AzureSettings settings,
      Mode mode,
      FlowMetrics metrics,
      Executor executor,
      Clock clock,
      Guard guard) {
    this.settings = settings;
    this.metrics = metrics;
    this.guard = guard;
    if (settings.configured()) {
      this.arm = new ResourceManager(settings, AzureTls.sslContext(settings), clock);
      this.remover = new DelegationRemover(arm, settings, mode, metrics, executor, clock);
    } else {
      this.arm = null;
      this.remover = null;
    }
  }

  protected AzureVerifier() {
    this.settings = null;
    this.metrics = null;
    this.arm = null;
    this.remover = null;
    this.guard = null;
  }

  /** Whether our Azure credentials are configured: without them this deployment skips Azure. */
  public boolean configured() {
    return settings.configured();
  }

  /**
   * Returns when the subscription is delegated to us: Resource Manager shows it to our principal
   * (200), its {@code managedByTenants} holds our tenant, its home tenant is not ours, and its
   * state is one Azure still serves ({@link #USABLE_STATES}). A 200 alone also comes for
   * subscriptions our principal sees through plain RBAC (Red Hat's own), which no customer may
   * register. Otherwise throws a {@link Rejection} ({@code SUBSCRIPTION_NOT_DELEGATED}) whose
   * detail says which rule failed, never a tenant id; or one of our outages: {@link
   * OwnCredentialsRejected}, {@link TransientFailure} (including {@link Throttled}) once the
   * retries are spent, {@link UnexpectedAnswer}.
   *
   * <p>The retry delay is never shorter than {@link Policy#AZURE_RETRY_IN_PLACE_MS} ({@code delay -
   * jitter}), so a 429 is retried here only when its {@code Retry-After} allows it ({@code
   * InPlaceRetriesTest} holds the two together).
   */
  @PeerCall(peer = "azure", call = "verify_subscription")
  @Timeout(Policy.VERIFICATION_TIMEOUT_MS)
  @Retry(
      maxRetries = Policy.PEER_RETRIES,
      delay = Policy.AZURE_RETRY_DELAY_MS,
      jitter = Policy.PEER_RETRY_JITTER_MS,
      maxDuration = Policy.PEER_RETRY_BUDGET_MS,
      retryOn = {TransientFailure.class, TimeoutException.class},
      abortOn = {
        Rejection.class,
        OwnCredentialsRejected.class,
        UnexpectedAnswer.class,
        Throttled.Longer.class
      })
  public void verify(SubscriptionId subscription, boolean redrive) {
    requireConfigured();
    guard.run(Guard.Peer.AZURE, redrive, () -> checkDelegated(subscription));
  }

  private void checkDelegated(SubscriptionId subscription) {
    Answer answer = arm.subscription(subscription);
    if (answer.notVisible()) {
      counted(
          answer.fromAnotherTenant()
              ? AzureVerification.OTHER_TENANT
              : AzureVerification.NOT_VISIBLE);
      throw notDelegated("not visible to us: HTTP " + answer.status() + " " + answer.errorCode());
    }
    if (!answer.ok()) {
      throw arm.failure(answer);
    }
    JsonObject shown = answer.body();
    if (!subscription
        .value()
        .equalsIgnoreCase(AzureAnswers.string(shown, "subscriptionId").orElse(""))) {
      throw new UnexpectedAnswer(ResourceManager.PEER + " answered 200 for another subscription");
    }
    Optional<String> notOurs = notADelegationToUs(shown);
    counted(notOurs.isPresent() ? AzureVerification.NOT_DELEGATED : AzureVerification.DELEGATED);
    if (notOurs.isPresent()) {
      throw notDelegated(notOurs.get());
    }
  }

  private void counted(AzureVerification found) {
    metrics.azureVerification(found.label());
  }

  /** Why a subscription our token sees is no usable delegation to us; empty when it is one. */
  private Optional<String> notADelegationToUs(JsonObject shown) {
    if (settings.tenantId().equalsIgnoreCase(AzureAnswers.string(shown, "tenantId").orElse(""))) {
      return Optional.of("our own tenant's subscription");
    }
    if (!managedByUs(shown)) {
      return Optional.of("not delegated to us (visible without our tenant among its managers)");
    }
    String state = AzureAnswers.string(shown, "state").orElse("");
    return USABLE_STATES.contains(state) ? Optional.empty() : Optional.of("state " + state);
  }

  /**
   * Ends our Lighthouse delegation of the subscription, for a source or application that was
   * <em>destroyed</em> (never for a refused {@code Authentication.update}: the customer corrects
   * the id without deploying the offer again). Call it after the RHSM trust is removed; it never
   * throws for a peer's failure and never undoes anything.
   *
   * <p>Deletes only the one registration assignment of our offer ({@link AzureSettings#offerName},
   * managed by our tenant); several: none. In shadow mode it looks, and only logs what it would
   * remove ({@link DelegationRemoval#SHADOW}). Listing and deleting happen before this returns; an
   * accepted (202) deletion is followed afterwards, without holding the caller's thread, for at
   * most {@link Policy#AZURE_REMOVAL_FOLLOW_BOUND_MS}.
   *
   * @return the result, once known: at once, or when an accepted deletion ended. Never completes
   *     exceptionally; already logged and counted ({@code
   *     cloudoreg_azure_delegation_removals_total}), so a caller may ignore it
   */
  @PeerCall(peer = "azure", call = "remove_delegation")
  public CompletionStage<DelegationRemoval> endDelegation(SubscriptionId subscription) {
    if (!configured()) {
      return CompletableFuture.completedStage(DelegationRemoval.NOT_CONFIGURED);
    }
    return remover.remove(subscription);
  }

  private boolean managedByUs(JsonObject subscription) {
    JsonArray managers =
        subscription.get("managedByTenants") instanceof JsonArray listed
            ? listed
            : JsonValue.EMPTY_JSON_ARRAY;
    return managers.stream()
        .filter(JsonObject.class::isInstance)
        .map(manager -> AzureAnswers.string(manager.asJsonObject(), "tenantId").orElse(""))
        .anyMatch(settings.tenantId()::equalsIgnoreCase);
  }

  private static Rejection notDelegated(String why) {
    return new Rejection(Outcome.SUBSCRIPTION_NOT_DELEGATED, "Azure subscription " + why);
  }

  private void requireConfigured() {
    if (!configured()) {
      throw new IllegalStateException("Azure is not configured: check configured() first");
    }
  }
}
