package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code CLOUDOREG_MODE=shadow} beside the live service: the same events do everything but their
 * effects (no status, no RHSM change, no Lighthouse delegation removed) and count what live mode
 * publishes.
 */
@ExtendWith(StackExtension.class)
class ShadowModeIT {
  private static final String TOPIC = "shadow-events";
  private static final Pattern SHADOW_LINE =
      Pattern.compile("^cloudoreg_shadow_outcomes_total\\{([^}]*)\\}\\s+([0-9.Ee+-]+)$");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  private final Stack stack;

  ShadowModeIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void shadowChangesNothingAndCountsWhatLiveModePublishes() {
    stack.resetPeers();
    stack.kafka.createTopics(List.of(TOPIC), 3);
    LibertyServer shadow =
        stack.separateServer(
            "cloudoreg-shadow",
            Map.of(
                "CLOUDOREG_MODE", "shadow",
                "SOURCES_EVENT_TOPIC", TOPIC,
                "KAFKA_GROUP_ID", "cloudoreg-shadow"));
    try (Events liveEvents = new Events(stack.kafka.bootstrapServers());
        Events shadowEvents = new Events(stack.kafka.bootstrapServers(), TOPIC)) {
      shadow.start();
      List<CustomerSource> live = lifeOfSources(liveEvents);
      List<CustomerSource> shadowed = lifeOfSources(shadowEvents);

      live.get(1).awaitStatuses(1);
      live.get(3).awaitAvailable();
      Map<String, Integer> published = new TreeMap<>();
      live.forEach(c -> c.statuses().forEach(s -> published.merge(key(s), 1, Integer::sum)));
      await().atMost(Duration.ofSeconds(60)).until(() -> shadowCounts(shadow).equals(published));

      for (CustomerSource customer : shadowed) {
        assertThat(customer.statuses()).as("no status in shadow mode").isEmpty();
        assertThat(stack.rhsm.registrations(customer.orgId)).as("no RHSM change").isEmpty();
        assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
            .as("no RHSM change")
            .isEmpty();
      }
      assertThat(stack.rhsm.removals(live.get(0).orgId, live.get(0).sourceId))
          .as("live mode removes the destroyed source's trust")
          .hasSize(1);
      assertThat(stack.azure.deletions(shadowed.get(2).subscriptionId))
          .as("no Lighthouse delegation removed in shadow mode")
          .isEmpty();
      assertThat(stack.azure.deletions(live.get(2).subscriptionId))
          .as("live mode removes the destroyed Azure source's delegation")
          .hasSize(1);
      assertThat(shadow.get(shadow.metricsUri(), Map.of()).body())
          .containsPattern(
              "cloudoreg_azure_delegation_removals_total\\{[^}]*result=\"shadow\"[^}]*\\}"
                  + " 1(\\.0)?\\b");
    } finally {
      shadow.kill();
    }
  }

  /**
   * One source created, its ARN edited, then destroyed; another whose role refuses us; an Azure
   * source of the first org, delegated to us, created then destroyed; then a marker of the first
   * org (events of an org are handled in order).
   */
  private List<CustomerSource> lifeOfSources(Events events) {
    CustomerSource customer = new CustomerSource(stack, events).trusting();
    CustomerSource refusing = new CustomerSource(stack, events).inSources();
    stack.sts.refuses(refusing.roleArn, 403, "Sender", "AccessDenied");
    String newArn = "arn:aws:iam::" + "3" + customer.awsAccount.substring(1) + ":role/v2";
    stack.sts.trusts(newArn, customer.externalId);

    // Sources already holds the edited ARN when cloudoreg reads it
    stack.sources.authentication(
        customer.orgId,
        customer.authenticationId,
        AuthenticationSpec.arn(newArn, customer.externalId, customer.applicationId));

    customer.sendCreate();
    refusing.sendCreate();
    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.authenticationUpdateBody(newArn));
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    CustomerSource azure = new CustomerSource(stack, events, customer).delegating();
    // registered at RHSM already, as the live service beside a shadow (cloudigrade) would have:
    // a shadow never registers, and the flow removes the delegations of what RHSM holds
    stack.rhsm.holds(azure.orgId, "MSAZ", azure.subscriptionId, Long.toString(azure.sourceId));
    stack.azure.ourAssignment(
        azure.subscriptionId,
        "1c2d3e4f-5a6b-4c7d-8e9f-" + String.format("%012d", azure.applicationId));
    azure.sendCreate();
    azure.send(
        EventTypes.APPLICATION_DESTROY, azure.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    CustomerSource marker = new CustomerSource(stack, events, customer).trusting();
    marker.sendCreate();
    return List.of(customer, refusing, azure, marker);
  }

  /** A published status as the shadow counter labels it: status and code. */
  private static String key(ConsumerRecord<String, String> status) {
    Matcher m =
        Pattern.compile("\"status\":\"(\\w+)\",\"error\":\"(CG\\d+)?").matcher(status.value());
    assertThat(m.find()).as(status.value()).isTrue();
    return m.group(1) + "/" + (m.group(2) == null ? "TRUSTED" : m.group(2));
  }

  private static Map<String, Integer> shadowCounts(LibertyServer server) {
    HttpResponse<String> scrape = server.get(server.metricsUri(), Map.of());
    Map<String, Integer> counts = new TreeMap<>();
    for (String line : scrape.body().split("\n")) {
      Matcher m = SHADOW_LINE.matcher(line.trim());
      if (m.matches()) {
        Map<String, String> labels = new TreeMap<>();
        Matcher label = LABEL.matcher(m.group(1));
        while (label.find()) {
          labels.put(label.group(1), label.group(2));
        }
        counts.put(
            labels.get("status") + "/" + labels.get("code"), (int) Double.parseDouble(m.group(2)));
      }
    }
    return counts;
  }
}
