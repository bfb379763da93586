package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.common.Metadata;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Sources API that keeps state as Sources does — each tenant's sources,
 * applications and authentications — and answers from it like the real one (bodies from the
 * fixtures): an application's authentications are those whose resource is that application, its
 * list is a 404 once the application is gone, a source's applications those of that source, and
 * application types filtered by {@code filter[name]}. It is as strict: every call needs the
 * pre-shared key and (but for application types) the tenant's org id; a tenant sees only its own
 * rows (404 for another's); unknown query parameters are refused; and a call carrying {@code
 * x-rh-identity} is refused, because the service must never send it. Every request is also checked
 * against Sources' published OpenAPI documents. Whatever our service got wrong is recorded as a
 * {@link Violations violation}, which fails the test that caused it. Tests override single answers
 * (outages, delays) with ordinary stubs, which win over the state.
 */
public final class SourcesStub implements AutoCloseable, CheckedStandIn {
  public static final String CLOUD_METER_TYPE_ID = "5";

  /** Source type ids by name, as an environment's seeds number them. */
  public static final Map<String, String> SOURCE_TYPE_IDS =
      Map.of("amazon", "1", "azure", "2", "google", "3", "openshift", "4");

  public static final String PUBLIC_API = "/api/sources/v3.1";

  /** The path of an application's grants: the list of its authentications, which fences read. */
  public static String grantsOf(long applicationId) {
    return PUBLIC_API + "/applications/" + applicationId + "/authentications";
  }

  /**
   * Runs {@code then} once, right after the first request for a URL that starts with {@code prefix}
   * was answered: a change between two reads of the service (after its first read, before its
   * fence's, say).
   */
  public void afterFirst(String prefix, Runnable then) {
    java.util.concurrent.atomic.AtomicBoolean done =
        new java.util.concurrent.atomic.AtomicBoolean();
    server.addMockServiceRequestListener(
        (request, response) -> {
          if (request.getUrl().startsWith(prefix) && !done.getAndSet(true)) {
            then.run();
          }
        });
  }

  /**
   * The application's grants answered 503 the next {@code times} times they are read (a fence that
   * cannot read them through its retries in place), then as before.
   */
  public void grantsFailFirst(long applicationId, int times) {
    InTurn.failFirst(
        server(),
        () -> get(urlPathEqualTo(grantsOf(applicationId))),
        times,
        aResponse().withStatus(503));
  }

  public static final String INTERNAL_API = "/internal/v2.0";
  public static final String PSK_HEADER = "x-rh-sources-psk";
  public static final String ORG_HEADER = "x-rh-sources-org-id";
  public static final String IDENTITY_HEADER = "x-rh-identity";

  /** Marks the catch-all stub whose answers come from the state. */
  private static final String STATE = "sources-state";

  /** List parameters Sources accepts on collections: {@code filter[…]}, paging, sorting. */
  private static final Pattern LIST_PARAMETER =
      Pattern.compile("filter\\[[a-z_]+\\](\\[[a-z_]+\\])?|limit|offset|sort_by");

  private static final Pattern COLLECTION =
      Pattern.compile(
          PUBLIC_API
              + "/(application_types|application_authentications|source_types"
              + "|applications/\\d+/authentications|sources/\\d+/applications)");

  private final WireMockServer server;
  private final Samples samples;
  private final String psk;
  private final OpenApiCheck publicSpec = new OpenApiCheck("sources-api-v3.1.json", PUBLIC_API);
  private final OpenApiCheck internalSpec =
      new OpenApiCheck("sources-api-internal-v2.0.json", INTERNAL_API);
  private final Violations violations = new Violations("Sources");
  private final State state = new State();

  /** Every application any tenant had, kept across resets: statuses outlive their tests. */
  private final Set<String> everKnown = ConcurrentHashMap.newKeySet();

  private volatile boolean validating = true;

  SourcesStub(Samples samples, int port) {
    this(samples, Stack.PSK, port, List.of());
  }

