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
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

  /** The access token Entra ID issues; must never reach a log. */
  public static final String ISSUED_TOKEN =
      "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.cloudoreg-test-arm-token.Hx4kP9";

  /** Another provider's tenant, whose Lighthouse assignments are none of our business. */
  public static final String OTHER_PROVIDER_TENANT = "9f8e7d6c-5b4a-4321-8fed-cba987654321";

  /** A customer's own tenant. */
  public static final String CUSTOMER_TENANT = "7d3f1a9b-2c4e-4d8f-9a1b-3c5e7f9a1b2d";

  private static final String TOKEN_PATH = "/" + TENANT_ID + "/oauth2/v2.0/token";
  private static final String SUBSCRIPTION = "/subscriptions/[^/]+";
  private static final String ASSIGNMENTS =
      "/providers/Microsoft.ManagedServices/registrationAssignments";

  /** The rule a refusal stands for, in its stub's metadata: a request of ours that broke it. */
  private static final String BROKEN_RULE = "azure-broken-rule";

  private final WireMockServer entraId;
  private final WireMockServer resourceManager;
  private final Violations violations = new Violations("Azure");

  public AzureStubs(Certificates certificates) {
    entraId = tlsServer(certificates, new Gate("Entra ID"));
    resourceManager = tlsServer(certificates, new Gate("Resource Manager"));
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
   * Forgets every subscription and request; only the refusals and the token stay. Violations are
   * kept for the test that caused them.
   */
  public void reset() {
    entraId.resetAll();
    resourceManager.resetAll();
    stubTokenEndpoint();
    stubResourceManagerRefusals();
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
    resourceManager.stubFor(
        subscription(subscriptionId)
            .atPriority(3)
            .willReturn(
                json(
                        401,
                        armError(
                            "InvalidAuthenticationToken",
                            "The access token has been revoked or has expired."))
                    .withHeader(
                        "WWW-Authenticate",
                        "Bearer authorization_uri=\"https://login"
                            + ".microsoftonline.com/common\", error=\"invalid_token\"")));
  }

  /** Red Hat sees the subscription, in this state ({@code Enabled}, {@code Disabled}, …). */
  public void delegated(String subscriptionId, String state) {
    resourceManager.stubFor(
        subscription(subscriptionId)
            .willReturn(json(200, subscriptionBody(subscriptionId, state))));
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
            .willReturn(json(200, subscriptionBody(subscriptionId, "Enabled"))));
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
   * The subscription holds a Lighthouse registration assignment {@code name} in {@code state},
   * whose definition is managed by {@code managedByTenant}; deleting it succeeds.
   */
  public void assignment(String subscriptionId, String name, String state, String managedByTenant) {
    assignments(
        subscriptionId, "[" + assignmentBody(subscriptionId, name, state, managedByTenant) + "]");
    resourceManager.stubFor(
        delete(urlPathEqualTo(assignmentsPath(subscriptionId) + "/" + name))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(5)
            .willReturn(aResponse().withStatus(200)));
  }

  /** The subscription's assignments, as the JSON array {@code value}. */
  public void assignments(String subscriptionId, String valueArray) {
    resourceManager.stubFor(
        get(urlPathEqualTo(assignmentsPath(subscriptionId)))
            .withQueryParam("api-version", equalTo("2022-10-01"))
            .atPriority(5)
            .willReturn(json(200, "{\"value\":" + valueArray + "}")));
  }

  /** Every call about the subscription's assignments fails with a 500. */
  public void assignmentsFailing(String subscriptionId) {
    resourceManager.stubFor(
        any(urlPathMatching(Pattern.quote(assignmentsPath(subscriptionId)) + "(/.*)?"))
            .atPriority(5)
            .willReturn(
                json(
                    500,
                    armError(
                        "InternalServerError",
                        "Encountered internal server error. Diagnostic information: timestamp"
                            + " '20260101T000000Z'."))));
  }

  public int deletions(String subscriptionId, String name) {
    return resourceManager
        .countRequestsMatching(
            deleteRequestedFor(urlPathEqualTo(assignmentsPath(subscriptionId) + "/" + name))
                .build())
        .getCount();
  }

  public static String assignmentBody(
      String subscriptionId, String name, String state, String managedByTenant) {
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
        + "\",\"registrationDefinition\":{\"properties\":{\"description\":\"Red Hat RHEL"
        + " management\",\"authorizations\":[{\"principalId\":\""
        + CLIENT_ID
        + "\",\"roleDefinitionId\":\"acdd72a7-3385-48ef-bd42-f606fba81ae7\"}],"
        + "\"registrationDefinitionName\":\"Red Hat RHEL management\",\"managedByTenantId\":\""
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

  private static String assignmentsPath(String subscriptionId) {
    return "/subscriptions/" + subscriptionId + ASSIGNMENTS;
  }

  private static MappingBuilder subscription(String subscriptionId) {
    return get(urlPathEqualTo("/subscriptions/" + subscriptionId))
        .withQueryParam("api-version", equalTo("2022-12-01"))
        .atPriority(5);
  }

  private static String subscriptionBody(String subscriptionId, String state) {
    return "{\"id\":\"/subscriptions/"
        + subscriptionId
        + "\",\"authorizationSource\":\"RoleBased\",\"managedByTenants\":[{\"tenantId\":\""
        + TENANT_ID
        + "\"}],\"subscriptionId\":\""
        + subscriptionId
        + "\",\"tenantId\":\""
        + CUSTOMER_TENANT
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
            .willReturn(
                json(
                    200,
                    "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"ext_expires_in\":3599,"
                        + "\"access_token\":\""
                        + ISSUED_TOKEN
                        + "\"}")));
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
            .atPriority(2)
            .withMetadata(broken("not the bearer token Entra ID issued"))
            .withHeader("Authorization", notMatching(Pattern.quote("Bearer " + ISSUED_TOKEN)))
            .willReturn(
                json(401, armError("InvalidAuthenticationToken", "The access token is invalid."))
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
        any(urlPathMatching(SUBSCRIPTION + Pattern.quote(ASSIGNMENTS) + "(/[^/]+)?"))
            .atPriority(4)
            .withMetadata(broken("registration assignments take api-version 2022-10-01"))
            .withQueryParam("api-version", notMatching("2022-10-01"))
            .willReturn(json(400, invalidApiVersion("2022-10-01"))));
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

  /**
   * Records a violation whenever a request was answered by one of the refusals that mean we sent it
   * wrong (an endpoint Azure does not have included); the answer is left as is.
   */
  private final class Gate implements ResponseDefinitionTransformerV2 {
    private final String name;

    Gate(String peer) {
      this.name = "azure-gate-" + peer.replace(' ', '-').toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String getName() {
      return name;
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Optional.ofNullable(event.getStubMapping())
          .map(
              stub ->
                  stub.getMetadata() == null
                      ? null
                      : stub.getMetadata().getString(BROKEN_RULE, null))
          .ifPresent(rule -> violations.add(event.getRequest(), rule));
      return event.getResponseDefinition();
    }
  }
}
