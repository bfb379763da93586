package com.redhat.cloudoreg.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.Extension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StsStub;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins that answer for any Cloud Meter source, so that a benchmark needs no stub per event:
 * application {@code N} belongs to source {@code N}; its authentication {@code N} holds the role of
 * AWS account {@code N} (ids have 12 digits); STS trusts every such role; RHSM accepts everything.
 * Answers are in the contracts' shapes, the id taken from the request by {@link IdFromRequest},
 * which the stand-ins must have loaded: start the stack with {@link #EXTENSIONS}.
 */
final class BenchmarkPeers {
  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  static final long FIRST_ID = 100_000_000_000L;

  /** What the Sources and STS stand-ins need loaded for these answers. */
  static final List<Extension> EXTENSIONS = List.of(IdFromRequest.values());

  private BenchmarkPeers() {}

  static void serveAnyCloudMeterSource(Stack stack) {
    stack.sources.stopValidating();
    serveAnySource(stack.sources.server());
    trustAnyRole(stack.sts.server());
  }

  /** Sources' answers: application {@code N} of source {@code N}, authentication {@code N}. */
  static void serveAnySource(WireMockServer sources) {
    sources.stubFor(
        get(urlPathMatching(SourcesStub.PUBLIC_API + "/applications/[0-9]+"))
            .willReturn(
                json(
                    "{\"id\":\"{id}\",\"source_id\":\"{id}\","
                        + "\"application_type_id\":\""
                        + SourcesStub.CLOUD_METER_TYPE_ID
                        + "\","
                        + "\"availability_status\":\"in_progress\",\"extra\":{}}",
                    IdFromRequest.LAST_PATH_SEGMENT)));
    sources.stubFor(
        get(urlPathMatching(SourcesStub.PUBLIC_API + "/sources/[0-9]+"))
            .willReturn(
                json(
                    "{\"id\":\"{id}\",\"source_type_id\":\""
                        + SourcesStub.SOURCE_TYPE_IDS.get("amazon")
                        + "\"}",
                    IdFromRequest.LAST_PATH_SEGMENT)));
    sources.stubFor(
        get(urlPathMatching(SourcesStub.PUBLIC_API + "/authentications/[0-9]+"))
            .willReturn(
                json(
                    "{\"id\":\"{id}\",\"authtype\":\"cloud-meter-arn\","
                        + "\"username\":\"arn:aws:iam::{id}:role/redhat-cloud-meter\","
                        + "\"extra\":{\"external_id\":\"bench-external-id\"},"
                        + "\"resource_type\":\"Application\",\"resource_id\":\"{id}\"}",
                    IdFromRequest.LAST_PATH_SEGMENT)));
    // the late writer's fence: the application's authentications, read after RHSM's write
    sources.stubFor(
        get(urlPathMatching(SourcesStub.PUBLIC_API + "/applications/[0-9]+/authentications"))
            .willReturn(
                json(
                    "{\"meta\":{\"count\":1,\"limit\":100,\"offset\":0},\"links\":{},"
                        + "\"data\":[{\"id\":\"{id}\",\"authtype\":\"cloud-meter-arn\","
                        + "\"username\":\"arn:aws:iam::{id}:role/redhat-cloud-meter\","
                        + "\"extra\":{\"external_id\":\"bench-external-id\"},"
                        + "\"resource_type\":\"Application\",\"resource_id\":\"{id}\"}]}",
                    IdFromRequest.PARENT_PATH_SEGMENT)));
    sources.stubFor(
        get(urlPathMatching(SourcesStub.INTERNAL_API + "/authentications/[0-9]+"))
            .willReturn(
                json(
                    "{\"id\":\"{id}\",\"authtype\":\"cloud-meter-arn\","
                        + "\"username\":\"arn:aws:iam::{id}:role/redhat-cloud-meter\","
                        + "\"password\":\"\",\"extra\":{\"external_id\":\"bench-external-id\"},"
                        + "\"resource_type\":\"Application\",\"resource_id\":\"{id}\"}",
                    IdFromRequest.LAST_PATH_SEGMENT)));
  }

  /**
   * STS's answer, the verification's one call: every role of account {@code N} trusts us, and the
   * session it vouches for is that role's in account N.
   */
  static void trustAnyRole(WireMockServer sts) {
    sts.stubFor(
        post(urlEqualTo("/"))
            .withRequestBody(containing("Action=AssumeRole"))
            .willReturn(
                xml(
                    "<AssumeRoleResponse xmlns=\""
                        + NS
                        + "\"><AssumeRoleResult><Credentials>"
                        + "<AccessKeyId>ASIA{id}</AccessKeyId>"
                        + "<SecretAccessKey>bench-secret</SecretAccessKey><SessionToken>"
                        + StsStub.SESSION_TOKEN
                        + "</SessionToken>"
                        + "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
                        + "<AssumedRoleUser><Arn>arn:aws:sts::{id}:assumed-role/redhat-cloud-meter/cloudoreg-{id}</Arn>"
                        + "<AssumedRoleId>AROABENCH:cloudoreg</AssumedRoleId></AssumedRoleUser>"
                        + "</AssumeRoleResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>"
                        + "</AssumeRoleResponse>",
                    IdFromRequest.ROLE_ARN_ACCOUNT)));
  }

  /** Empties the stand-ins' request journals; a benchmark asserts nothing on them. */
  static void forgetRequests(Stack stack) {
    stack.sources.server().resetRequests();
    stack.sts.server().resetRequests();
    stack.rhsm.server().resetRequests();
  }

  /** A call a stand-in received: when, and what, as {@code Sources GET /applications/{id}}. */
  record Call(long at, String peer, String text) {}

  /**
   * What one create cost in calls: how many, how many to STS, and how many round trips (calls made
   * at once count as one: a call arriving less than {@code d} after the first of its round trip
   * cannot have waited for it, as every answer takes {@code d}).
   */
  record CallCount(int calls, int sts, int roundTrips) {}

  /** The calls the stand-ins received since their journals were last emptied, in order. */
  static List<Call> journal(Stack stack) {
    List<Call> calls = new ArrayList<>();
    Map<String, WireMockServer> peers =
        Map.of(
            "Sources",
            stack.sources.server(),
            "STS",
            stack.sts.server(),
            "RHSM",
            stack.rhsm.server());
    peers.forEach(
        (peer, server) ->
            server
                .getAllServeEvents()
                .forEach(
                    served -> {
                      LoggedRequest request = served.getRequest();
                      String what =
                          peer.equals("STS")
                              ? request.getBodyAsString().replaceAll(".*Action=([A-Za-z]+).*", "$1")
                              : request.getMethod()
                                  + " "
                                  + request.getUrl().replaceAll("[0-9]{6,}", "{id}");
                      calls.add(
                          new Call(request.getLoggedDate().getTime(), peer, peer + " " + what));
                    }));
    calls.sort(Comparator.comparingLong(Call::at));
    return calls;
  }

  /**
   * The calls, in order, as {@code +12 Sources GET /applications/{id}}, in ms after {@code
   * producedAt}; then the status.
   */
  static String timeline(List<Call> calls, long producedAt, Long statusAt) {
    StringBuilder text = new StringBuilder();
    calls.forEach(
        call -> text.append(String.format("+%d %s; ", call.at() - producedAt, call.text())));
    text.append(statusAt == null ? "no available status" : "status +" + (statusAt - producedAt));
    return calls.size() + " calls: " + text;
  }

  static CallCount count(List<Call> calls, int latencyMs) {
    int roundTrips = 0;
    long roundTripStart = Long.MIN_VALUE;
    for (Call call : calls) {
      if (roundTrips == 0 || call.at() - roundTripStart >= latencyMs) {
        roundTrips++;
        roundTripStart = call.at();
      }
    }
    int sts = (int) calls.stream().filter(call -> call.peer().equals("STS")).count();
    return new CallCount(calls.size(), sts, roundTrips);
  }

  /** Every peer answers after {@code latencyMs}. */
  static void latency(Stack stack, int latencyMs) {
    stack.sources.server().setGlobalFixedDelay(latencyMs);
    stack.sts.server().setGlobalFixedDelay(latencyMs);
    stack.rhsm.server().setGlobalFixedDelay(latencyMs);
  }

  private static ResponseDefinitionBuilder json(String body, IdFromRequest id) {
    return aResponse()
        .withHeader("Content-Type", "application/json")
        .withBody(body)
        .withTransformers(id.getName());
  }

  private static ResponseDefinitionBuilder xml(String body, IdFromRequest id) {
    return aResponse()
        .withHeader("Content-Type", "text/xml")
        .withBody(body)
        .withTransformers(id.getName());
  }
}
