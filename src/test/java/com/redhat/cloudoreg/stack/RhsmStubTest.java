package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.github.tomakehurst.wiremock.client.WireMock;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The RHSM stand-in keeps each org's accounts as RHSM does, and refuses what RHSM refuses. */
class RhsmStubTest {
  private static final String ORG = "11789772";
  private static final String ACCOUNT = "480126387441";
  private static final String REGISTRATION =
      "[{\"id\":\"" + ACCOUNT + "\",\"nickname\":\"\",\"verified\":true,\"sourceId\":\"55\"}]";
  private static RhsmStub rhsm;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    rhsm = new RhsmStub(new Samples(), Ports.free());
  }

  @AfterAll
  static void stop() {
    rhsm.close();
  }

  @BeforeEach
  void reset() {
    rhsm.reset();
    rhsm.violations().take();
  }

  @Test
  void registrationIsHeldAndListedInRhsmsShape() throws Exception {
    assertThat(send("POST", "/AWS/accounts", REGISTRATION, headers(ORG)).statusCode())
        .isEqualTo(204);

    HttpResponse<String> enabled = send("GET", "/enabled", null, headers(ORG));

    assertThat(enabled.statusCode()).isEqualTo(200);
    JsonObject provider =
        Json.createReader(new StringReader(enabled.body()))
            .readObject()
            .getJsonArray("body")
            .getJsonObject(0);
    assertThat(provider.getString("name")).isEqualTo("Amazon Web Services");
    assertThat(provider.getString("shortName")).isEqualTo("AWS");
    assertThat(provider.getJsonArray("products")).isEmpty();
    JsonObject account = provider.getJsonArray("accounts").getJsonObject(0);
    assertThat(account.keySet())
        .containsExactlyInAnyOrder(
            "id", "nickname", "dateAdded", "sourceId", "verified", "goldImageStatus");
    assertThat(account.getString("sourceId")).isEqualTo("55");
    assertThat(account.getBoolean("verified")).as("kept as it was sent").isTrue();
    assertThat(rhsm.holdings(ORG)).singleElement().matches(RhsmStub.Held::verified);
    assertThat(rhsm.heldFor(ORG)).containsOnly(entry(ACCOUNT, "55"));
    assertThat(send("GET", "/enabled", null, headers("another-org")).body())
        .isEqualTo("{\"body\":[]}");
    assertThat(rhsm.violations().take()).isEmpty();
  }

  @Test
  void aRegistrationThatIsNotVerifiedIsKeptSoAndBreaksOurRule() throws Exception {
    String unverified = REGISTRATION.replace("\"verified\":true", "\"verified\":false");

    assertThat(send("POST", "/AWS/accounts", unverified, headers(ORG)).statusCode())
        .as("RHSM takes it")
        .isEqualTo(204);

    assertThat(rhsm.holdings(ORG)).singleElement().matches(held -> !held.verified());
    assertThat(send("GET", "/enabled", null, headers(ORG)).body()).contains("\"verified\":false");
    assertThat(rhsm.violations().take()).singleElement().asString().contains("verified");
  }

  @Test
  void accountHeldAlreadyIsAConflictInTheSameOrgAndInAnother() throws Exception {
    send("POST", "/AWS/accounts", REGISTRATION, headers(ORG));

    HttpResponse<String> again = send("POST", "/AWS/accounts", REGISTRATION, headers(ORG));
    HttpResponse<String> elsewhere =
        send("POST", "/AWS/accounts", REGISTRATION, headers("another-org"));

    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(
            Json.createReader(new StringReader(again.body())).readObject().getJsonObject("error"))
        .containsEntry("code", Json.createValue(409))
        .containsKey("message");
    assertThat(elsewhere.statusCode()).isEqualTo(409);
    assertThat(rhsm.heldFor("another-org")).isEmpty();
    assertThat(rhsm.violations().take()).as("a conflict is RHSM's answer, not our fault").isEmpty();
  }

  @Test
  void removalsBySourceAndByIdTakeAccountsAwayAndNothingLeftIs404() throws Exception {
    rhsm.holds(ORG, "AWS", "111111111111", "55");
    rhsm.holds(ORG, "AWS", "222222222222", "55");
    rhsm.holds(ORG, "MSAZ", "3f1c2b9e-6a4d-4c55-9a5e-2b7e0d4c8a11", "56");
    rhsm.holds(ORG, "AWS", "333333333333", null);

    assertThat(send("DELETE", "/accounts?sourceID=55", null, headers(ORG)).statusCode())
        .isEqualTo(204);
    assertThat(send("DELETE", "/accounts?sourceID=55", null, headers(ORG)).statusCode())
        .isEqualTo(404);
    assertThat(
            send(
                    "DELETE",
                    "/MSAZ/accounts",
                    "{\"id\":\"3f1c2b9e-6a4d-4c55-9a5e-2b7e0d4c8a11\"}",
                    headers(ORG))
                .statusCode())
        .isEqualTo(204);

    assertThat(rhsm.holdings(ORG))
        .singleElement()
        .satisfies(
            held -> {
              assertThat(held.id()).isEqualTo("333333333333");
              assertThat(held.sourceId()).as("added by hand").isNull();
            });
    assertThat(send("GET", "/enabled", null, headers(ORG)).body()).contains("\"sourceId\":null");
    assertThat(rhsm.violations().take()).isEmpty();
  }

  @Test
  void aRemovalWhoseAnswerIsLostTakesTheAccountsAwayAndAnswers503() throws Exception {
    rhsm.holds(ORG, "MSAZ", "3f1c2b9e-6a4d-4c55-9a5e-2b7e0d4c8a11", "55");
    rhsm.holds(ORG, "AWS", "333333333333", "56");
    rhsm.sourceRemovalsLandButAnswer503(ORG, 55, 2);

    assertThat(send("DELETE", "/accounts?sourceID=55", null, headers(ORG)).statusCode())
        .isEqualTo(503);
    assertThat(rhsm.holdings(ORG))
        .as("removed all the same")
        .singleElement()
        .satisfies(held -> assertThat(held.sourceId()).isEqualTo("56"));
    assertThat(send("DELETE", "/accounts?sourceID=55", null, headers(ORG)).statusCode())
        .as("nothing left, and still no answer that says so")
        .isEqualTo(503);
    assertThat(send("DELETE", "/accounts?sourceID=55", null, headers(ORG)).statusCode())
        .as("answered from the state again")
        .isEqualTo(404);
    assertThat(rhsm.holdings(ORG)).hasSize(1);
    assertThat(rhsm.violations().take()).isEmpty();
  }

  @Test
  void missingOrgHeaderIsRefused() throws Exception {
    assertThat(send("POST", "/AWS/accounts", REGISTRATION, headers(null)).statusCode())
        .isEqualTo(400);
    assertThat(rhsm.heldFor(ORG)).isEmpty();
    assertThat(rhsm.violations().take()).singleElement().asString().contains("X-RhsmApi-AccountID");
  }

  @Test
  void bodyWithoutJsonContentTypeIsRefused() throws Exception {
    Map<String, String> headers = headers(ORG);
    headers.put("Content-Type", "text/plain");

    assertThat(send("POST", "/AWS/accounts", REGISTRATION, headers).statusCode())
        .isBetween(400, 415);
    assertThat(rhsm.violations().take()).isNotEmpty();
  }

  @Test
  void wrongBodiesAreRefused() throws Exception {
    assertThat(
            send("POST", "/AWS/accounts", "{\"id\":\"" + ACCOUNT + "\"}", headers(ORG))
                .statusCode())
        .as("one object, not an array")
        .isEqualTo(400);
    assertThat(send("POST", "/AWS/accounts", "[{\"nickname\":\"x\"}]", headers(ORG)).statusCode())
        .as("no id")
        .isEqualTo(400);
    assertThat(send("DELETE", "/AWS/accounts", "[]", headers(ORG)).statusCode())
        .as("removal of one account takes {\"id\":…}")
        .isEqualTo(400);
    assertThat(send("DELETE", "/accounts", null, headers(ORG)).statusCode())
        .as("removal by source without sourceID")
        .isEqualTo(400);

    assertThat(rhsm.violations().take()).hasSize(4);
    assertThat(rhsm.heldFor(ORG)).isEmpty();
  }

  @Test
  void aTestsOwnAnswerWinsOverTheState() throws Exception {
    rhsm.registrationsAnswer(
        ORG, ACCOUNT, RhsmStub.error(503, "{\"error\":{\"code\":503,\"message\":\"down\"}}"));

    assertThat(send("POST", "/AWS/accounts", REGISTRATION, headers(ORG)).statusCode())
        .isEqualTo(503);
    assertThat(rhsm.heldFor(ORG)).isEmpty();
    rhsm.server().resetMappings();
    rhsm.server().stubFor(WireMock.any(WireMock.anyUrl()).willReturn(WireMock.ok()));
  }

  private static Map<String, String> headers(String orgId) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (orgId != null) {
      headers.put(RhsmStub.ORG_HEADER, orgId);
    }
    headers.put("Content-Type", "application/json");
    headers.put("Accept", "application/json");
    return headers;
  }

  private HttpResponse<String> send(
      String method, String path, String body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(rhsm.url() + "/cloud_access_providers" + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(
        (name, value) -> {
          if (body != null || !name.equals("Content-Type")) {
            request.header(name, value);
          }
        });
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
