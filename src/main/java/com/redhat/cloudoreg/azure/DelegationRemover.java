package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.azure.AzureAnswers.Answer;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Ends our Lighthouse delegation of a customer's subscription, as far as the contract lets us: only
 * the one registration assignment of <em>our offer</em> (its definition managed by our tenant and
 * named as our offer, {@link AzureSettings#offerName}; another offer of our tenant is never ours to
 * end), none when there are several, nothing in shadow mode. Best effort: every result is logged
 * and counted, and nothing is thrown for a peer's failure.
 *
 * <p>Listing and deleting run on the caller's thread, so a later event of the tenant finds the
 * deletion already issued. An accepted deletion (202) is then followed without holding a thread:
 * each read of its status is scheduled on the platform's executor after the wait Azure's {@code
 * Retry-After} asks for ({@link CompletableFuture#delayedExecutor}: the JDK's one timer thread only
 * hands the read over), until it ends or {@link Policy#AZURE_REMOVAL_FOLLOW_BOUND_MS} would pass.
 * MP Fault Tolerance cannot wait per answer, and a sleeping thread would hold the tenant's lane for
 * as long as Azure takes.
 */
final class DelegationRemover {
  private static final Logger LOG = Logger.getLogger(DelegationRemover.class.getName());

  private final ResourceManager arm;
  private final AzureSettings settings;
  private final Mode mode;
  private final FlowMetrics metrics;
  private final Executor executor;
  private final Clock clock;

  DelegationRemover(
      ResourceManager arm,
      AzureSettings settings,
      Mode mode,
      FlowMetrics metrics,
      Executor executor,
      Clock clock) {
    this.arm = arm;
    this.settings = settings;
    this.mode = mode;
    this.metrics = metrics;
    this.executor = executor;
    this.clock = clock;
  }

  /** The result once known (at once, unless a deletion was accepted); never completes failed. */
  CompletionStage<DelegationRemoval> remove(SubscriptionId subscription) {
    CompletionStage<DelegationRemoval> removal;
    try {
      removal = removeOurs(subscription);
    } catch (PeerFailure failure) {
      removal = done(failed(subscription, failure));
    }
    return removal.thenApply(
        result -> {
          metrics.azureDelegationRemoval(result.label());
          return result;
        });
  }

  private CompletionStage<DelegationRemoval> removeOurs(SubscriptionId subscription) {
    if (settings.offerName().isBlank()) {
      // no assignment could be told ours: "none" would settle the record of a delegation that
      // stays, so it is failed (counted, the record kept for a run once the name is set)
      LOG.log(
          Level.WARNING,
          "Azure delegation of subscription {0} not removed: without an offer name"
              + " (AZURE_OFFER_NAME, or CLOUDIGRADE_ENVIRONMENT to derive it) no registration"
              + " assignment can be told ours",
          subscription);
      return done(DelegationRemoval.FAILED);
    }
    Answer listed = arm.assignments(subscription);
    if (listed.notVisible()) {
      LOG.log(
          Level.INFO,
          "Azure delegation of subscription {0}: none to remove, the subscription is not visible to"
              + " us (HTTP {1} {2})",
          new Object[] {subscription, listed.status(), listed.errorCode()});
      return done(DelegationRemoval.NONE);
    }
    if (!listed.ok()) {
      throw arm.failure(listed);
    }
    List<String> ours = everyOfOurOffer(listed);
    if (ours.isEmpty()) {
      LOG.log(
          Level.INFO,
          "Azure delegation of subscription {0}: no registration assignment of our offer to remove",
          subscription);
      return done(DelegationRemoval.NONE);
    }
    if (ours.size() > 1) {
      LOG.log(
          Level.WARNING,
          "Azure delegation of subscription {0} not removed: {1} registration assignments of our"
              + " offer ({2}), none touched",
          new Object[] {subscription, ours.size(), String.join(", ", ours)});
      return done(DelegationRemoval.SEVERAL);
    }
    String name = ours.get(0);
    if (mode.isShadow()) {
      LOG.log(
          Level.INFO,
          "Shadow mode: Azure delegation not removed; live mode would remove registration"
              + " assignment {1} of subscription {0}",
          new Object[] {subscription, name});
      return done(DelegationRemoval.SHADOW);
    }
    Answer deleted = arm.deleteAssignment(subscription, name);
    int status = deleted.status();
    if (status == 200 || status == 204) {
      return done(removed(subscription, name, "HTTP " + status));
    }
    if (status == 202) {
      return follow(subscription, name, deleted);
    }
    if (status == 404 || deleted.fromAnotherTenant()) {
      if (!deleted.notVisible()) {
        // not Resource Manager's own "not found" (a misrouted URL, a proxy's page): unsettled
        throw arm.failure(deleted);
      }
      LOG.log(
          Level.INFO,
          "Azure delegation of subscription {0}: registration assignment {1} gone meanwhile",
          new Object[] {subscription, name});
      return done(DelegationRemoval.NONE);
    }
    if (status == 401 || status == 429 || status >= 500) {
      throw arm.failure(deleted);
    }
    return done(refused(subscription, name, "HTTP " + status + " " + deleted.errorCode()));
  }

  /**
   * Names of the subscription's succeeded assignments of our offer, on every page of the listing:
   * Resource Manager answers a long one in pages, each naming the next ({@code nextLink}), and ours
   * may be on any of them; "several of ours" is only known from them all. A page that cannot be
   * read leaves the removal failed, never "none found".
   */
  private List<String> everyOfOurOffer(Answer firstPage) {
    List<String> ours = new ArrayList<>(ofOurOffer(firstPage.body()));
    Optional<URI> next = nextPage(firstPage.body());
    for (int pages = 1; next.isPresent(); pages++) {
      if (pages == Policy.AZURE_ASSIGNMENT_PAGES_MAX) {
        throw new UnexpectedAnswer(
            ResourceManager.PEER
                + " listed registration assignments past "
                + Policy.AZURE_ASSIGNMENT_PAGES_MAX
                + " pages");
      }
      Answer page = arm.follow(next.get());
      if (!page.ok()) {
        throw arm.failure(page);
      }
      ours.addAll(ofOurOffer(page.body()));
      next = nextPage(page.body());
    }
    return ours.stream().distinct().toList();
  }

  /** The next page's URL ({@code nextLink}); none when the page says null or nothing. */
  private static Optional<URI> nextPage(JsonObject page) {
    JsonValue link = page.getOrDefault("nextLink", JsonValue.NULL);
    if (link.getValueType() == JsonValue.ValueType.NULL) {
      return Optional.empty();
    }
    if (link instanceof JsonString text) {
      String url = text.getString();
      try {
        return url.isBlank() ? Optional.empty() : Optional.of(URI.create(url));
      } catch (IllegalArgumentException notAUrl) {
        // told below, as for a value that is no string
      }
    }
    throw new UnexpectedAnswer(ResourceManager.PEER + " named a next page that is not a URL");
  }

  /**
   * Names of one listing page's succeeded assignments of our offer. The customer's subscription may
   * hold other providers' delegations and other offers of our tenant; all are visible to us. A page
   * without its list, or an assignment without its definition, cannot say whether ours is there:
   * the removal fails rather than take it for "not there".
   */
  private List<String> ofOurOffer(JsonObject listing) {
    if (!(listing.get("value") instanceof JsonArray assignments)) {
      throw new UnexpectedAnswer(
          ResourceManager.PEER + " answered a listing of registration assignments without a list");
    }
    return assignments.stream()
        .filter(JsonObject.class::isInstance)
        .map(JsonObject.class::cast)
        .filter(this::isOfOurOffer)
        .map(assignment -> AzureAnswers.string(assignment, "name").orElse(""))
        .filter(name -> !name.isBlank())
        .toList();
  }

  private boolean isOfOurOffer(JsonObject assignment) {
    JsonObject properties =
        AzureAnswers.object(assignment, "properties").orElse(JsonValue.EMPTY_JSON_OBJECT);
    Optional<JsonObject> definition =
        AzureAnswers.object(properties, "registrationDefinition")
            .flatMap(expanded -> AzureAnswers.object(expanded, "properties"));
    if (definition.isEmpty()) {
      throw new UnexpectedAnswer(
          ResourceManager.PEER + " listed a registration assignment without its definition");
    }
    return "Succeeded".equals(AzureAnswers.string(properties, "provisioningState").orElse(""))
        && definition
            .flatMap(d -> AzureAnswers.string(d, "managedByTenantId"))
            .filter(settings.tenantId()::equalsIgnoreCase)
            .isPresent()
        && definition
            .flatMap(d -> AzureAnswers.string(d, "registrationDefinitionName"))
            .filter(settings.offerName()::equals)
            .isPresent();
  }

  /** Follows an accepted deletion until it ends, within the bound. */
  private CompletionStage<DelegationRemoval> follow(
      SubscriptionId subscription, String name, Answer accepted) {
    Optional<Operation> operation = Operation.of(accepted);
    if (operation.isEmpty()) {
      LOG.log(
          Level.WARNING,
          "Azure delegation of subscription {0}: the removal of registration assignment {1} was"
              + " accepted without an operation to follow; not known to be removed",
          new Object[] {subscription, name});
      return done(DelegationRemoval.FAILED);
    }
    Instant deadline = clock.instant().plusMillis(Policy.AZURE_REMOVAL_FOLLOW_BOUND_MS);
    return poll(subscription, name, operation.get(), accepted, deadline);
  }

  /** Reads the operation's status after the wait {@code previous} asked for, within the bound. */
  private CompletionStage<DelegationRemoval> poll(
      SubscriptionId subscription,
      String name,
      Operation operation,
      Answer previous,
      Instant deadline) {
    Duration wait = waitAfter(previous);
    if (clock.instant().plus(wait).isAfter(deadline)) {
      LOG.log(
          Level.WARNING,
          "Azure delegation of subscription {0}: the removal of registration assignment {1} was"
              + " accepted and had not ended when the next read would pass {2,number,#} ms",
          new Object[] {subscription, name, Policy.AZURE_REMOVAL_FOLLOW_BOUND_MS});
      return done(DelegationRemoval.FAILED);
    }
    Executor later =
        CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, executor);
    return CompletableFuture.supplyAsync(() -> arm.follow(operation.url()), later)
        .thenCompose(answer -> settle(subscription, name, operation, answer, deadline))
        .exceptionally(failure -> failedLater(subscription, failure));
  }

  /**
   * An operation's answer: {@code Azure-AsyncOperation} says {@code status} in its body ({@code
   * InProgress} until {@code Succeeded}, {@code Failed} or {@code Canceled}); {@code Location}
   * answers 202 while the operation runs and 200 or 204 once it succeeded.
   */
  private CompletionStage<DelegationRemoval> settle(
      SubscriptionId subscription,
      String name,
      Operation operation,
      Answer answer,
      Instant deadline) {
    if (answer.status() == 429 || answer.status() >= 500) {
      // the read throttled or failed says nothing of the deletion: read again after the wait
      // Azure asked for, within the bound
      return poll(subscription, name, operation, answer, deadline);
    }
    if (!answer.ok()) {
      throw arm.failure(answer);
    }
    if (!operation.asyncOperation()) {
      return answer.status() == 202
          ? poll(subscription, name, operation, answer, deadline)
          : done(removed(subscription, name, "operation ended HTTP " + answer.status()));
    }
    String status = AzureAnswers.string(answer.body(), "status").orElse("");
    return switch (status) {
      case "Succeeded" -> done(removed(subscription, name, "operation Succeeded"));
      case "Failed", "Canceled" ->
          done(
              refused(
                  subscription,
                  name,
                  "operation "
                      + status
                      + " "
                      + AzureAnswers.object(answer.body(), "error")
                          .flatMap(error -> AzureAnswers.string(error, "code"))
                          .orElse("")));
      default -> poll(subscription, name, operation, answer, deadline);
    };
  }

  /** Azure's {@code Retry-After}, else our default; never less than our shortest wait. */
  private Duration waitAfter(Answer answer) {
    Duration asked =
        Throttled.parse(answer.retryAfter(), clock)
            .orElse(Duration.ofMillis(Policy.AZURE_REMOVAL_POLL_DEFAULT_MS));
    Duration shortest = Duration.ofMillis(Policy.AZURE_REMOVAL_POLL_MIN_MS);
    return asked.compareTo(shortest) < 0 ? shortest : asked;
  }

  private static DelegationRemoval removed(SubscriptionId subscription, String name, String how) {
    LOG.log(
        Level.INFO,
        "Azure delegation removed: subscription {0}, registration assignment {1} ({2})",
        new Object[] {subscription, name, how});
    return DelegationRemoval.REMOVED;
  }

  private static DelegationRemoval refused(SubscriptionId subscription, String name, String how) {
    LOG.log(
        Level.WARNING,
        "Azure delegation of subscription {0} not removed: Azure refused to delete registration"
            + " assignment {1} ({2})",
        new Object[] {subscription, name, how});
    return DelegationRemoval.REFUSED;
  }

  private static DelegationRemoval failed(SubscriptionId subscription, PeerFailure failure) {
    LOG.log(
        Level.WARNING,
        "Azure delegation of subscription {0} not removed: {1}",
        new Object[] {subscription, failure.getMessage()});
    return DelegationRemoval.FAILED;
  }

  /** A failure while following: nobody waits on this stage, so it is said here. */
  private static DelegationRemoval failedLater(SubscriptionId subscription, Throwable thrown) {
    Throwable failure =
        thrown instanceof CompletionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    if (failure instanceof PeerFailure peer) {
      return failed(subscription, peer);
    }
    // a bug of ours: with its stack trace, and the removal counted as failed
    LOG.log(
        Level.SEVERE,
        failure,
        () -> "Azure delegation of subscription " + subscription + " not removed: internal error");
    return DelegationRemoval.FAILED;
  }

  private static CompletionStage<DelegationRemoval> done(DelegationRemoval result) {
    return CompletableFuture.completedStage(result);
  }

  /** Where an accepted deletion is followed, and which of Azure's two ways it reads. */
  private record Operation(URI url, boolean asyncOperation) {
    static Optional<Operation> of(Answer accepted) {
      return uri(accepted.asyncOperation())
          .map(url -> new Operation(url, true))
          .or(() -> uri(accepted.location()).map(url -> new Operation(url, false)));
    }

    private static Optional<URI> uri(String header) {
      if (header == null || header.isBlank()) {
        return Optional.empty();
      }
      try {
        return Optional.of(URI.create(header.strip()));
      } catch (IllegalArgumentException notAUrl) {
        return Optional.empty();
      }
    }
  }
}
