package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * A stand-in for AWS STS speaking its Query protocol, as the SDK sees it: form-encoded POSTs to
 * {@code /}, XML answers.
 *
 * <p>As strict as STS: the API version must be {@code 2011-06-15}; the request must be signed
 * (SigV4, scoped to {@link #REGION} and {@code sts}) by a key it knows — our service key, whose
 * secret it holds — else {@code InvalidClientTokenId}, and with that key's secret, else {@code
 * SignatureDoesNotMatch}: the signature is computed again with the AWS SDK's own signer and
 * compared. Those two are answers STS gives a deployment with wrong credentials, not violations:
 * the service must read them as its own outage. The session name must be 2 to 64 of {@code
 * [\w+=,.@-]}, and a role that requires an external id refuses any other with {@code AccessDenied},
 * as AWS does. Our own rules are checked too, whatever STS would answer: AssumeRole is the only
 * call (aws-sts.md: its answer is the verification), its session policy denies everything, and its
 * {@code DurationSeconds} is 900. What breaks them is a {@link Violations violation} that fails the
 * test.
 */
public final class StsStub implements AutoCloseable, CheckedStandIn {
  /** Our own (the service's) credentials, as the stack configures them. */
  public static final String SERVICE_ACCESS_KEY_ID = "AKIACLOUDOREGSERVICE";

  public static final String SERVICE_SECRET_ACCESS_KEY = "cloudoreg-test-service-secret-Zk3q9";

  /** The region our requests must be scoped to, as the stack configures it. */
  public static final String REGION = "us-east-1";

  /**
   * Secrets of the temporary credentials the stub hands out; the service never uses them, and they
   * must never reach a log.
   */
  public static final String TEMPORARY_SECRET = "cloudoreg-test-temporary-secret-Pw7x2";

  public static final String SESSION_TOKEN = "cloudoreg-test-session-token-Qm5v8";

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  public static final String VERSION = "2011-06-15";
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/,\\s]+)/[0-9]{8}/[^/]+/[^/]+/aws4_request,"
              + " ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})");
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** How far a request's signing time may be from now: STS's five minutes. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** The session policy we send: one that grants nothing (aws-sts.md). */
  public static final String DENY_ALL =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\","
          + "\"Resource\":\"*\"}]}";

  /** The one session duration we ask for: the minimum; the credentials serve no call. */
  public static final int DURATION_SECONDS = 900;

  private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

  /**
   * The Content-Type the SDK sends and signs. WireMock's Jetty hands this well-known value over in
   * its own spelling ({@code charset=UTF-8}, from its header cache), not as it came on the wire.
   */
  private static final String SDK_FORM = "application/x-www-form-urlencoded; charset=utf-8";

  private final WireMockServer server;
  private final Violations violations = new Violations("STS");

  /**
   * The external ids each trusting role's policy accepts (one, or more while a customer rotates it:
   * {@link #trustsAlso}); {@link #NONE} when its policy has no such condition.
   */
  private final Map<String, Set<String>> externalIds = new ConcurrentHashMap<>();

  private static final String NONE = "";

  /**
   * An AssumeRole naming {@code externalId} that STS answers only once {@code condition} holds
   * ({@link #trustsOnce}, {@link #refusesOnce}); the role's requests naming another external id
   * (the customer's next grant) are answered at once.
   */
  private record Hold(String externalId, BooleanSupplier condition) {}

  /** The hold of each role that has one. */
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();

  /** The AssumeRole requests of each role being held now (the journal has them once answered). */
  private final Map<String, AtomicInteger> heldRequests = new ConcurrentHashMap<>();

  /**
   * The longest an answer is held: past it STS answers as stubbed whatever the condition. A hold
   * let go before (by {@link #reset}, or replaced by another hold of the role) is answered 503.
   */
  private static final Duration HOLD_BOUND = Duration.ofSeconds(20);

  /**
   * Requests between their match and their journal entry, held or not: {@link #reset} waits for
   * none, so that none lands in the journal it clears.
   */
  private final AtomicInteger inFlight = new AtomicInteger();

  /** While {@link #reset} runs, every request is answered 503. */
  private volatile boolean draining;

  /** A stand-in of its own, outside a stack: for its own tests and for measurements. */
  public StsStub(int port) {
    this(port, List.of());
  }

  /** {@code extensions} are loaded beside the gate, for stubs that name them. */
  StsStub(int port, List<Extension> extensions) {
    server =
        new WireMockServer(
            options()
                .port(port)
                .containerThreads(100)
                .extensions(new Gate(), new InFlight())
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

  /**
   * Back to an STS where no role trusts us: AssumeRole is AccessDenied. Requests still held are let
   * go first, answered 503 as is any request meanwhile (never the last test's trust, which could
   * write into the next test's stand-ins, nor a service's retry of it), and the journal is cleared
   * once none is in flight.
   */
  public void reset() {
    draining = true;
    holds.clear();
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .atMost(HOLD_BOUND)
        .dontCatchUncaughtExceptions()
        .until(() -> inFlight.get() == 0);
    server.resetAll();
    externalIds.clear();
    heldRequests.clear();
    server.stubFor(
        post(urlEqualTo("/")).atPriority(10).willReturn(error(403, "Sender", "AccessDenied")));
    draining = false;
  }

  @Override
  public Violations violations() {
    return violations;
  }

  /**
   * The role trusts us: AssumeRole of {@code roleArn} (with that external id, when given) succeeds,
   * and its answer vouches for {@code assumedArn} as the session's identity.
   */
  public void trustsAs(String roleArn, String externalId, String assumedArn) {
    stubTrust(roleArn, externalId, assumedArn, 0);
  }

  private void stubTrust(String roleArn, String externalId, String assumedArn, int latencyMs) {
    externalIds.put(roleArn, Set.of(externalId == null ? NONE : externalId));
    server.stubFor(
        assumeRole(roleArn).willReturn(assumedRole(roleArn, assumedArn).withFixedDelay(latencyMs)));
  }

  /** The role trusts us, and STS vouches for exactly the identity the role's ARN names. */
  public void trusts(String roleArn, String externalId) {
    trustsAfter(roleArn, externalId, 0);
  }

  /** As {@link #trusts(String, String)}, AssumeRole answering after {@code latencyMs}. */
  public void trustsAfter(String roleArn, String externalId, int latencyMs) {
    stubTrust(roleArn, externalId, ownArn(roleArn), latencyMs);
  }

  /**
   * The role's policy, once it {@link #trusts} us, accepts {@code externalId} too: a customer
   * rotating its external id, whose old grant still verifies meanwhile.
   */
  public void trustsAlso(String roleArn, String externalId) {
    Set<String> accepted =
        externalIds.computeIfPresent(
            roleArn,
            (role, before) ->
                Stream.concat(before.stream(), Stream.of(externalId == null ? NONE : externalId))
                    .collect(Collectors.toSet()));
    if (accepted == null) {
      throw new IllegalStateException(roleArn + " trusts us with no external id yet: trusts first");
    }
  }

  /**
   * As {@link #trusts(String, String)}, each AssumeRole naming {@code externalId} answered only
   * once {@code condition} holds (at most {@link #HOLD_BOUND} later): so that a test orders a
   * verification after another replica's change however slow the machine is, where a fixed delay
   * only makes it likely. The service's STS call times out meanwhile (its {@code TIMEOUT_VALUE},
   * 2.5 s on the test stack, or the SDK's own bound if that is later) and retries, held again: the
   * order stands if the condition comes within the call's four attempts (10 s at least there), or
   * the verification is left unknown and the test fails on its own waits.
   */
  public void trustsOnce(String roleArn, String externalId, BooleanSupplier condition) {
    holds.put(roleArn, new Hold(externalId, condition));
    trusts(roleArn, externalId);
  }

  /**
   * As {@link #refuses}, each AssumeRole naming {@code externalId} refused only once {@code
   * condition} holds (as {@link #trustsOnce}).
   */
  public void refusesOnce(
      String roleArn,
      String externalId,
      int status,
      String type,
      String code,
      BooleanSupplier condition) {
    holds.put(roleArn, new Hold(externalId, condition));
    refuses(roleArn, status, type, code);
  }

  /** How many AssumeRole requests of the role its hold keeps now, unanswered. */
  public int held(String roleArn) {
    AtomicInteger waiting = heldRequests.get(roleArn);
    return waiting == null ? 0 : waiting.get();
  }

  /** STS's success answer to AssumeRole of a role that {@link #trusts} it. */
  public ResponseDefinitionBuilder assumedRole(String roleArn) {
    return assumedRole(roleArn, ownArn(roleArn));
  }

  private static ResponseDefinitionBuilder assumedRole(String roleArn, String assumedArn) {
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
            + assumedArn
            + "</Arn>"
            + "<AssumedRoleId>AROAEXAMPLEROLEID:cloudoreg</AssumedRoleId></AssumedRoleUser>"
            + "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
            + "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
            + "</ResponseMetadata></AssumeRoleResponse>");
  }

  /** Temporary credentials' key id, one per role, as STS hands out one per session. */
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
    return error(status, type, code, code + " from the STS stand-in");
  }

  private static ResponseDefinitionBuilder error(
      int status, String type, String code, String message) {
    return xml(
        status,
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + message
            + "</Message></Error>"
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
   * left it out (STS then grants an hour, which our rules forbid).
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

  /**
   * Whether a session policy grants nothing: every statement denies every action on every resource,
   * unconditionally.
   */
  static boolean deniesEverything(String policy) {
    try {
      JsonObject document = Json.createReader(new StringReader(policy)).readObject();
      JsonValue statements = document.get("Statement");
      List<JsonValue> list =
          statements == null
              ? List.of()
              : statements.getValueType() == JsonValue.ValueType.ARRAY
                  ? statements.asJsonArray()
                  : List.of(statements);
      return "2012-10-17".equals(document.getString("Version", ""))
          && !list.isEmpty()
          && list.stream()
              .map(JsonValue::asJsonObject)
              .allMatch(
                  statement ->
                      "Deny".equals(statement.getString("Effect", ""))
                          && everything(statement.get("Action"))
                          && everything(statement.get("Resource"))
                          && !statement.containsKey("NotAction")
                          && !statement.containsKey("NotResource")
                          && !statement.containsKey("Condition"));
    } catch (JsonException | ClassCastException | IllegalStateException notAPolicy) {
      return false;
    }
  }

  /** {@code "*"}, alone or as the only element of a list. */
  private static boolean everything(JsonValue value) {
    if (value == null) {
      return false;
    }
    JsonValue single =
        value.getValueType() == JsonValue.ValueType.ARRAY && value.asJsonArray().size() == 1
            ? value.asJsonArray().get(0)
            : value;
    return single.getValueType() == JsonValue.ValueType.STRING
        && "*".equals(((JsonString) single).getString());
  }

  /**
   * STS's checks before any answer a test stubbed: version, signature; for AssumeRole the session
   * name and the role's external id. Our rules for calling it are checked first, on every request,
   * whatever STS would answer.
   */
  /**
   * Counts {@link #inFlight}: WireMock journals a request after the gate has answered it, right
   * before these listeners' {@code beforeResponseSent}.
   */
  private final class InFlight implements ServeEventListener {
    @Override
    public String getName() {
      return "sts-in-flight";
    }

    @Override
    public void beforeMatch(ServeEvent event, Parameters parameters) {
      inFlight.incrementAndGet();
    }

    @Override
    public void beforeResponseSent(ServeEvent event, Parameters parameters) {
      inFlight.decrementAndGet();
    }
  }

  private final class Gate implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "sts-gate";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      return draining ? unavailable() : judged(event);
    }

    private ResponseDefinition judged(ServeEvent event) {
      Request request = event.getRequest();
      Map<String, String> form = form(request.getBodyAsString());
      String action = form.getOrDefault("Action", "");
      checkOurRules(request, action, form);
      if (!VERSION.equals(form.get("Version"))) {
        return refuse(
            request,
            400,
            "InvalidAction",
            "Could not find operation " + action + " for version " + form.get("Version"));
      }
      String authorization = request.getHeader("Authorization");
      if (authorization == null) {
        return refuse(
            request, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
      }
      Matcher signature = AUTHORIZATION.matcher(authorization);
      String date = request.getHeader("X-Amz-Date");
      if (!signature.matches() || date == null) {
        return refuse(
            request,
            400,
            "IncompleteSignature",
            "Authorization header requires Credential, SignedHeaders, Signature and X-Amz-Date");
      }
      if (!SERVICE_ACCESS_KEY_ID.equals(signature.group(1))) {
        return answer(
            403, "InvalidClientTokenId", "The security token included in the request is invalid.");
      }
      Instant signedAt = Instant.from(AMZ_DATE.parse(date));
      if (Duration.between(signedAt, Instant.now()).abs().compareTo(CLOCK_SKEW) > 0) {
        return answer(
            403, "SignatureDoesNotMatch", "Signature expired: " + date + " is now out of range");
      }
      if (!signature
          .group(3)
          .equals(expectedSignature(request, signature.group(2).split(";"), signedAt))) {
        return answer(
            403,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided."
                + " Check your AWS Secret Access Key and signing method.");
      }
      if (action.equals("AssumeRole")) {
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
        Set<String> accepted = externalIds.get(form.getOrDefault("RoleArn", ""));
        if (accepted != null
            && !accepted.contains(NONE)
            && !accepted.contains(form.getOrDefault("ExternalId", NONE))) {
          // what AWS answers: the trust policy's condition does not hold; our rules are not broken
          return answer(403, "AccessDenied", "User is not authorized to perform: sts:AssumeRole");
        }
        String role = form.getOrDefault("RoleArn", "");
        Hold hold = holds.get(role);
        if (hold != null && Objects.equals(hold.externalId(), form.get("ExternalId"))) {
          AtomicInteger waiting = heldRequests.computeIfAbsent(role, any -> new AtomicInteger());
          waiting.incrementAndGet();
          try {
            await()
                .atMost(HOLD_BOUND)
                .pollInterval(Duration.ofMillis(50))
                .dontCatchUncaughtExceptions()
                .until(() -> holds.get(role) != hold || hold.condition().getAsBoolean());
          } catch (ConditionTimeoutException bound) {
            // answered as stubbed: the test that set the condition fails on its own waits
          } finally {
            waiting.decrementAndGet();
          }
          if (holds.get(role) != hold) {
            // let go (reset: the test is over; or replaced): never this hold's answer
            return unavailable();
          }
        }
      }
      return event.getResponseDefinition();
    }

    /** aws-sts.md: one AssumeRole, 900 s, a session policy that grants nothing. */
    private void checkOurRules(Request request, String action, Map<String, String> form) {
      if (!action.equals("AssumeRole")) {
        violations.add(
            request, action + ": AssumeRole is the only STS call; its answer is the verification");
        return;
      }
      String policy = form.get("Policy");
      if (policy == null || !deniesEverything(policy)) {
        violations.add(request, "the session policy must deny everything: " + policy);
      }
      String duration = form.get("DurationSeconds");
      if (!Integer.toString(DURATION_SECONDS).equals(duration)) {
        violations.add(request, "DurationSeconds " + duration + ", not " + DURATION_SECONDS);
      }
    }

    /**
     * The signature our service key's secret gives the received request, by the AWS SDK's own SigV4
     * signer (the one that signs the service's calls, which the STS SDK brings along): the headers
     * the request says it signed, its body, its signing time, our region and {@code sts}.
     */
    private String expectedSignature(Request request, String[] signedHeaders, Instant signedAt) {
      SdkHttpRequest.Builder received =
          SdkHttpRequest.builder()
              .method(SdkHttpMethod.fromValue(request.getMethod().getName()))
              .uri(URI.create("http://" + request.getHeader("Host") + request.getUrl()));
      for (String name : signedHeaders) {
        if (!name.equals("x-amz-date")) {
          List<String> values = request.getHeaders().getHeader(name).values();
          received.putHeader(
              name,
              name.equals("content-type") && SDK_FORM.equalsIgnoreCase(String.join(",", values))
                  ? List.of(SDK_FORM)
                  : values);
        }
      }
      SignedRequest signed =
          SIGNER.sign(
              sign ->
                  sign.identity(
                          AwsCredentialsIdentity.create(
                              SERVICE_ACCESS_KEY_ID, SERVICE_SECRET_ACCESS_KEY))
                      .request(received.build())
                      .payload(ContentStreamProvider.fromByteArray(request.getBody()))
                      .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                      .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                      .putProperty(
                          HttpSigner.SIGNING_CLOCK, Clock.fixed(signedAt, ZoneOffset.UTC)));
      String expected = signed.request().firstMatchingHeader("Authorization").orElse("");
      return expected.substring(expected.indexOf("Signature=") + "Signature=".length());
    }

    /** An error STS answers to a request that broke one of STS's rules, our bug: a violation. */
    private ResponseDefinition refuse(Request request, int status, String code, String message) {
      violations.add(request, status + " " + code + ": " + message);
      return answer(status, code, message);
    }

    private static ResponseDefinition unavailable() {
      return error(503, "Receiver", "ServiceUnavailable", "Service is unavailable").build();
    }

    /** An error STS answers; not our bug by itself (a customer's role, our credentials). */
    private ResponseDefinition answer(int status, String code, String message) {
      return error(status, "Sender", code, message).build();
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
