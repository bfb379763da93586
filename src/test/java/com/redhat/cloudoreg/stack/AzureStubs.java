package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.notMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Stand-ins for Microsoft Entra ID's token endpoint and Azure Resource Manager, over TLS only (the
 * server certificate of {@link Certificates}), as strict as the real ones about what we send: the
 * tenant in the path, the client-credentials form, the exact scope, our bearer token, the API
 * version. They answer with Azure's shapes, its errors included.
 *
 * <p>Each of those refusals is also a {@link Violations violation} (a request the real Azure would
 * refuse because we sent it wrong), which fails the test that caused it; the answers a test asks
 * for ({@link #refusingOurSecret}, {@link #tokenRevokedFor}, …) are not.
 */
public final class AzureStubs implements AutoCloseable, CheckedStandIn {
  /** Red Hat's tenant, application and secret as the stand-ins know them. */
  public static final String TENANT_ID = "2b7c5e3a-9d41-4c6f-8a0e-5f1d3c7b9e24";

  public static final String CLIENT_ID = "a4e8c1d6-3f2b-4e9a-b7c5-0d1e2f3a4b5c";
  public static final String CLIENT_SECRET = "cloudoreg-test-azure-secret-Vq8~Lm3";
  public static final String SCOPE = "https://management.azure.com/.default";

  /** Our principal's object id (the offer template names it). */
  public static final String SP_OBJECT_ID = "5e1d9c7b-3a2f-4e8d-9b6c-1f0a2e3d4c5b";

  /** The environment name our offer is named after, as cloudigrade's is. */
  public static final String ENVIRONMENT = "test";

  /** Our Lighthouse offer's name: the name of our registration definitions. */
  public static final String OFFER_NAME = "cloudigrade-" + ENVIRONMENT;

  /** Another offer of our own tenant, whose delegations are not ours to end. */
  public static final String ANOTHER_OFFER = "Red Hat RHEL provisioning";

  /**
   * What every access token Entra ID issues starts with (each gets a number of its own after it);
   * must never reach a log.
   */
  public static final String ISSUED_TOKEN =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.cloudoreg-test-arm-token.Hx4kP9";

  /** The {@code expires_in} of a token unless a test asks for another: Entra ID's. */
  public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(3599);

  /** The states Azure gives a subscription. */
  public static final Set<String> SUBSCRIPTION_STATES =
      Set.of("Enabled", "Warned", "PastDue", "Disabled", "Deleted");

  /** How an accepted deletion is followed. */
  public enum Follow {
    /** {@code Azure-AsyncOperation}: a status body, {@code InProgress} until it ends. */
    ASYNC_OPERATION,
    /** {@code Location} only: 202 while it runs, 200 once done. */
    LOCATION
  }

  /** Another provider's tenant, whose Lighthouse assignments are none of our business. */
  public static final String OTHER_PROVIDER_TENANT = "9f8e7d6c-5b4a-4321-8fed-cba987654321";

  /** A customer's own tenant. */
  public static final String CUSTOMER_TENANT = "7d3f1a9b-2c4e-4d8f-9a1b-3c5e7f9a1b2d";

  private static final String TOKEN_PATH = "/" + TENANT_ID + "/oauth2/v2.0/token";
  private static final String SUBSCRIPTION = "/subscriptions/[^/]+";
  private static final String ASSIGNMENTS =
      "/providers/Microsoft.ManagedServices/registrationAssignments";

  private static final String OPERATIONS = "/providers/Microsoft.ManagedServices/operationStatuses";

  /** The rule a refusal stands for, in its stub's metadata: a request of ours that broke it. */
  private static final String BROKEN_RULE = "azure-broken-rule";

  /** In the metadata of the stub that answers a good token request: the gate issues the token. */
  private static final String ISSUES_TOKEN = "azure-issues-token";

  private final WireMockServer entraId;
  private final WireMockServer resourceManager;
  private final Violations violations = new Violations("Azure");

  /**
   * Every token issued, with when it expires. Kept across {@link #reset}: the service holds its
   * token from one test to the next, as it would hold Entra ID's.
   */
  private final Map<String, Instant> issued = new ConcurrentHashMap<>();

  private final AtomicInteger tokensIssued = new AtomicInteger();
  private final AtomicInteger expiredTokensRefused = new AtomicInteger();
  private final AtomicInteger operations = new AtomicInteger();
  private volatile Duration tokenLifetime = TOKEN_LIFETIME;
  private volatile Instant lastExpiry = Instant.MIN;

  public AzureStubs(Certificates certificates) {
    entraId = tlsServer(certificates, new Gate("Entra ID", this::issueToken));
    resourceManager = tlsServer(certificates, new Gate("Resource Manager", this::checkToken));
    reset();
  }

  private static WireMockServer tlsServer(Certificates certificates, Gate gate) {
    WireMockServer server =
        new WireMockServer(
            options()
                .extensions(gate)
                .httpDisabled(true)
                .httpsPort(Ports.free())
                .keystorePath(certificates.serverKeyStore().toString())
                .keystorePassword(Certificates.PASSWORD)
                .keyManagerPassword(Certificates.PASSWORD)
                .keystoreType("PKCS12"));
    server.start();
    return server;
  }

  /** {@code AZURE_AUTHORITY_HOST} for the stand-in. */
  public String authorityHost() {
    return "https://localhost:" + entraId.httpsPort();
  }

  /** {@code AZURE_RESOURCE_MANAGER_URL} for the stand-in. */
  public String resourceManagerUrl() {
    return "https://localhost:" + resourceManager.httpsPort();
  }

  public WireMockServer entraId() {
    return entraId;
  }

  public WireMockServer resourceManager() {
    return resourceManager;
  }

  @Override
  public Violations violations() {
    return violations;
  }

  /**
   * Forgets every subscription and request, and a token lifetime a test asked for; only the
   * refusals stay, and the tokens issued stay valid until they expire. Violations are kept for the
   * test that caused them.
   */
  public void reset() {
    entraId.resetAll();
    resourceManager.resetAll();
    // resetAll keeps a global delay: a test that failed before taking its own back leaves none
    entraId.setGlobalFixedDelay(0);
    resourceManager.setGlobalFixedDelay(0);
    tokenLifetime = TOKEN_LIFETIME;
    expiredTokensRefused.set(0);
    stubTokenEndpoint();
    stubResourceManagerRefusals();
  }

  /** The {@code expires_in} of the tokens issued from now on (until {@link #reset}). */
  public void tokenLifetime(Duration lifetime) {
    tokenLifetime = lifetime;
  }

  /** Whether the token issued last has expired. */
  public boolean lastTokenExpired() {
    return !Instant.now().isBefore(lastExpiry);
  }

  /** Requests Resource Manager refused because their token had expired (since {@link #reset}). */
  public int expiredTokensRefused() {
    return expiredTokensRefused.get();
  }

  public int tokenRequests() {
    return entraId.countRequestsMatching(postRequestedFor(anyUrl()).build()).getCount();
  }

  public int resourceManagerRequests() {
    return resourceManager.countRequestsMatching(anyRequestedFor(anyUrl()).build()).getCount();
  }

  /** Every request Resource Manager received about that subscription (its assignments too). */
  public List<LoggedRequest> subscriptionRequests(String subscriptionId) {
    return resourceManager.findAll(
        anyRequestedFor(
            urlPathMatching("/subscriptions/" + Pattern.quote(subscriptionId) + "(/.*)?")));
  }

  /**
   * Entra ID refuses our secret from now on (expired or rotated): {@code invalid_client}, as it
   * answers a wrong secret, to every token request.
   */
  public void refusingOurSecret() {
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(1)
            .willReturn(
                json(
                    401,
                    entraError(
                        "invalid_client",
                        7000222,
                        "AADSTS7000222: The provided client secret keys for app '"
                            + CLIENT_ID
                            + "' are expired. Visit the Azure portal to create new keys for"
                            + " your app."))));
  }

  /**
   * Resource Manager refuses the token we hold when asked about that subscription, as it does a
   * revoked or expired one ({@code 401 InvalidAuthenticationToken}): a token the service must never
   * offer again.
   */
  public void tokenRevokedFor(String subscriptionId) {
    resourceManager.stubFor(subscription(subscriptionId).atPriority(3).willReturn(revokedToken()));
  }

  /**
   * Resource Manager refuses our token once, for the first read of that subscription: whatever
   * token the service held is dropped, and its next attempt gets a new one.
   */
  public void tokenRevokedOnceFor(String subscriptionId) {
    InTurn.failFirst(resourceManager, () -> subscription(subscriptionId), 1, revokedToken());
  }

  private static ResponseDefinitionBuilder revokedToken() {
    return json(
            401,
            armError(
                "InvalidAuthenticationToken", "The access token has been revoked or has expired."))
        .withHeader(
            "WWW-Authenticate",
            "Bearer authorization_uri=\"https://login"
                + ".microsoftonline.com/common\", error=\"invalid_token\"");
  }

  /**
   * The customer delegated the subscription to Red Hat through Lighthouse: Red Hat sees it, in this
   * state, managed by our tenant, at home in the customer's.
   */
  public void delegated(String subscriptionId, String state) {
    visible(subscriptionId, CUSTOMER_TENANT, state, TENANT_ID);
  }

  /**
   * Red Hat's principal sees the subscription (200), at home in {@code homeTenant}, managed by
   * {@code managedByTenants}: without our tenant among them, Red Hat sees it through plain RBAC (as
   * its own test subscriptions), not through a delegation.
   */
  public void visible(
      String subscriptionId, String homeTenant, String state, String... managedByTenants) {
    if (!SUBSCRIPTION_STATES.contains(state)) {
      throw new IllegalArgumentException("Azure has no subscription state " + state);
    }
    resourceManager.stubFor(
        subscription(subscriptionId)
            .willReturn(
                json(200, subscriptionBody(subscriptionId, homeTenant, state, managedByTenants))));
  }

  /** The subscription exists but our principal has no role on it. */
  public void forbidden(String subscriptionId) {
    resourceManager.stubFor(
        subscription(subscriptionId)
            .willReturn(
                json(
                    403,
                    armError(
                        "AuthorizationFailed",
                        "The client '"
                            + CLIENT_ID
                            + "' with object id '"
                            + CLIENT_ID
                            + "' does not have authorization to perform action"
                            + " 'Microsoft.Resources/subscriptions/read' over scope '/subscriptions/"
                            + subscriptionId
                            + "' or the scope is invalid. If access was recently granted, please"
                            + " refresh your credentials."))));
  }

  /**
   * The subscription exists at home in the customer's tenant and is not delegated to ours (the
   * offer never deployed, or removed): Resource Manager answers our token, for anything under that
   * subscription, as it answers a token of a tenant the subscription is not associated with.
   */
  public void atHomeElsewhereNotDelegated(String subscriptionId) {
    resourceManager.stubFor(
        any(urlPathMatching("/subscriptions/" + Pattern.quote(subscriptionId) + "(/.*)?"))
            .atPriority(5)
            .willReturn(
                json(
                        401,
                        armError(
                            "InvalidAuthenticationTokenTenant",
                            "The access token is from the wrong issuer 'https://sts.windows.net/"
                                + TENANT_ID
                                + "/'. It must match the tenant 'https://sts.windows.net/"
                                + CUSTOMER_TENANT
                                + "/' associated with this subscription. Please use the authority"
                                + " (URL) 'https://login.windows.net/"
                                + CUSTOMER_TENANT
                                + "' to get the token."))
                    .withHeader(
                        "WWW-Authenticate",
                        "Bearer authorization_uri=\"https://login.windows.net/"
                            + CUSTOMER_TENANT
                            + "\", error=\"invalid_token\", error_description=\"The access token"
                            + " is from the wrong issuer.\"")));
  }

  /**
   * Not Resource Manager's answer: something in front of it (a misrouted URL, a proxy) answers the
   * read with this status and a page of its own, no ARM error in it.
   */
  public void answeredByAnotherServer(String subscriptionId, int status) {
    resourceManager.stubFor(subscription(subscriptionId).willReturn(anotherServers(status, false)));
  }

  /** As {@link #answeredByAnotherServer}, its page in JSON with an error of its own shape. */
  public void answeredByAnotherServerInJson(String subscriptionId, int status) {
    resourceManager.stubFor(subscription(subscriptionId).willReturn(anotherServers(status, true)));
  }

  /** The listing of the subscription's assignments answered by something else, as above. */
  public void assignmentsAnsweredByAnotherServer(String subscriptionId, int status) {
    resourceManager.stubFor(
        any(urlPathMatching(Pattern.quote(assignmentsPath(subscriptionId)) + "(/.*)?"))
            .atPriority(5)
            .willReturn(anotherServers(status, false)));
  }

  /** Deleting the assignment is answered by something in front of Resource Manager. */
  public void deletionAnsweredByAnotherServer(String subscriptionId, String name, int status) {
    resourceManager.stubFor(
        delete(urlPathEqualTo(assignmentsPath(subscriptionId) + "/" + name))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(5)
            .willReturn(anotherServers(status, true)));
  }

  private static ResponseDefinitionBuilder anotherServers(int status, boolean json) {
    return json
        ? aResponse()
            .withStatus(status)
            .withHeader("Content-Type", "application/json")
            .withBody("{\"error\":\"Not Found\",\"status\":" + status + "}")
        : aResponse()
            .withStatus(status)
            .withHeader("Content-Type", "text/html")
            .withBody("<html><body><h1>" + status + "</h1></body></html>");
  }

  /** Resource Manager throttles the first read, then shows the subscription enabled. */
  public void throttledOnce(String subscriptionId, String retryAfter) {
    String scenario = "throttled " + subscriptionId;
    resourceManager.stubFor(
        subscription(subscriptionId)
            .inScenario(scenario)
            .whenScenarioStateIs(Scenario.STARTED)
            .willSetStateTo("served")
            .willReturn(
                json(
                        429,
                        armError(
                            "TooManyRequests",
                            "The request is being throttled as the limit has been reached for"
                                + " operation type - Read_ObservationWindow_00:05:00."))
                    .withHeader("Retry-After", retryAfter)));
    resourceManager.stubFor(
        subscription(subscriptionId)
            .inScenario(scenario)
            .whenScenarioStateIs("served")
            .willReturn(
                json(
                    200, subscriptionBody(subscriptionId, CUSTOMER_TENANT, "Enabled", TENANT_ID))));
  }

  /** Resource Manager fails with this 5xx for the subscription. */
  public void failing(String subscriptionId, int status) {
    resourceManager.stubFor(
        subscription(subscriptionId)
            .willReturn(
                json(
                    status,
                    armError(
                        "ServiceUnavailable",
                        "The server is currently unable to handle the request."))));
  }

  /**
   * The subscription holds the succeeded Lighthouse registration assignment {@code name} of our
   * offer, and nothing else; deleting it answers 200.
   */
  public void ourAssignment(String subscriptionId, String name) {
    assignments(
        subscriptionId,
        "[" + assignmentBody(subscriptionId, name, "Succeeded", TENANT_ID, OFFER_NAME) + "]");
  }

  /**
   * The subscription's assignments, as the JSON array {@code value} (listed with their expanded
   * definitions, as {@code $expandRegistrationDefinition=true} asks); deleting any of them answers
   * 200, unless {@link #deletion} or {@link #deletionAccepted} says otherwise.
   */
  public void assignments(String subscriptionId, String valueArray) {
    assignmentsInPages(subscriptionId, valueArray);
  }

  /**
   * The subscription's assignments in pages, as Resource Manager answers a long listing: each
   * page's {@code value} array in turn, every page but the last naming the next in {@code nextLink}
   * (the same query, and a {@code $skipToken}); otherwise as {@link #assignments}.
   */
  public void assignmentsInPages(String subscriptionId, String... valueArrays) {
    for (int page = 0; page < valueArrays.length; page++) {
      String next =
          page + 1 < valueArrays.length
              ? ",\"nextLink\":\""
                  + resourceManagerUrl()
                  + assignmentsPath(subscriptionId)
                  + "?api-version=2022-10-01&$expandRegistrationDefinition=true&$skipToken="
                  + skipToken(page + 1)
                  + "\""
              : "";
      resourceManager.stubFor(
          get(urlPathEqualTo(assignmentsPath(subscriptionId)))
              .withQueryParam("api-version", equalTo("2022-10-01"))
              .withQueryParam("$expandRegistrationDefinition", equalTo("true"))
              .withQueryParam("$skipToken", page == 0 ? absent() : equalTo(skipToken(page)))
              .atPriority(5)
              .willReturn(json(200, "{\"value\":" + valueArrays[page] + next + "}")));
    }
    resourceManager.stubFor(
        get(urlPathEqualTo(assignmentsPath(subscriptionId)))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(6)
            .withMetadata(broken("assignments without their definitions cannot be told ours"))
            .willReturn(json(200, "{\"value\":[]}")));
    resourceManager.stubFor(
        delete(urlPathMatching(Pattern.quote(assignmentsPath(subscriptionId)) + "/[^/]+"))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(6)
            .willReturn(aResponse().withStatus(200)));
  }

  /** Deleting the assignment answers {@code status} (200, 204, 403 …) with Azure's body. */
  public void deletion(String subscriptionId, String name, int status) {
    ResponseDefinitionBuilder answer =
        status < 300
            ? aResponse().withStatus(status)
            : json(
                status,
                armError(
                    status == 403 ? "AuthorizationFailed" : "BadRequest",
                    "The client does not have authorization to perform action"
                        + " 'Microsoft.ManagedServices/registrationAssignments/delete'."));
    resourceManager.stubFor(
        delete(urlPathEqualTo(assignmentsPath(subscriptionId) + "/" + name))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(5)
            .willReturn(answer));
  }

  /**
   * Deleting the assignment is accepted (202, {@code Retry-After: 1}) and followed {@code follow}'s
   * way: the operation answers "in progress" {@code inProgress} times, each with {@code
   * Retry-After: 1}, then {@code end} ({@code Succeeded}, {@code Failed}, {@code Canceled}; with
   * {@link Follow#LOCATION}, 200 for {@code Succeeded}).
   */
  public void deletionAccepted(
      String subscriptionId, String name, Follow follow, int inProgress, String end) {
    String operationPath = accepted(subscriptionId, name, follow);
    List<ResponseDefinitionBuilder> reads = new java.util.ArrayList<>();
    for (int i = 0; i <= inProgress; i++) {
      boolean last = i == inProgress;
      ResponseDefinitionBuilder answer;
      if (follow == Follow.LOCATION) {
        answer = last ? aResponse().withStatus(200) : aResponse().withStatus(202);
      } else {
        answer =
            operationStatus(
                operationPath,
                last ? end : "InProgress",
                last && !"Succeeded".equals(end)
                    ? ",\"error\":{\"code\":\"RegistrationAssignmentDeleteFailed\","
                        + "\"message\":\"The registration assignment could not be deleted.\"}"
                    : "");
      }
      reads.add(last ? answer : answer.withHeader("Retry-After", "1"));
    }
    operationReads(operationPath, reads);
  }

  /**
   * Deleting the assignment is accepted and followed by {@code Azure-AsyncOperation}; the first
   * read of the operation fails with {@code status} (429 throttled, or a 5xx) and {@code
   * Retry-After: 2}, the next says {@code Succeeded}.
   */
  public void deletionAcceptedFailingItsFirstRead(String subscriptionId, String name, int status) {
    String operationPath = accepted(subscriptionId, name, Follow.ASYNC_OPERATION);
    operationReads(
        operationPath,
        List.of(
            json(
                    status,
                    status == 429
                        ? armError("TooManyRequests", "Too many requests; retry later.")
                        : armError("ServiceUnavailable", "The service is unavailable."))
                .withHeader("Retry-After", "2"),
            operationStatus(operationPath, "Succeeded", "")));
  }

  /** The deletion answered 202 with the operation to follow {@code follow}'s way; its path. */
  private String accepted(String subscriptionId, String name, Follow follow) {
    String operationPath =
        "/subscriptions/" + subscriptionId + OPERATIONS + "/op-" + operations.incrementAndGet();
    String operationUrl = resourceManagerUrl() + operationPath + "?api-version=2022-10-01";
    ResponseDefinitionBuilder accepted = aResponse().withStatus(202).withHeader("Retry-After", "1");
    accepted =
        follow == Follow.ASYNC_OPERATION
            ? accepted
                .withHeader("Azure-AsyncOperation", operationUrl)
                .withHeader("Location", operationUrl)
            : accepted.withHeader("Location", operationUrl);
    resourceManager.stubFor(
        delete(urlPathEqualTo(assignmentsPath(subscriptionId) + "/" + name))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(5)
            .willReturn(accepted));
    return operationPath;
  }

  private static ResponseDefinitionBuilder operationStatus(
      String operationPath, String status, String more) {
    return json(
        200,
        "{\"id\":\""
            + operationPath
            + "\",\"name\":\"op\",\"status\":\""
            + status
            + "\""
            + more
            + "}");
  }

  /** The operation's reads answered in turn, the last one from then on. */
  private void operationReads(String operationPath, List<ResponseDefinitionBuilder> reads) {
    String scenario = "operation " + operationPath;
    for (int i = 0; i < reads.size(); i++) {
      resourceManager.stubFor(
          get(urlPathEqualTo(operationPath))
              .withQueryParam("api-version", equalTo("2022-10-01"))
              .atPriority(5)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "read " + i)
              .willSetStateTo("read " + (i + 1))
              .willReturn(reads.get(i)));
    }
  }

  /** The reads of the subscription's accepted operations, in the order they came. */
  public List<LoggedRequest> operationReads(String subscriptionId) {
    List<LoggedRequest> reads =
        new java.util.ArrayList<>(
            resourceManager.findAll(
                getRequestedFor(
                    urlPathMatching(
                        Pattern.quote("/subscriptions/" + subscriptionId + OPERATIONS) + "/.*"))));
    reads.sort(java.util.Comparator.comparing(LoggedRequest::getLoggedDate));
    return reads;
  }

  /** The deletions of the subscription's assignments, in the order they came. */
  public List<LoggedRequest> deletions(String subscriptionId) {
    return resourceManager.findAll(
        deleteRequestedFor(
            urlPathMatching(Pattern.quote(assignmentsPath(subscriptionId)) + "/[^/]+")));
  }

  /**
   * Every call about the subscription's assignments fails with a 500, until the stub returned goes.
   */
  public StubMapping assignmentsFailing(String subscriptionId) {
    return resourceManager.stubFor(
        any(urlPathMatching(Pattern.quote(assignmentsPath(subscriptionId)) + "(/.*)?"))
            .atPriority(5)
            .willReturn(internalServerError()));
  }

  /** Page {@code page} (1 is the second) of the subscription's listing fails with a 500. */
  public void assignmentsPageFailing(String subscriptionId, int page) {
    assignmentsPageAnswering(subscriptionId, page, internalServerError());
  }

  /** Page {@code page} of the subscription's listing answers 200 without a list. */
  public void assignmentsPageWithoutList(String subscriptionId, int page) {
    assignmentsPageAnswering(subscriptionId, page, json(200, "{}"));
  }

  private void assignmentsPageAnswering(
      String subscriptionId, int page, ResponseDefinitionBuilder answer) {
    resourceManager.stubFor(
        get(urlPathEqualTo(assignmentsPath(subscriptionId)))
            .withQueryParam("$skipToken", equalTo(skipToken(page)))
            .atPriority(4)
            .willReturn(answer));
  }

  private static ResponseDefinitionBuilder internalServerError() {
    return json(
        500,
        armError(
            "InternalServerError",
            "Encountered internal server error. Diagnostic information: timestamp"
                + " '20260101T000000Z'."));
  }

  public int deletions(String subscriptionId, String name) {
    return resourceManager
        .countRequestsMatching(
            deleteRequestedFor(urlPathEqualTo(assignmentsPath(subscriptionId) + "/" + name))
                .build())
        .getCount();
  }

  /**
   * A registration assignment as Resource Manager lists it with its expanded definition: {@code
   * name} in provisioning {@code state}, of the offer {@code offerName} managed by {@code
   * managedByTenant}.
   */
  public static String assignmentBody(
      String subscriptionId, String name, String state, String managedByTenant, String offerName) {
    String definition = "2f6b9c3e-1a4d-4b7e-8c2f-5d9e1a3b7c6d";
    return "{\"id\":\"/subscriptions/"
        + subscriptionId
        + ASSIGNMENTS
        + "/"
        + name
        + "\",\"type\":\"Microsoft.ManagedServices/registrationAssignments\",\"name\":\""
        + name
        + "\",\"properties\":{\"registrationDefinitionId\":\"/subscriptions/"
        + subscriptionId
        + "/providers/Microsoft.ManagedServices/registrationDefinitions/"
        + definition
        + "\",\"provisioningState\":\""
        + state
        + "\",\"registrationDefinition\":{\"properties\":{\"description\":\"\","
        + "\"authorizations\":[{\"principalId\":\""
        + SP_OBJECT_ID
        + "\",\"roleDefinitionId\":\"acdd72a7-3385-48ef-bd42-f606fba81ae7\"}],"
        + "\"registrationDefinitionName\":\""
        + offerName
        + "\",\"managedByTenantId\":\""
        + managedByTenant
        + "\",\"provisioningState\":\"Succeeded\",\"manageeTenantId\":\""
        + CUSTOMER_TENANT
        + "\"},\"id\":\"/subscriptions/"
        + subscriptionId
        + "/providers/Microsoft.ManagedServices/registrationDefinitions/"
        + definition
        + "\",\"type\":\"Microsoft.ManagedServices/registrationDefinitions\",\"name\":\""
        + definition
        + "\"}}}";
  }

  private static String skipToken(int page) {
    return "page" + page;
  }

  private static String assignmentsPath(String subscriptionId) {
    return "/subscriptions/" + subscriptionId + ASSIGNMENTS;
  }

  private static MappingBuilder subscription(String subscriptionId) {
    return get(urlPathEqualTo("/subscriptions/" + subscriptionId))
        .withQueryParam("api-version", equalTo("2022-12-01"))
        .atPriority(5);
  }

  private static String subscriptionBody(
      String subscriptionId, String homeTenant, String state, String... managedByTenants) {
    return "{\"id\":\"/subscriptions/"
        + subscriptionId
        + "\",\"authorizationSource\":\"RoleBased\",\"managedByTenants\":["
        + java.util.Arrays.stream(managedByTenants)
            .map(tenant -> "{\"tenantId\":\"" + tenant + "\"}")
            .collect(java.util.stream.Collectors.joining(","))
        + "],\"subscriptionId\":\""
        + subscriptionId
        + "\",\"tenantId\":\""
        + homeTenant
        + "\",\"displayName\":\"Contoso production\",\"state\":\""
        + state
        + "\",\"subscriptionPolicies\":{\"locationPlacementId\":\"Public_2014-09-01\","
        + "\"quotaId\":\"PayAsYouGo_2014-09-01\",\"spendingLimit\":\"Off\"}}";
  }

  private void stubTokenEndpoint() {
    entraId.stubFor(
        any(anyUrl())
            .atPriority(20)
            .withMetadata(broken("no such endpoint"))
            .willReturn(
                json(
                    404,
                    entraError(
                        "invalid_request",
                        900561,
                        "AADSTS900561: The endpoint only accepts POST"
                            + " requests to its token path."))));
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(1)
            .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
            .withFormParam("grant_type", equalTo("client_credentials"))
            .withFormParam("client_id", equalTo(CLIENT_ID))
            .withFormParam("client_secret", equalTo(CLIENT_SECRET))
            .withFormParam("scope", equalTo(SCOPE))
            .withMetadata(Map.of(ISSUES_TOKEN, true))
            .willReturn(json(200, "{}")));
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(2)
            .withMetadata(broken("our client secret, as configured, is not Entra ID's"))
            .withFormParam("client_id", equalTo(CLIENT_ID))
            .withFormParam("client_secret", notMatching(Pattern.quote(CLIENT_SECRET)))
            .willReturn(
                json(
                    401,
                    entraError(
                        "invalid_client",
                        7000215,
                        "AADSTS7000215: Invalid client secret provided. Ensure the secret being"
                            + " sent in the request is the client secret value, not the client"
                            + " secret ID, for a secret added to app '"
                            + CLIENT_ID
                            + "'."))));
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(3)
            .withMetadata(broken("not our client id"))
            .withFormParam("client_id", notMatching(Pattern.quote(CLIENT_ID)))
            .willReturn(
                json(
                    400,
                    entraError(
                        "unauthorized_client",
                        700016,
                        "AADSTS700016: Application with identifier was not found in the directory"
                            + " '"
                            + TENANT_ID
                            + "'."))));
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(4)
            .withMetadata(broken("the scope must be " + SCOPE))
            .withFormParam("scope", notMatching(Pattern.quote(SCOPE)))
            .willReturn(
                json(
                    400,
                    entraError(
                        "invalid_scope",
                        70011,
                        "AADSTS70011: The provided request must include a 'scope' input"
                            + " parameter. The provided value for the input parameter 'scope' is"
                            + " not valid."))));
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(5)
            .withMetadata(broken("the grant must be client_credentials"))
            .withFormParam("grant_type", notMatching("client_credentials"))
            .willReturn(
                json(
                    400,
                    entraError(
                        "unsupported_grant_type",
                        70003,
                        "AADSTS70003: The app requested an unsupported grant type."))));
    entraId.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .atPriority(8)
            .withMetadata(broken("a token request is a client-credentials form with every field"))
            .willReturn(
                json(
                    400,
                    entraError(
                        "invalid_request",
                        900144,
                        "AADSTS900144: The request body must contain the following parameter:"
                            + " 'grant_type', 'client_id', 'client_secret' or 'scope'."))));
    entraId.stubFor(
        post(urlPathMatching("/[^/]+/oauth2/v2.0/token"))
            .atPriority(9)
            .withMetadata(broken("the token endpoint of another tenant than ours"))
            .willReturn(
                json(
                    400,
                    entraError(
                        "invalid_request",
                        90002,
                        "AADSTS90002: Tenant not found. Check to make sure you have the correct"
                            + " tenant ID and are signing into the correct cloud."))));
  }

  private void stubResourceManagerRefusals() {
    resourceManager.stubFor(
        any(anyUrl())
            .atPriority(20)
            .withMetadata(broken("no such endpoint"))
            .willReturn(
                json(
                    404,
                    armError("InvalidResourceType", "The resource type could not be found."))));
    resourceManager.stubFor(
        any(urlPathMatching("/subscriptions(/.*)?"))
            .atPriority(1)
            .withMetadata(broken("no Authorization header"))
            .withHeader("Authorization", absent())
            .willReturn(
                json(
                        401,
                        armError(
                            "AuthenticationFailed",
                            "Authentication failed. The 'Authorization' header is missing."))
                    .withHeader(
                        "WWW-Authenticate",
                        "Bearer authorization_uri=\"https://login"
                            + ".microsoftonline.com/common\", error=\"invalid_token\"")));
    resourceManager.stubFor(
        any(urlPathMatching("/subscriptions(/.*)?"))
            .atPriority(3)
            .withMetadata(broken("no api-version"))
            .withQueryParam("api-version", absent())
            .willReturn(
                json(
                    400,
                    armError(
                        "MissingApiVersionParameter",
                        "The api-version query parameter (?api-version=) is required for all"
                            + " requests."))));
    resourceManager.stubFor(
        any(urlPathMatching(SUBSCRIPTION))
            .atPriority(4)
            .withMetadata(broken("subscriptions are read with api-version 2022-12-01"))
            .withQueryParam("api-version", notMatching("2022-12-01"))
            .willReturn(json(400, invalidApiVersion("2022-12-01"))));
    resourceManager.stubFor(
        any(urlPathMatching(
                SUBSCRIPTION
                    + "("
                    + Pattern.quote(ASSIGNMENTS)
                    + "(/[^/]+)?|"
                    + Pattern.quote(OPERATIONS)
                    + "/[^/]+)"))
            .atPriority(4)
            .withMetadata(broken("registration assignments take api-version 2022-10-01"))
            .withQueryParam("api-version", notMatching("2022-10-01"))
            .willReturn(json(400, invalidApiVersion("2022-10-01"))));
    // Resource Manager refuses an id that is no GUID ({…}, urn:uuid:…, 32 digits without dashes:
    // forms Sources accepts) with 400. An upper-case GUID it would take: our rule, not its, is the
    // canonical lower-case form, always. Both recorded as broken rules.
    resourceManager.stubFor(
        any(urlPathMatching(
                "/subscriptions/(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(/|$))"
                    + "[^/]+(/.*)?"))
            .atPriority(2)
            .withMetadata(broken("subscription ids are sent in their canonical lower-case form"))
            .willReturn(
                json(
                    400,
                    armError(
                        "InvalidSubscriptionId",
                        "The provided subscription identifier is malformed or invalid."))));
    resourceManager.stubFor(
        any(urlPathMatching("/subscriptions/([^/]+)(/.*)?"))
            .atPriority(10)
            .willReturn(
                json(
                    404,
                    armError("SubscriptionNotFound", "The subscription could not be found."))));
  }

  private static Map<String, Object> broken(String rule) {
    return Map.of(BROKEN_RULE, rule);
  }

  private static String invalidApiVersion(String supported) {
    return armError(
        "InvalidApiVersionParameter",
        "The api-version is invalid. The supported versions are '" + supported + "'.");
  }

  private static String armError(String code, String message) {
    return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
  }

  private static String entraError(String error, long code, String description) {
    return "{\"error\":\""
        + error
        + "\",\"error_description\":\""
        + description
        + " Trace ID: 0f4e8a2c-6b1d-4e3f-9a7c-2d5b8e1f4a6c Correlation ID:"
        + " 3c9e1b7d-5a2f-4c8e-b6d1-9f3a5e7c2b4d Timestamp: 2026-01-01 00:00:00Z\","
        + "\"error_codes\":["
        + code
        + "],\"timestamp\":\"2026-01-01 00:00:00Z\","
        + "\"trace_id\":\"0f4e8a2c-6b1d-4e3f-9a7c-2d5b8e1f4a6c\","
        + "\"correlation_id\":\"3c9e1b7d-5a2f-4c8e-b6d1-9f3a5e7c2b4d\"}";
  }

  private static ResponseDefinitionBuilder json(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(body);
  }

  @Override
  public void close() {
    entraId.stop();
    resourceManager.stop();
  }

  /** The token endpoint's answer to a good request: a new token, which expires as set. */
  private ResponseDefinition issueToken(ServeEvent event) {
    if (event.getStubMapping() == null
        || event.getStubMapping().getMetadata() == null
        || !event.getStubMapping().getMetadata().containsKey(ISSUES_TOKEN)) {
      return event.getResponseDefinition();
    }
    String token = ISSUED_TOKEN + "-" + tokensIssued.incrementAndGet();
    long seconds = tokenLifetime.toSeconds();
    Instant expiry = Instant.now().plusSeconds(seconds);
    issued.put(token, expiry);
    lastExpiry = expiry;
    return ResponseDefinitionBuilder.like(event.getResponseDefinition())
        .but()
        .withBody(
            "{\"token_type\":\"Bearer\",\"expires_in\":"
                + seconds
                + ",\"ext_expires_in\":"
                + seconds
                + ",\"access_token\":\""
                + token
                + "\"}")
        .build();
  }

  /**
   * Resource Manager's check of the bearer token, before any answer: one Entra ID never issued is
   * ours to blame (a violation); one past its {@code expires_in} is refused as Azure refuses it,
   * and counted, since a token cache that renews in time never sends one.
   */
  private ResponseDefinition checkToken(ServeEvent event) {
    String authorization = event.getRequest().getHeader("Authorization");
    if (authorization == null) {
      return event.getResponseDefinition();
    }
    String token = authorization.startsWith("Bearer ") ? authorization.substring(7) : "";
    Instant expires = issued.get(token);
    if (expires == null) {
      violations.add(event.getRequest(), "not a bearer token Entra ID issued");
      return unauthorized("InvalidAuthenticationToken", "The access token is invalid.");
    }
    if (!Instant.now().isBefore(expires)) {
      expiredTokensRefused.incrementAndGet();
      return unauthorized(
          "ExpiredAuthenticationToken",
          "The access token expiry UTC time '"
              + expires
              + "' is earlier than current UTC time '"
              + Instant.now()
              + "'.");
    }
    return event.getResponseDefinition();
  }

  private static ResponseDefinition unauthorized(String code, String message) {
    return json(401, armError(code, message))
        .withHeader(
            "WWW-Authenticate",
            "Bearer authorization_uri=\"https://login"
                + ".microsoftonline.com/common\", error=\"invalid_token\"")
        .build();
  }

  /**
   * Records a violation whenever a request was answered by one of the refusals that mean we sent it
   * wrong (an endpoint Azure does not have included), and leaves that answer as it is; any other
   * request goes through the peer's own {@code check}.
   */
  private final class Gate implements ResponseDefinitionTransformerV2 {
    private final String name;
    private final java.util.function.Function<ServeEvent, ResponseDefinition> check;

    Gate(String peer, java.util.function.Function<ServeEvent, ResponseDefinition> check) {
      this.name = "azure-gate-" + peer.replace(' ', '-').toLowerCase(java.util.Locale.ROOT);
      this.check = check;
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Optional<String> rule =
          Optional.ofNullable(event.getStubMapping())
              .map(
                  stub ->
                      stub.getMetadata() == null
                          ? null
                          : stub.getMetadata().getString(BROKEN_RULE, null));
      if (rule.isPresent()) {
        violations.add(event.getRequest(), rule.get());
        return event.getResponseDefinition();
      }
      return check.apply(event);
    }
  }
}
