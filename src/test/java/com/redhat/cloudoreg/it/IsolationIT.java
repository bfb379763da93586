package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.InTurn;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One bad record must not slow everyone: with production's fault tolerance (a breaker opens at half
 * of twenty first attempts failing), one application whose Sources read fails for good is tried
 * again and again — and Sources' breaker, fed by first attempts only, never opens for it; another
 * tenant's event whose read fails twice gets its status at once.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 7)
class IsolationIT {
  private static final String TOPIC = "isolation-events";

  private final Stack stack;

  IsolationIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void oneApplicationFailingForGoodNeitherOpensSourcesBreakerNorDelaysOtherTenants() {
    stack.resetPeers();
    stack.kafka.createTopics(List.of(TOPIC), 1);
    Map<String, String> production = new HashMap<>();
    StackExtension.FAST_RETRIES.keySet().forEach(name -> production.put(name, null));
    production.put("SOURCES_EVENT_TOPIC", TOPIC);
    production.put("KAFKA_GROUP_ID", "cloudoreg-isolation");
    // its re-drives come back every second or two, so that a few dozen fail within the test
    production.put("CLOUDOREG_RETRY_PAUSE", "PT1S");
    production.put("CLOUDOREG_RETRY_PAUSE_MAX", "PT2S");
    LibertyServer server = stack.separateServer("cloudoreg-isolation", production);
    List<String> openBreakers = new CopyOnWriteArrayList<>();
    try (Events events = new Events(stack.kafka.bootstrapServers(), TOPIC)) {
      server.start();
      CustomerSource bad = new CustomerSource(stack, events).trusting();
      stack.sources.applicationAnswers(
          bad.applicationId,
          WireMock.aResponse()
              .withStatus(500)
              .withHeader("Content-Type", "application/json")
              .withBody("{\"errors\":[{\"detail\":\"failure\",\"status\":\"500\"}]}"));
      bad.sendCreate();

      // five attempts of four failed reads each: with every attempt counted, the breaker opens
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                noteOpenBreakers(server, openBreakers);
                return applicationReads(bad) >= 5 * StackExtension.ATTEMPTS;
              });
      // other tenants' first attempts go on meanwhile, as in production, and pass through
      List<CustomerSource> others = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        CustomerSource other = new CustomerSource(stack, events).trusting();
        other.sendCreate();
        other.awaitAvailable();
        others.add(other);
      }
      CustomerSource victim = new CustomerSource(stack, events).trusting();
      InTurn.failFirst(
          stack.sources.server(),
          () ->
              get(urlPathEqualTo(SourcesStub.PUBLIC_API + "/applications/" + victim.applicationId)),
          2,
          WireMock.aResponse().withStatus(503));
      others.add(victim);
      victim.sendCreate();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                noteOpenBreakers(server, openBreakers);
                return others.stream().allMatch(c -> !c.statuses().isEmpty());
              });
      for (CustomerSource other : others) {
        assertThat(other.statuses())
            .singleElement()
            .extracting(record -> record.value())
            .asString()
            .contains("\"status\":\"available\",\"error\":\"\"");
      }
      assertThat(bad.statuses()).as("its type was never learnt: no word").isEmpty();
      assertThat(applicationReads(bad)).isGreaterThanOrEqualTo(5 * StackExtension.ATTEMPTS);
      assertThat(openBreakers).as("Sources' breaker never opened for one bad record").isEmpty();

      // a destroy of another application of the bad one's tenant waits behind it in the tenant's
      // order: a removal waiting all the same, shown as pending (outcomes.md) while it waits
      CustomerSource sameTenant = new CustomerSource(stack, events, bad);
      sameTenant.send(
          EventTypes.APPLICATION_DESTROY,
          sameTenant.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> server.get("/health/live").body().contains("\"pending-removals\":1"));
      assertThat(server.get(server.metricsUri(), Map.of()).body())
          .containsPattern("cloudoreg_pending_removals(\\{[^}]*\\})? 1(\\.0)?\\b");
    } finally {
      server.kill();
    }
  }

  private void noteOpenBreakers(LibertyServer server, List<String> open) {
    String ready = server.get("/health/ready").body();
    if (ready.contains("Breakers.sources")) {
      open.add(ready);
    }
  }

  private int applicationReads(CustomerSource customer) {
    return stack
        .sources
        .server()
        .findAll(
            WireMock.getRequestedFor(
                urlPathEqualTo(SourcesStub.PUBLIC_API + "/applications/" + customer.applicationId)))
        .size();
  }
}
