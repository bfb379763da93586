package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.azure.AzureAnswers.Answer;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.metrics.annotation.Timed;

/**
 * Proves that the customer delegated their Azure subscription to Red Hat through the Lighthouse
 * offer: with our own token (Entra ID, client credentials), Resource Manager shows us the
 * subscription, enabled. On removal it takes the delegation back, best effort.
 */
@ApplicationScoped
public class AzureVerifier {
  private static final Logger LOG = Logger.getLogger(AzureVerifier.class.getName());
  private static final String ARM = "Azure Resource Manager";

  private final AzureSettings settings;
  private final AccessTokens tokens;
  private final ResourceManagerClient arm;
  private final Clock clock;

  @Inject
  public AzureVerifier(Config config) {
    this(AzureSettings.from(config), Clock.systemUTC());
  }

  /** A verifier on these settings; the clock decides when the cached token is due. */
  public AzureVerifier(AzureSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    if (settings.configured()) {
      SSLContext tls = AzureTls.sslContext(settings);
      this.tokens = new AccessTokens(AzureClients.entraId(settings, tls), settings, clock);
      this.arm = AzureClients.resourceManager(settings, tls);
    } else {
      this.tokens = null;
      this.arm = null;
    }
  }

  protected AzureVerifier() {
    this.settings = null;
    this.tokens = null;
    this.arm = null;
    this.clock = null;
  }

  /** Whether our Azure credentials are configured: without them this deployment skips Azure. */
  public boolean configured() {
    return settings.configured();
  }

  /**
   * Returns when the subscription is delegated to us and enabled. Otherwise throws a {@link
   * Rejection} ({@code SUBSCRIPTION_NOT_DELEGATED}) for the customer to act on, or one of our
   * outages: {@link OwnCredentialsRejected}, {@link TransientFailure} (including {@link Throttled})
   * once the retries are spent, {@link UnexpectedAnswer}.
   *
   * <p>The retry delay is never shorter than {@link Throttled#IN_PLACE} ({@code delay - jitter}),
   * so a 429 is retried here only when its {@code Retry-After} allows it ({@code
   * AzureVerifierPolicyTest} holds the two together).
   */
  @Timed(
      name = FlowMetrics.PEER_CALL,
      absolute = true,
      tags = {"peer=azure", "call=verify_subscription"},
      description = FlowMetrics.PEER_CALL_DESCRIPTION)
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
  @CircuitBreaker(
      requestVolumeThreshold = Policy.BREAKER_WINDOW,
      failureRatio = Policy.BREAKER_FAILURE_RATIO,
      delay = Policy.BREAKER_OPEN_MS,
      skipOn = Rejection.class)
  public void verify(SubscriptionId subscription) {
    requireConfigured();
    String authorization = tokens.authorization();
    Answer answer =
        AzureAnswers.call(
            ARM,
            () ->
                arm.subscription(
                    authorization,
                    subscription.value(),
                    ResourceManagerClient.SUBSCRIPTIONS_API_VERSION));
    if (answer.ok()) {
      String state = AzureAnswers.string(answer.body(), "state").orElse("");
      if (!subscription
          .value()
          .equalsIgnoreCase(AzureAnswers.string(answer.body(), "subscriptionId").orElse(""))) {
        throw new UnexpectedAnswer(ARM + " answered 200 for another subscription");
      }
      if (!"Enabled".equals(state)) {
        throw new Rejection(
            Outcome.SUBSCRIPTION_NOT_DELEGATED, "Azure subscription state is " + state);
      }
      return;
    }
    if (answer.status() == 404 || answer.status() == 403) {
      throw new Rejection(
          Outcome.SUBSCRIPTION_NOT_DELEGATED,
          "Azure subscription not visible to us: HTTP "
              + answer.status()
              + " "
              + answer.errorCode());
    }
    throw failure(answer, authorization);
  }

