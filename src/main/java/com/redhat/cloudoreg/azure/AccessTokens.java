package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.azure.AzureAnswers.Answer;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.json.JsonNumber;
import jakarta.ws.rs.core.Form;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Our Resource Manager token from Entra ID (OAuth2 client credentials), kept until shortly before
 * it expires. The token and the secret never leave this class except as the {@code Authorization}
 * header value, and never appear in a log or an exception.
 */
final class AccessTokens {
  static final String SCOPE = "https://management.azure.com/.default";

  /** Refresh this long before expiry (as Azure's SDKs do), or at half life for short tokens. */
  static final Duration REFRESH_BEFORE = Duration.ofMinutes(5);

  private static final String PEER = "Entra ID";

  /** Entra ID's answers that mean our application, secret or tenant is wrong: our outage. */
  private static final Set<String> OUR_CREDENTIALS_REFUSED =
      Set.of(
          "invalid_client",
          "unauthorized_client",
          "invalid_scope",
          "invalid_request",
          "invalid_grant",
          "unsupported_grant_type");

  private final EntraIdClient entraId;
  private final AzureSettings settings;
  private final Clock clock;
  private Token current;

  AccessTokens(EntraIdClient entraId, AzureSettings settings, Clock clock) {
    this.entraId = entraId;
    this.settings = settings;
    this.clock = clock;
  }

  private record Token(String value, Instant refreshAt) {
    @Override
    public String toString() {
      return "Token[refreshAt=" + refreshAt + "]";
    }
  }

  /** The {@code Authorization} header value: the cached token, or a new one when due. */
  synchronized String authorization() {
    if (current == null || !clock.instant().isBefore(current.refreshAt())) {
      current = fetch();
    }
    return "Bearer " + current.value();
  }

  /** Resource Manager refused this token: never offer it again. */
  synchronized void refused(String authorization) {
    if (current != null && authorization.equals("Bearer " + current.value())) {
      current = null;
    }
  }

  private Token fetch() {
    Instant asked = clock.instant();
    Form form =
        new Form()
            .param("grant_type", "client_credentials")
            .param("client_id", settings.clientId())
            .param("client_secret", settings.clientSecret())
            .param("scope", SCOPE);
    Answer answer = AzureAnswers.call(PEER, () -> entraId.token(settings.tenantId(), form));
    if (answer.ok()) {
      String token = AzureAnswers.string(answer.body(), "access_token").orElse("");
      String type = AzureAnswers.string(answer.body(), "token_type").orElse("");
      if (token.isBlank()
          || !"Bearer".equalsIgnoreCase(type)
          || !(answer.body().get("expires_in") instanceof JsonNumber expiresIn)) {
        throw new UnexpectedAnswer(PEER + " answered 200 without a bearer token and its lifetime");
      }
      Duration lifetime = Duration.ofSeconds(expiresIn.longValue());
      Duration early =
          lifetime.dividedBy(2).compareTo(REFRESH_BEFORE) < 0
              ? lifetime.dividedBy(2)
              : REFRESH_BEFORE;
      return new Token(token, asked.plus(lifetime).minus(early));
    }
    String error = answer.errorCode();
    if ((answer.status() == 400 || answer.status() == 401)
        && OUR_CREDENTIALS_REFUSED.contains(error)) {
      throw AzureAnswers.ownCredentials(PEER, answer, error + aadsts(answer));
    }
    throw AzureAnswers.otherwise(PEER, answer, clock);
  }

  /** Entra ID's own error number (AADSTS7000215: wrong secret), safe to log. */
  private static String aadsts(Answer answer) {
    return answer.body().get("error_codes") instanceof jakarta.json.JsonArray codes
            && !codes.isEmpty()
            && codes.get(0) instanceof JsonNumber code
        ? " AADSTS" + code.longValue()
        : "";
  }
}
