package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for AWS STS speaking its Query protocol, as the SDK sees it: form-encoded POSTs to
 * {@code /}, XML answers. It tells our service identity from an assumed role's temporary identity
 * by the access key id in the SigV4 {@code Credential=}.
 *
 * <p>As strict as STS: the API version must be {@code 2011-06-15}, a signature must be present, a
 * call with temporary credentials must carry their {@code X-Amz-Security-Token}, the session name
 * must be 2 to 64 of {@code [\w+=,.@-]}, and a role that requires an external id refuses any other
 * with {@code AccessDenied}, as AWS does. Our own rules are checked too: the session policy allows
 * nothing but {@code sts:GetCallerIdentity}, and a {@code DurationSeconds}, when sent, is 900. What
 * breaks them is a {@link Violations violation} that fails the test.
 */
public final class StsStub implements AutoCloseable, CheckedStandIn {
  /** Our own (the service's) credentials, as the stack configures them. */
  public static final String SERVICE_ACCESS_KEY_ID = "AKIACLOUDOREGSERVICE";

  public static final String SERVICE_SECRET_ACCESS_KEY = "cloudoreg-test-service-secret-Zk3q9";

  /** Secrets of the temporary credentials the stub hands out; must never reach a log. */
  public static final String TEMPORARY_SECRET = "cloudoreg-test-temporary-secret-Pw7x2";

  public static final String SESSION_TOKEN = "cloudoreg-test-session-token-Qm5v8";

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  public static final String VERSION = "2011-06-15";
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([A-Z0-9]+)/");

  /** The one session duration we ask for: the minimum, the credentials serve one call. */
  public static final int DURATION_SECONDS = 900;

  private final WireMockServer server;
  private final Violations violations = new Violations("STS");

  /** The external id each trusting role requires; {@link #NONE} when its policy has none. */
  private final Map<String, String> externalIds = new ConcurrentHashMap<>();

  private static final String NONE = "";

  StsStub(int port) {
    this(port, List.of());
  }

  /** {@code extensions} are loaded beside the gate, for stubs that name them. */
  StsStub(int port, List<Extension> extensions) {
    server =
        new WireMockServer(
            options()
                .port(port)
                .containerThreads(100)
                .extensions(new Gate())
                .extensions(extensions.toArray(Extension[]::new)));
    server.start();
    reset();
  }

  public String url() {
    return server.baseUrl();
  }

  public WireMockServer server() {
    return server;
  }

  /** Back to an STS where no role trusts us: AssumeRole is AccessDenied. */
  public void reset() {
    server.resetAll();
    externalIds.clear();
    server.stubFor(
        post(urlEqualTo("/")).atPriority(10).willReturn(error(403, "Sender", "AccessDenied")));
  }

  @Override
  public Violations violations() {
    return violations;
  }

  /**
   * The role trusts us: AssumeRole of {@code roleArn} (with that external id, when given) succeeds,
   * and the temporary identity it yields reports {@code callerAccount} and {@code callerArn}.
   */
  public void trusts(String roleArn, String externalId, String callerAccount, String callerArn) {
    trusts(roleArn, externalId, callerAccount, callerArn, 0);
  }