  /**
   * Takes back the Lighthouse delegation of the subscription: deletes its registration assignments
   * that succeeded and whose definition names our tenant as the managing one. Best effort: a peer's
   * failure is logged (never a token or secret) and never thrown. Does nothing without our
   * credentials.
   */
  @Timed(
      name = FlowMetrics.PEER_CALL,
      absolute = true,
      tags = {"peer=azure", "call=remove_delegation"},
      description = FlowMetrics.PEER_CALL_DESCRIPTION)
  public void removeDelegation(SubscriptionId subscription) {
    if (!configured()) {
      return;
    }
    try {
      String authorization = tokens.authorization();
      for (String name : ourAssignments(authorization, subscription)) {
        Answer removed =
            AzureAnswers.call(
                ARM,
                () ->
                    arm.removeRegistrationAssignment(
                        authorization,
                        subscription.value(),
                        name,
                        ResourceManagerClient.MANAGED_SERVICES_API_VERSION));
        if (removed.ok() || removed.status() == 404) {
          LOG.log(
              Level.INFO,
              "Azure delegation removed: subscription {0}, registration assignment {1} (HTTP {2})",
              new Object[] {subscription, name, removed.status()});
        } else {
          throw failure(removed, authorization);
        }
      }
    } catch (TransientFailure | OwnCredentialsRejected | UnexpectedAnswer failure) {
      LOG.log(
          Level.WARNING,
          "Azure delegation of subscription {0} not removed: {1}",
          new Object[] {subscription, failure.getMessage()});
    }
  }

  /** Names of the subscription's succeeded assignments that delegate to our tenant. */
  private List<String> ourAssignments(String authorization, SubscriptionId subscription) {
    Answer answer =
        AzureAnswers.call(
            ARM,
            () ->
                arm.registrationAssignments(
                    authorization,
                    subscription.value(),
                    ResourceManagerClient.MANAGED_SERVICES_API_VERSION,
                    true));
    if (answer.status() == 404 || answer.status() == 403) {
      LOG.log(
          Level.INFO,
          "Azure delegation of subscription {0} already gone: HTTP {1} {2}",
          new Object[] {subscription, answer.status(), answer.errorCode()});
      return List.of();
    }
    if (!answer.ok()) {
      throw failure(answer, authorization);
    }
    return answer.body().getJsonArray("value") == null
        ? List.of()
        : answer.body().getJsonArray("value").stream()
            .filter(JsonObject.class::isInstance)
            .map(JsonObject.class::cast)
            .filter(this::succeededAndOurs)
            .map(assignment -> AzureAnswers.string(assignment, "name").orElse(""))
            .filter(name -> !name.isBlank())
            .toList();
  }

  /**
   * Succeeded, and not another provider's: the customer's subscription may delegate to others too,
   * and their assignments are visible to us. An assignment whose definition does not show its
   * managing tenant is taken as ours, as the service we replace did.
   */
  private boolean succeededAndOurs(JsonObject assignment) {
    JsonObject properties =
        AzureAnswers.object(assignment, "properties").orElse(JsonValue.EMPTY_JSON_OBJECT);
    boolean succeeded =
        "Succeeded".equals(AzureAnswers.string(properties, "provisioningState").orElse(""));
    String managedBy =
        AzureAnswers.object(properties, "registrationDefinition")
            .flatMap(definition -> AzureAnswers.object(definition, "properties"))
            .flatMap(definition -> AzureAnswers.string(definition, "managedByTenantId"))
            .orElse(settings.tenantId());
    return succeeded && managedBy.equalsIgnoreCase(settings.tenantId());
  }

  /** Resource Manager's failures that are not about the customer's subscription. */
  private RuntimeException failure(Answer answer, String authorization) {
    if (answer.status() == 401) {
      tokens.refused(authorization);
      return AzureAnswers.ownCredentials(ARM, answer, answer.errorCode());
    }
    return AzureAnswers.otherwise(ARM, answer, clock);
  }

  private void requireConfigured() {
    if (!configured()) {
      throw new IllegalStateException("Azure is not configured: check configured() first");
    }
  }
}
