package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A long Sources outage, scaled down: more events wait than the old unacknowledged bound (1,000)
 * for longer than Kafka's poll interval (here 15 s instead of 5 min). The consumer must go on
 * polling and stay in its group — one member from start to end, so nothing is redelivered — and
 * once Sources is back the backlog is served: every application one status, available, never a
 * false unavailable (the type was unknown: no CG3100), no dead letter.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE - 6)
class LongOutageIT {
  private static final String TOPIC = "long-outage-events";
  private static final String GROUP = "cloudoreg-long-outage";
  private static final int ORGS = 100;
  private static final int EVENTS_PER_ORG = 12;
  private static final Duration POLL_INTERVAL = Duration.ofSeconds(15);

  private final Stack stack;

  LongOutageIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void theConsumerStaysInItsGroupThroughAnOutageAndServesTheBacklogAfterIt() throws Exception {
    stack.resetPeers();
    stack.kafka.createTopics(List.of(TOPIC), 1);
    LibertyServer server =
        stack.separateServer(
            "cloudoreg-long-outage",
            Map.of(
                "SOURCES_EVENT_TOPIC",
                TOPIC,
                "KAFKA_GROUP_ID",
                GROUP,
                "HOSTNAME",
                "long-outage",
                "KAFKA_MAX_POLL_INTERVAL_MS",
                Long.toString(POLL_INTERVAL.toMillis()),
                // each waiting tenant comes back every few seconds, not every two
                "CLOUDOREG_RETRY_PAUSE",
                "PT1S",
                "CLOUDOREG_RETRY_PAUSE_MAX",
                "PT5S"));
    try (Events events = new Events(stack.kafka.bootstrapServers(), TOPIC);
        Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrapServers()))) {
      server.start();
      List<CustomerSource> customers = new ArrayList<>();
      for (int org = 0; org < ORGS; org++) {
        CustomerSource first = new CustomerSource(stack, events).trusting();
        customers.add(first);
        for (int more = 1; more < EVENTS_PER_ORG; more++) {
          customers.add(new CustomerSource(stack, events, first).trusting());
        }
      }
      StubMapping outage =
          stack
              .sources
              .server()
              .stubFor(
                  get(urlPathMatching(SourcesStub.PUBLIC_API + "/applications/.*"))
                      .atPriority(1)
                      .willReturn(aResponse().withStatus(503)));
      Set<String> members = new TreeSet<>();
      Instant outageBegan = Instant.now();
      for (CustomerSource customer : customers) {
        events.sendAsync(
            customer.orgId,
            customer.createHeaders(),
            customer.createBody(),
            customer.applicationId);
      }
      // the outage lasts three poll intervals, with all the events waiting
      while (Duration.between(outageBegan, Instant.now()).compareTo(POLL_INTERVAL.multipliedBy(3))
          < 0) {
        members.addAll(members(admin));
        await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
      }
      assertThat(server.metric("cloudoreg_events_unacknowledged"))
          .as("every event taken and waiting, more than the old bound")
          .isGreaterThan(1000);
      stack.sources.server().removeStub(outage);

      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                members.addAll(members(admin));
                return customers.stream().allMatch(c -> !c.statuses().isEmpty());
              });
      assertThat(members)
          .as("one member throughout: never evicted, nothing redelivered")
          .hasSize(1);
      int toldOurs = 0;
      for (CustomerSource customer : customers) {
        List<String> statuses = customer.statuses().stream().map(ConsumerRecord::value).toList();
        assertThat(statuses.get(statuses.size() - 1))
            .as("application %d: the verdict last", customer.applicationId)
            .contains("\"status\":\"available\",\"error\":\"\"");
        // a CG3100 on the way is allowed once (outcomes.md, "Ours to finish"): an event whose
        // first attempt meets the breaker the outage opened, half-open, between two reads
        assertThat(statuses.subList(0, statuses.size() - 1))
            .as(
                "application %d: before the verdict, at most our outage told once",
                customer.applicationId)
            .hasSizeLessThanOrEqualTo(1)
            .allMatch(status -> status.contains("\"error\":\"CG3100: "));
        toldOurs += statuses.size() - 1;
        assertThat(customer.deadLetters()).isEmpty();
      }
      System.out.printf(
          "[long outage] %d events, CG3100 told on the way: %d%n", customers.size(), toldOurs);
    } finally {
      server.kill();
    }
  }

  /** The member ids of the group's members now. */
  private static List<String> members(Admin admin) throws Exception {
    return admin
        .describeConsumerGroups(List.of(GROUP))
        .describedGroups()
        .get(GROUP)
        .get(10, TimeUnit.SECONDS)
        .members()
        .stream()
        .map(MemberDescription::consumerId)
        .toList();
  }
}
