package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.azure.AzureAnswers.Answer;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/**
 * Azure Resource Manager with our bearer token: the calls verification and removal make. One per
 * deployment, so both share one cached token; an answer 401 drops the token it refused, so that it
 * is never offered again (but the 401 of a subscription at home in another tenant, which refuses
 * the subscription, not the token).
 */
final class ResourceManager {
  static final String PEER = "Azure Resource Manager";

  private final AccessTokens tokens;
  private final ResourceManagerClient client;
  private final Client follower;
  private final URI base;
  private final Clock clock;

  ResourceManager(AzureSettings settings, SSLContext tls, Clock clock) {
    this.tokens = new AccessTokens(AzureClients.entraId(settings, tls), settings, clock);
    this.client = AzureClients.resourceManager(settings, tls);
    this.follower = AzureClients.follower(tls);
    this.base = settings.resourceManager();
    this.clock = clock;
  }

  /** The subscription as our principal sees it. */
  Answer subscription(SubscriptionId subscription) {
    return call(
        authorization ->
            client.subscription(
                authorization,
                subscription.value(),
                ResourceManagerClient.SUBSCRIPTIONS_API_VERSION));
  }

  /** The subscription's Lighthouse registration assignments, each with its definition. */
  Answer assignments(SubscriptionId subscription) {
    return call(
        authorization ->
            client.registrationAssignments(
                authorization,
                subscription.value(),
                ResourceManagerClient.MANAGED_SERVICES_API_VERSION,
                true));
  }

  Answer deleteAssignment(SubscriptionId subscription, String name) {
    return call(
        authorization ->
            client.removeRegistrationAssignment(
                authorization,
                subscription.value(),
                name,
                ResourceManagerClient.MANAGED_SERVICES_API_VERSION));
  }

  /**
   * Reads a URL Resource Manager handed us (an accepted operation's status, a listing's next page),
   * as it is, query included. Only on Resource Manager itself: our token is never sent to another
   * host, whatever an answer points at.
   */
  Answer follow(URI url) {
    if (!onResourceManager(url)) {
      throw new UnexpectedAnswer(PEER + " pointed at another host than its own: not followed");
    }
    return call(
        authorization ->
            follower
                .target(url)
                .request(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .get());
  }

  /**
   * The failures that are not about the customer's subscription. A token Resource Manager finds
   * expired is transient: it was dropped, the next attempt fetches a new one (our cache renews
   * early, so this takes a clock that disagrees with Azure's). Any other 401 is our credentials.
   */
  RuntimeException failure(Answer answer) {
    if (answer.status() == 401 && "ExpiredAuthenticationToken".equals(answer.errorCode())) {
      return new TransientFailure(
          PEER + " found our token expired: HTTP 401 " + answer.errorCode());
    }
    if (answer.status() == 401) {
      return AzureAnswers.ownCredentials(PEER, answer, answer.errorCode());
    }
    return AzureAnswers.otherwise(PEER, answer, clock);
  }

  private Answer call(Function<String, Response> call) {
    String authorization = tokens.authorization();
    Answer answer = AzureAnswers.call(PEER, () -> call.apply(authorization));
    if (answer.status() == 401 && !answer.fromAnotherTenant()) {
      tokens.refused(authorization);
    }
    return answer;
  }

  private boolean onResourceManager(URI url) {
    return url.isAbsolute()
        && base.getScheme().equalsIgnoreCase(url.getScheme())
        && base.getHost().toLowerCase(Locale.ROOT).equals(lowerHost(url))
        && port(base) == port(url)
        && url.getRawUserInfo() == null;
  }

  private static String lowerHost(URI url) {
    return url.getHost() == null ? "" : url.getHost().toLowerCase(Locale.ROOT);
  }

  private static int port(URI url) {
    if (url.getPort() != -1) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }
}