  /** The role trusts us, STS answering its AssumeRole after {@code latencyMs}. */
  public void trusts(
      String roleArn, String externalId, String callerAccount, String callerArn, int latencyMs) {
    externalIds.put(roleArn, externalId == null ? NONE : externalId);
    server.stubFor(
        assumeRole(roleArn).willReturn(assumedRole(roleArn, callerArn).withFixedDelay(latencyMs)));
    server.stubFor(
        post(urlEqualTo("/"))
            .withRequestBody(containing("Action=GetCallerIdentity"))
            .withHeader("Authorization", containing("Credential=" + temporaryKey(roleArn) + "/"))
            .willReturn(
                xml(
                    200,
                    "<GetCallerIdentityResponse xmlns=\""
                        + NS
                        + "\"><GetCallerIdentityResult>"
                        + "<Arn>"
                        + callerArn
                        + "</Arn>"
                        + "<UserId>AROAEXAMPLEROLEID:cloudoreg</UserId>"
                        + "<Account>"
                        + callerAccount
                        + "</Account></GetCallerIdentityResult>"
                        + "<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef"
                        + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>")));
  }

  /** The role trusts us, and STS reports exactly the identity the role's ARN names. */
  public void trusts(String roleArn, String externalId) {
    trustsAfter(roleArn, externalId, 0);
  }

  /** As {@link #trusts(String, String)}, AssumeRole answering after {@code latencyMs}. */
  public void trustsAfter(String roleArn, String externalId, int latencyMs) {
    trusts(roleArn, externalId, accountOf(roleArn), ownArn(roleArn), latencyMs);
  }

  /** STS's success answer to AssumeRole of a role that {@link #trusts} it. */
  public ResponseDefinitionBuilder assumedRole(String roleArn) {
    return assumedRole(roleArn, ownArn(roleArn));
  }

  private static ResponseDefinitionBuilder assumedRole(String roleArn, String callerArn) {
    return xml(
        200,
        "<AssumeRoleResponse xmlns=\""
            + NS
            + "\"><AssumeRoleResult><Credentials>"
            + "<AccessKeyId>"
            + temporaryKey(roleArn)
            + "</AccessKeyId>"
            + "<SecretAccessKey>"
            + TEMPORARY_SECRET
            + "</SecretAccessKey>"
            + "<SessionToken>"
            + SESSION_TOKEN
            + "</SessionToken>"
            + "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
            + "<AssumedRoleUser><Arn>"
            + callerArn
            + "</Arn>"
            + "<AssumedRoleId>AROAEXAMPLEROLEID:cloudoreg</AssumedRoleId></AssumedRoleUser>"
            + "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
            + "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
            + "</ResponseMetadata></AssumeRoleResponse>");
  }

  /** Temporary credentials' key id, one per role, so GetCallerIdentity can tell roles apart. */
  private static String temporaryKey(String roleArn) {
    return "ASIA" + Integer.toHexString(roleArn.hashCode()).toUpperCase();
  }

  private static String accountOf(String roleArn) {
    return roleArn.split(":")[4];
  }

  private static String ownArn(String roleArn) {
    String account = accountOf(roleArn);
    String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/cloudoreg-" + account;
  }

  /** AssumeRole of {@code roleArn} fails with an STS error. */
  public void refuses(String roleArn, int status, String type, String code) {
    server.stubFor(assumeRole(roleArn).willReturn(error(status, type, code)));
  }

  public static ResponseDefinitionBuilder error(int status, String type, String code) {
    return xml(
        status,
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + code
            + " from the STS stand-in</Message></Error>"
            + "<RequestId>4fc0d3ee-efef-11e9-9282-3b7bffe54a9b</RequestId></ErrorResponse>");
  }

  public List<LoggedRequest> assumeRoleRequests(String roleArn) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/"))
            .withRequestBody(containing("Action=AssumeRole"))
            .withRequestBody(containing("RoleArn=" + encode(roleArn))));
  }

  /**
   * The {@code DurationSeconds} of each AssumeRole of that role, in order; empty where the request
   * left it out (STS then grants an hour).
   */
  public List<Optional<Integer>> durationSeconds(String roleArn) {
    return assumeRoleRequests(roleArn).stream()
        .map(request -> Optional.ofNullable(form(request.getBodyAsString()).get("DurationSeconds")))
        .map(value -> value.map(Integer::valueOf))
        .toList();
  }

  public int requestCount() {
    return server.getAllServeEvents().size();
  }

  /** The AssumeRole request of that role. */
  public static com.github.tomakehurst.wiremock.client.MappingBuilder assumeRole(String roleArn) {
    return post(urlEqualTo("/"))
        .withRequestBody(containing("Action=AssumeRole"))
        .withRequestBody(containing("RoleArn=" + encode(roleArn)));
  }

  private static ResponseDefinitionBuilder xml(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
  }

  private static Map<String, String> form(String body) {
    Map<String, String> parameters = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return parameters;
    }
    for (String pair : body.split("&")) {
      String[] kv = pair.split("=", 2);
      parameters.put(
          URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
          kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    return parameters;
  }

  /** Whether a session policy allows {@code sts:GetCallerIdentity} and nothing else. */
  static boolean onlyGetCallerIdentity(String policy) {
    try {
      JsonObject document = Json.createReader(new StringReader(policy)).readObject();
      JsonValue statements = document.get("Statement");
      List<JsonValue> list =
          statements == null
              ? List.of()
              : statements.getValueType() == JsonValue.ValueType.ARRAY
                  ? statements.asJsonArray()
                  : List.of(statements);
      return !list.isEmpty()
          && list.stream()
              .map(JsonValue::asJsonObject)
              .allMatch(
                  statement ->
                      "Allow".equals(statement.getString("Effect", ""))
                          && !statement.containsKey("NotAction")
                          && actions(statement.get("Action"))
                              .equals(List.of("sts:GetCallerIdentity")));
    } catch (JsonException | ClassCastException | IllegalStateException notAPolicy) {
      return false;
    }
  }

  private static List<String> actions(JsonValue action) {
    if (action == null) {
      return List.of();
    }
    if (action.getValueType() == JsonValue.ValueType.STRING) {
      return List.of(((jakarta.json.JsonString) action).getString());
    }
    if (action.getValueType() == JsonValue.ValueType.ARRAY) {
      return action.asJsonArray().stream()
          .map(
              value ->
                  value.getValueType() == JsonValue.ValueType.STRING
                      ? ((jakarta.json.JsonString) value).getString()
                      : "?")
          .distinct()
          .toList();
    }
    return List.of("?");
  }

  /**
   * STS's checks before any answer a test stubbed: version, signature, session token; for
   * AssumeRole the session name, our session policy and duration, and the role's external id.
   */
  private final class Gate implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "sts-gate";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request request = event.getRequest();
      Map<String, String> form = form(request.getBodyAsString());
      String action = form.getOrDefault("Action", "");
      if (!VERSION.equals(form.get("Version"))) {
        return refuse(
            request,
            400,
            "InvalidAction",
            "Could not find operation " + action + " for version " + form.get("Version"));
      }
      Matcher credential =
          CREDENTIAL.matcher(Optional.ofNullable(request.getHeader("Authorization")).orElse(""));
      if (!credential.find()) {
        return refuse(
            request, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
      }
      boolean temporary = credential.group(1).startsWith("ASIA");
      if (temporary && !SESSION_TOKEN.equals(request.getHeader("X-Amz-Security-Token"))) {
        return refuse(
            request,
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.");
      }
      switch (action) {
        case "AssumeRole" -> {
          String sessionName = form.getOrDefault("RoleSessionName", "");
          if (!SESSION_NAME.matcher(sessionName).matches()) {
            return refuse(
                request,
                400,
                "ValidationError",
                "1 validation error detected: Value '"
                    + sessionName
                    + "' at 'roleSessionName' failed to satisfy constraint");
          }
          String policy = form.get("Policy");
          if (policy == null || !onlyGetCallerIdentity(policy)) {
            violations.add(
                request, "the session policy must allow sts:GetCallerIdentity only: " + policy);
          }
          String duration = form.get("DurationSeconds");
          if (duration != null && !duration.equals(Integer.toString(DURATION_SECONDS))) {
            violations.add(request, "DurationSeconds " + duration + ", not " + DURATION_SECONDS);
          }
          String required = externalIds.get(form.getOrDefault("RoleArn", ""));
          if (required != null
              && !required.equals(NONE)
              && !required.equals(form.get("ExternalId"))) {
            // what AWS answers: the trust policy's condition does not hold; our rules are not
            // broken
            return error(403, "Sender", "AccessDenied").build();
          }
        }
        case "GetCallerIdentity" -> {}
        default -> {
          return refuse(request, 400, "InvalidAction", "Could not find operation " + action);
        }
      }
      return event.getResponseDefinition();
    }

    private ResponseDefinition refuse(Request request, int status, String code, String message) {
      violations.add(request, status + " " + code + ": " + message);
      return xml(
              status,
              "<ErrorResponse xmlns=\""
                  + NS
                  + "\"><Error><Type>Sender</Type><Code>"
                  + code
                  + "</Code><Message>"
                  + message
                  + "</Message></Error>"
                  + "<RequestId>4fc0d3ee-efef-11e9-9282-3b7bffe54a9b</RequestId></ErrorResponse>")
          .build();
    }
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
  }
}
