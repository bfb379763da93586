package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.json.JsonText;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.ClientFailures;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Reading Azure's answers: bodies as JSON, failures as our typed errors. */
final class AzureAnswers {
  private static final Duration IN_PLACE = Duration.ofMillis(Policy.AZURE_RETRY_IN_PLACE_MS);
  private static final String WRONG_TENANT = "InvalidAuthenticationTokenTenant";

  private AzureAnswers() {}

  /**
   * An answer: its status, its JSON body (empty object when none or not JSON), and the headers we
   * read: {@code Retry-After}, and where an accepted operation is followed ({@code
   * Azure-AsyncOperation}, {@code Location}); each null when absent.
   */
  record Answer(
      int status, JsonObject body, String retryAfter, String asyncOperation, String location) {
    boolean ok() {
      return status >= 200 && status < 300;
    }

    /**
     * Resource Manager's own "not visible to us": a 404 or 403 with its error object ({@code
     * SubscriptionNotFound}, {@code AuthorizationFailed}, …), or the 401 it gives a token of our
     * tenant for a subscription at home in another tenant that has not delegated it to us ({@link
     * #fromAnotherTenant}). A bare 404 or 403 (a misrouted URL, a proxy's page, even one in JSON)
     * says nothing of the subscription.
     */
    boolean notVisible() {
      return ((status == 404 || status == 403) && !armErrorCode().isEmpty()) || fromAnotherTenant();
    }

    /**
     * Resource Manager's {@code 401 InvalidAuthenticationTokenTenant} ("The access token is from
     * the wrong issuer … It must match the tenant … associated with this subscription"): our token
     * is good, the subscription is another tenant's and not delegated to ours. Not a refusal of our
     * credentials: the token is kept.
     */
    boolean fromAnotherTenant() {
      return status == 401 && WRONG_TENANT.equals(armErrorCode());
    }

    private String armErrorCode() {
      return body.get("error") instanceof JsonObject arm ? arm.getString("code", "") : "";
    }

    /** ARM's {@code error.code}, or Entra ID's {@code error}, or empty. */
    String errorCode() {
      JsonValue error = body.get("error");
      if (error instanceof JsonObject arm) {
        return arm.getString("code", "");
      }
      return body.getString("error", "");
    }
  }

  /**
   * Makes one call; an unreachable peer (connection, TLS, read timeout) is transient, an answer
   * that cannot be read unexpected ({@link ClientFailures}).
   */
  static Answer call(String peer, Supplier<Response> call) {
    try (Response response = send(call)) {
      String text = response.hasEntity() ? response.readEntity(String.class) : "";
      return new Answer(
          response.getStatus(),
          json(text),
          response.getHeaderString("Retry-After"),
          response.getHeaderString("Azure-AsyncOperation"),
          response.getHeaderString(HttpHeaders.LOCATION));
    } catch (ProcessingException noAnswerOrUnreadable) {
      throw ClientFailures.of(peer, noAnswerOrUnreadable);
    }
  }

  private static Response send(Supplier<Response> call) {
    try {
      return call.get();
    } catch (WebApplicationException mapped) {
      // only if a runtime ignored the disabled default mapper: the answer is still in there
      return mapped.getResponse();
    }
  }

  /**
   * The failures both peers share: throttling and outages (a 429 or 503 not retried in place when
   * its {@code Retry-After} is longer than our retry's pause), and anything else is unexpected.
   */
  static RuntimeException otherwise(String peer, Answer answer, Clock clock) {
    if (answer.status() == 429 || answer.status() >= 500) {
      return Throttled.of(
          (peer + " failed: HTTP " + answer.status() + " " + answer.errorCode()).strip(),
          answer.status(),
          answer.retryAfter(),
          IN_PLACE,
          clock);
    }
    return new UnexpectedAnswer(
        peer + " answered HTTP " + answer.status() + " " + answer.errorCode());
  }

  static OwnCredentialsRejected ownCredentials(String peer, Answer answer, String detail) {
    return new OwnCredentialsRejected(
        peer + " refused our credentials: HTTP " + answer.status() + " " + detail);
  }

  static Optional<String> string(JsonObject object, String name) {
    return object.get(name) instanceof jakarta.json.JsonString text
        ? Optional.of(text.getString())
        : Optional.empty();
  }

  static Optional<JsonObject> object(JsonObject object, String name) {
    return object.get(name) instanceof JsonObject inner ? Optional.of(inner) : Optional.empty();
  }

  private static JsonObject json(String text) {
    if (text.isBlank()) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    return JsonText.object(text).orElse(JsonValue.EMPTY_JSON_OBJECT);
  }
}
