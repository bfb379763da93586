package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.stack.AzureStubs;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What the README says settings do, on deployments of their own: readiness DOWN, naming what is
 * wrong, without the Sources PSK or with an unknown mode; RHSM's call context sent when configured,
 * and a conflict read from the status {@code RHSM_CONFLICT_STATUS} names.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 9)
class SettingsIT {
  private static final String TOPIC = "settings-events";
  private static final String CALL_CONTEXT =
      Base64.getEncoder()
          .encodeToString(
              "{\"client\":{\"serviceAccountId\":\"cloudoreg\",\"roles\":[\"api_access\"]}}"
                  .getBytes(StandardCharsets.UTF_8));

  private final Stack stack;

  SettingsIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void readinessNamesWhatIsWrongAndRhsmSettingsApply() {
    stack.resetPeers();
    stack.kafka.createTopics(List.of(TOPIC, "settings-unready"), 1);
    Map<String, String> misconfigured = new HashMap<>();
    misconfigured.put("SOURCES_PSK", null);
    // as the image's default would be in a namespace without Clowder's sources-api endpoint: the
    // pod itself (read through MP Config, which expands the expression)
    misconfigured.put("SOURCES_API_URL", "http://localhost:${HTTP_PORT}");
    // Azure's credentials without our principal: the offer template is not served
    misconfigured.put("AZURE_SP_OBJECT_ID", null);
    misconfigured.put("CLOUDOREG_MODE", "livee");
    // cloudigrade's offer name given for its environment: no offer name derived from it
    misconfigured.put("CLOUDIGRADE_ENVIRONMENT", AzureStubs.OFFER_NAME);
    misconfigured.put("SOURCES_EVENT_TOPIC", "settings-unready");
    misconfigured.put("KAFKA_GROUP_ID", "cloudoreg-settings-unready");
    LibertyServer unready = stack.separateServer("cloudoreg-settings-unready", misconfigured);
    LibertyServer rhsmSettings =
        stack.separateServer(
            "cloudoreg-settings-rhsm",
            Map.of(
                "RHSM_CALL_CONTEXT",
                CALL_CONTEXT,
                "RHSM_CONFLICT_STATUS",
                "400",
                "SOURCES_EVENT_TOPIC",
                TOPIC,
                "KAFKA_GROUP_ID",
                "cloudoreg-settings-rhsm"));
    try (Events events = new Events(stack.kafka.bootstrapServers(), TOPIC)) {
      CompletableFuture.allOf(
              CompletableFuture.runAsync(unready::startUnready),
              CompletableFuture.runAsync(rhsmSettings::start))
          .join();

      // the application up, its checks answering
      var ready =
          await()
              .atMost(Duration.ofSeconds(60))
              .until(
                  () -> unready.get("/health/ready"),
                  answer -> answer.body().contains("\"name\":\"configuration\""));
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body())
          .contains(
              "\"missing\":\"SOURCES_PSK,AZURE_OFFER_NAME\"",
              "\"invalid\":\"CLOUDOREG_MODE,CLOUDIGRADE_ENVIRONMENT,SOURCES_API_URL\"",
              "\"offer-template\":\"not served\"")
          .doesNotContain("livee", AzureStubs.OFFER_NAME);

      // a duplicate create: the org holds the account through this source; RHSM says so with a
      // 400, as RHSM_CONFLICT_STATUS tells
      CustomerSource customer = new CustomerSource(stack, events).trusting();
      stack.rhsm.holds(
          customer.orgId, RhsmStub.AWS, customer.awsAccount, Long.toString(customer.sourceId));
      stack.rhsm.registrationsAnswer(
          customer.orgId,
          customer.awsAccount,
          RhsmStub.error(400, "{\"error\":{\"code\":400,\"message\":\"duplicate key\"}}"));
      customer.sendCreate();
      customer.awaitAvailable();
      List<LoggedRequest> calls =
          stack
              .rhsm
              .server()
              .findAll(
                  com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                          com.github.tomakehurst.wiremock.client.WireMock.anyUrl())
                      .withHeader(
                          RhsmStub.ORG_HEADER,
                          com.github.tomakehurst.wiremock.client.WireMock.equalTo(customer.orgId)));
      assertThat(calls)
          .as("every RHSM call carries the platform's call context")
          .isNotEmpty()
          .allMatch(call -> CALL_CONTEXT.equals(call.getHeader("X-RhApiPlatform-CallContext")));
    } finally {
      unready.kill();
      rhsmSettings.kill();
    }
  }
}