  /** {@code extensions} are loaded beside the gate, for stubs that name them. */
  SourcesStub(Samples samples, String psk, int port, List<Extension> extensions) {
    this.samples = samples;
    this.psk = psk;
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

  /**
   * Back to a Sources that knows the Cloud Meter type and nothing else: any other read is 404.
   * Violations are kept for the test that caused them.
   */
  public void reset() {
    server.resetAll();
    state.clear();
    server.stubFor(
        any(anyUrl())
            .atPriority(10)
            .withMetadata(Metadata.metadata().attr(STATE, true))
            .willReturn(notFound()));
    SOURCE_TYPE_IDS.forEach(
        (name, id) ->
            server.stubFor(
                get(urlPathEqualTo(PUBLIC_API + "/source_types/" + id))
                    .willReturn(
                        okJson(
                            Json.createObjectBuilder()
                                .add("id", id)
                                .add("name", name)
                                .add("product_name", name)
                                .build()
                                .toString()))));
  }

  /** A source of that tenant, of that type ({@code amazon}, …). */
  public void source(String orgId, long id, String typeName) {
    state.sources.put(key(orgId, id), typeName);
  }

  /**
   * Whether that tenant has had that application at some time (destroyed since, or not): a status
   * Sources' listener would store needs a resource of the tenant.
   */
  public boolean hadApplication(String orgId, String applicationId) {
    return everKnown.contains(orgId + "/" + applicationId);
  }

  /** An application of that tenant; its source an AWS one unless the test says otherwise. */
  public void application(String orgId, long id, long sourceId, String applicationTypeId) {
    everKnown.add(key(orgId, id));
    state.applications.put(key(orgId, id), new StoredApplication(sourceId, applicationTypeId));
    state.sources.putIfAbsent(key(orgId, sourceId), "amazon");
  }

  /** The source is destroyed, its applications with it, as Sources' cascade does it. */
  public void destroySource(String orgId, long id) {
    state.sources.remove(key(orgId, id));
    state
        .applications
        .entrySet()
        .removeIf(e -> e.getKey().startsWith(orgId + "/") && e.getValue().sourceId() == id);
  }

  /**
   * The application is destroyed, as Sources' cascade does it: the application and its
   * application-authentications go; its authentications stay (their resource no longer exists).
   */
  public void destroyApplication(String orgId, long id) {
    state.applications.remove(key(orgId, id));
  }

  /**
   * An application as Sources holds it now: its type, whether its source is still there, and the
   * authentications whose resource it is (as the internal API shows them, secret field included).
   */
  public record HeldApplication(
      String orgId,
      long id,
      long sourceId,
      String typeId,
      boolean sourceExists,
      List<JsonObject> authentications) {}

  /** Every application Sources holds now, of every tenant: for judging an end state. */
  public List<HeldApplication> applications() {
    return state.applications.entrySet().stream()
        .map(
            e -> {
              String orgId = e.getKey().substring(0, e.getKey().indexOf('/'));
              String id = e.getKey().substring(orgId.length() + 1);
              StoredApplication application = e.getValue();
              return new HeldApplication(
                  orgId,
                  Long.parseLong(id),
                  application.sourceId(),
                  application.typeId(),
                  state.sources.containsKey(key(orgId, application.sourceId())),
                  State.ofTenant(orgId, state.authentications).stream()
                      .filter(
                          a ->
                              "Application".equals(a.getString("resource_type"))
                                  && id.equals(a.getString("resource_id")))
                      .toList());
            })
        .toList();
  }

  /** The authentication is deleted (the customer replaced it by another): Sources answers 404. */
  public void destroyAuthentication(String orgId, long id) {
    state.authentications.remove(key(orgId, id));
  }

  /** An authentication of that tenant; {@code username} normally holds the ARN. */
  public void authentication(String orgId, long id, AuthenticationSpec spec) {
    var extra = Json.createObjectBuilder();
    if (spec.externalId() != null) {
      extra.add("external_id", spec.externalId());
    }
    state.authentications.put(
        key(orgId, id),
        Json.createObjectBuilder(samples.object("sources-authentication-internal.json"))
            .add("id", Long.toString(id))
            .add("authtype", spec.authtype())
            .add("username", spec.username())
            .add("password", spec.password())
            .add("extra", extra)
            .add("resource_type", spec.resourceType())
            .add("resource_id", spec.resourceId())
            .build());
  }

  private static ResponseDefinitionBuilder sourceBody(long id, String typeName) {
    return okJson(
        Json.createObjectBuilder()
            .add("id", Long.toString(id))
            .add("name", "source " + id)
            .add("source_type_id", SOURCE_TYPE_IDS.get(typeName))
            .add("availability_status", "in_progress")
            .build()
            .toString());
  }

  private static String key(String orgId, long id) {
    return orgId + "/" + id;
  }

  private static String page(List<JsonObject> items) {
    var data = Json.createArrayBuilder();
    items.forEach(data::add);
    return Json.createObjectBuilder()
        .add("data", data)
        .add(
            "meta",
            Json.createObjectBuilder()
                .add("count", items.size())
                .add("limit", 100)
                .add("offset", 0))
        .add("links", Json.createObjectBuilder())
        .build()
        .toString();
  }

  /** Sources' answer for a Cloud Meter application of that source. */
  public ResponseDefinitionBuilder applicationBody(long id, long sourceId) {
    return okJson(
        applicationJson(id, new StoredApplication(sourceId, CLOUD_METER_TYPE_ID)).toString());
  }

  private JsonObject applicationJson(long id, StoredApplication application) {
    return Json.createObjectBuilder(samples.object("sources-application.json"))
        .add("id", Long.toString(id))
        .add("source_id", Long.toString(application.sourceId()))
        .add("application_type_id", application.typeId())
        .build();
  }

  /** An odd answer for that application, whoever asks (outages, delays). */
  public void applicationAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(PUBLIC_API + "/applications/" + id)).willReturn(answer));
  }

  /** An odd answer for that authentication, whoever asks. */
  public void authenticationAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(INTERNAL_API + "/authentications/" + id)).willReturn(answer));
    server.stubFor(get(urlPathEqualTo(PUBLIC_API + "/authentications/" + id)).willReturn(answer));
  }

  /** An odd answer for that source, whoever asks. */
  public void sourceAnswers(long id, ResponseDefinitionBuilder answer) {
    server.stubFor(get(urlPathEqualTo(PUBLIC_API + "/sources/" + id)).willReturn(answer));
  }

  /**
   * A 404 that is not the peer's own: a web framework's for a path it does not route ({@code
   * {"message":"Not Found"}}, Sources' own router's), as a wrong base URL or a proxy would bring;
   * RHSM's tests use it too.
   */
  public static ResponseDefinitionBuilder routeNotFound() {
    return aResponse()
        .withStatus(404)
        .withHeader("Content-Type", "application/json")
        .withBody("{\"message\":\"Not Found\"}");
  }

  /** Sources' 404 body. */
  public ResponseDefinitionBuilder notFound() {
    return error(404, samples.text("sources-error-404.json"));
  }

  /** Sources' error answer of that status, in its own body shape. */
  public static ResponseDefinitionBuilder errorAnswer(int status, String detail) {
    return error(status, errorBody(status, detail));
  }

  private static ResponseDefinitionBuilder error(int status, String body) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  private static String errorBody(int status, String detail) {
    return Json.createObjectBuilder()
        .add(
            "errors",
            Json.createArrayBuilder()
                .add(
                    Json.createObjectBuilder()
                        .add("detail", detail)
                        .add("status", Integer.toString(status))))
        .build()
        .toString();
  }

  /** Stops checking requests against the OpenAPI documents (a benchmark's CPU is not ours). */
  public void stopValidating() {
    validating = false;
  }

  @Override
  public Violations violations() {
    return violations;
  }

  @Override
  public void close() {
    server.stop();
  }

  /**
   * Sources' own refusals, before any answer a test stubbed: the PSK, the tenant, the identity
   * header we must never send, the query parameters; and the OpenAPI check.
   */
  private final class Gate implements ResponseDefinitionTransformerV2 {
    @Override
    public String getName() {
      return "sources-gate";
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
      Request request = event.getRequest();
      String path = OpenApiCheck.path(request);
      if (validating) {
        OpenApiCheck spec = path.startsWith(INTERNAL_API) ? internalSpec : publicSpec;
        spec.errors(request).forEach(error -> violations.add(request, error));
      }
      if (request.containsHeader(IDENTITY_HEADER)) {
        return refuse(
            request,
            400,
            "a service call must not carry x-rh-identity (Sources would take the tenant from it"
                + " and send the call through RBAC)");
      }
      if (!psk.equals(request.getHeader(PSK_HEADER))) {
        violations.add(request, "no or a wrong " + PSK_HEADER);
        return error(401, errorBody(401, "Unauthorized Action: Incorrect PSK")).build();
      }
      // application types and the internal list of every source are no tenant's
      boolean needsTenant =
          !path.equals(PUBLIC_API + "/application_types")
              && !path.equals(INTERNAL_API + "/sources");
      String org = request.getHeader(ORG_HEADER);
      if (needsTenant && (org == null || org.isBlank())) {
        return refuse(request, 401, "Unauthorized Action: missing " + ORG_HEADER);
      }
      Set<String> allowed = allowedParameters(path);
      for (String name : OpenApiCheck.queryParameterNames(request)) {
        if (!allowed.contains(name)
            && !(COLLECTION.matcher(path).matches() && LIST_PARAMETER.matcher(name).matches())) {
          return refuse(request, 400, "unknown query parameter: " + name);
        }
      }
      Metadata stub = event.getStubMapping().getMetadata();
      return stub != null && stub.containsKey(STATE)
          ? state.answer(path, org, request)
          : event.getResponseDefinition();
    }

    private ResponseDefinition refuse(Request request, int status, String detail) {
      violations.add(request, status + " " + detail);
      return error(status, errorBody(status, detail)).build();
    }

    private static Set<String> allowedParameters(String path) {
      if (path.startsWith(INTERNAL_API + "/authentications/")) {
        return Set.of("expose_encrypted_attribute[]");
      }
      if (path.equals(INTERNAL_API + "/sources")) {
        return Set.of("limit", "offset");
      }
      return Set.of();
    }
  }

  private record StoredApplication(long sourceId, String typeId) {}

  /** What Sources holds, per tenant, and how it answers from it. */
  private final class State {
    private static final Pattern APPLICATION = Pattern.compile(PUBLIC_API + "/applications/(\\d+)");
    private static final Pattern APPLICATION_AUTHENTICATIONS =
        Pattern.compile(PUBLIC_API + "/applications/(\\d+)/authentications");
    private static final Pattern SOURCE = Pattern.compile(PUBLIC_API + "/sources/(\\d+)");
    private static final Pattern SOURCE_APPLICATIONS =
        Pattern.compile(PUBLIC_API + "/sources/(\\d+)/applications");
    private static final String EVERY_SOURCE = INTERNAL_API + "/sources";
    private static final Pattern AUTHENTICATION =
        Pattern.compile("(" + PUBLIC_API + "|" + INTERNAL_API + ")/authentications/(\\d+)");

    final Map<String, String> sources = new ConcurrentHashMap<>();
    final Map<String, StoredApplication> applications = new ConcurrentHashMap<>();
    final Map<String, JsonObject> authentications = new ConcurrentHashMap<>();

    void clear() {
      sources.clear();
      applications.clear();
      authentications.clear();
    }

    ResponseDefinition answer(String path, String org, Request request) {
      if (path.equals(PUBLIC_API + "/application_types")) {
        return applicationTypes(request).build();
      }
      if (path.equals(EVERY_SOURCE)) {
        return everySource(request).build();
      }
      Matcher matched;
      if ((matched = APPLICATION.matcher(path)).matches()) {
        long id = Long.parseLong(matched.group(1));
        return Optional.ofNullable(applications.get(key(org, id)))
            .map(application -> okJson(applicationJson(id, application).toString()).build())
            .orElseGet(() -> notFound().build());
      }
      if ((matched = APPLICATION_AUTHENTICATIONS.matcher(path)).matches()) {
        String id = matched.group(1);
        if (!applications.containsKey(key(org, Long.parseLong(id)))) {
          return notFound().build();
        }
        return okJson(
                page(
                    ofTenant(org, authentications).stream()
                        .filter(
                            a ->
                                "Application".equals(a.getString("resource_type"))
                                    && id.equals(a.getString("resource_id")))
                        .map(State::publicView)
                        .toList()))
            .build();
      }
      if ((matched = SOURCE.matcher(path)).matches()) {
        long id = Long.parseLong(matched.group(1));
        return Optional.ofNullable(sources.get(key(org, id)))
            .map(type -> sourceBody(id, type).build())
            .orElseGet(() -> notFound().build());
      }
      if ((matched = SOURCE_APPLICATIONS.matcher(path)).matches()) {
        long id = Long.parseLong(matched.group(1));
        if (!sources.containsKey(key(org, id))) {
          return notFound().build();
        }
        return okJson(
                page(
                    applications.entrySet().stream()
                        .filter(
                            e -> e.getKey().startsWith(org + "/") && e.getValue().sourceId() == id)
                        .map(
                            e ->
                                applicationJson(
                                    Long.parseLong(e.getKey().substring(org.length() + 1)),
                                    e.getValue()))
                        .toList()))
            .build();
      }
      if ((matched = AUTHENTICATION.matcher(path)).matches()) {
        boolean exposed =
            matched.group(1).equals(INTERNAL_API)
                && "password".equals(firstValue(request, "expose_encrypted_attribute[]"));
        return Optional.ofNullable(authentications.get(key(org, Long.parseLong(matched.group(2)))))
            .map(a -> okJson((exposed ? a : publicView(a)).toString()).build())
            .orElseGet(() -> notFound().build());
      }
      return notFound().build();
    }

    /**
     * Every tenant's sources, paged as Sources pages them (limit 100 unless asked, at most 1000).
     */
    private ResponseDefinitionBuilder everySource(Request request) {
      int limit = Math.min(1000, intValue(request, "limit", 100));
      int offset = intValue(request, "offset", 0);
      List<JsonObject> all =
          sources.entrySet().stream()
              .sorted(Map.Entry.comparingByKey())
              .map(
                  e ->
                      Json.createObjectBuilder()
                          .add("id", e.getKey().substring(e.getKey().indexOf('/') + 1))
                          .add("availability_status", "available")
                          .add("tenant", "")
                          .add("org_id", e.getKey().substring(0, e.getKey().indexOf('/')))
                          .build())
              .toList();
      return okJson(
          page(all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()))));
    }

    private static int intValue(Request request, String parameter, int otherwise) {
      String value = firstValue(request, parameter);
      return value == null ? otherwise : Integer.parseInt(value);
    }

    /** The application types, filtered by name as Sources filters them. */
    private ResponseDefinitionBuilder applicationTypes(Request request) {
      JsonObject all = samples.object("sources-application-types.json");
      String name = firstValue(request, "filter[name]");
      if (name == null) {
        return okJson(all.toString());
      }
      return okJson(
          page(
              all.getJsonArray("data").stream()
                  .map(JsonObject.class::cast)
                  .filter(type -> name.equals(type.getString("name")))
                  .toList()));
    }

    private static List<JsonObject> ofTenant(String org, Map<String, JsonObject> rows) {
      return rows.entrySet().stream()
          .filter(e -> e.getKey().startsWith(org + "/"))
          .map(Map.Entry::getValue)
          .toList();
    }

    /** The public API never shows the secret field. */
    private static JsonObject publicView(JsonObject authentication) {
      return Json.createObjectBuilder(authentication).remove("password").build();
    }

    private static String firstValue(Request request, String parameter) {
      var values = request.queryParameter(parameter);
      return values.isPresent() ? values.firstValue() : null;
    }
  }

  /** The fields of an authentication a test chooses. */
  public record AuthenticationSpec(
      String authtype,
      String username,
      String password,
      String externalId,
      String resourceType,
      String resourceId) {
    public static AuthenticationSpec arn(String arn, String externalId, long applicationId) {
      return new AuthenticationSpec(
          "cloud-meter-arn", arn, "", externalId, "Application", Long.toString(applicationId));
    }
  }
}
