package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.LedgerCheck;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * With tenant-parallel processing on: different orgs' events overlap in time, each org's events are
 * still handled (and their statuses published) in the order Sources produced them, and every create
 * ends in its status.
 */
@ExtendWith(StackExtension.class)
class TenantOrderIT {
  private static final int ORGS = 10;
  private static final int CREATES_PER_ORG = 8;
  private static final int STS_DELAY_MS = 30;

  private final Stack stack;
  private final Events events;

  TenantOrderIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @AfterEach
  void close() {
    stack.sts.server().setGlobalFixedDelay(0);
    events.close();
  }

  @Test
  void eachTenantInOrderTenantsTogetherNothingLost() {
    stack.resetPeers();
    // uneven STS latency, so that a tenant's later events would overtake earlier ones if allowed
    stack.sts.server().setGlobalFixedDelay(STS_DELAY_MS);
    Map<String, List<CustomerSource>> byOrg = new LinkedHashMap<>();
    List<CustomerSource> all = new ArrayList<>();
    for (int org = 0; org < ORGS; org++) {
      CustomerSource first = new CustomerSource(stack, events).trusting();
      List<CustomerSource> sources = new ArrayList<>(List.of(first));
      for (int i = 1; i < CREATES_PER_ORG; i++) {
        sources.add(new CustomerSource(stack, events, first).trusting());
      }
      byOrg.put(first.orgId, sources);
      all.addAll(sources);
    }
    for (int i = 0; i < CREATES_PER_ORG; i++) {
      for (List<CustomerSource> sources : byOrg.values()) {
        CustomerSource source = sources.get(i);
        if (i % 3 == 0) {
          // every third create of an org is slower at STS than the ones behind it
          stack.sts.trustsAfter(source.roleArn, source.externalId, 150);
        }
        source.sendCreate();
      }
    }

    await().atMost(Duration.ofSeconds(90)).until(() -> LedgerCheck.of(all).everyCreateFinished());

    LedgerCheck ledger = LedgerCheck.of(all);
    System.out.printf("[ordering] %s%n", ledger);
    assertThat(ledger.statuses()).isEqualTo(ORGS * CREATES_PER_ORG);
    assertThat(ledger.deadLetters()).isZero();
    all.forEach(CustomerSource::awaitAvailable);
    for (var org : byOrg.entrySet()) {
      List<String> published =
          stack.ledger.statuses().stream()
              .filter(status -> org.getKey().equals(status.key()))
              .map(ConsumerRecord::value)
              .map(TenantOrderIT::resourceId)
              .toList();
      List<String> produced =
          org.getValue().stream().map(source -> Long.toString(source.applicationId)).toList();
      assertThat(published).as("statuses of %s", org.getKey()).containsExactlyElementsOf(produced);
    }
    assertThat(maxConcurrentStsCalls()).as("tenants processed concurrently").isGreaterThan(1);
  }

  /**
   * The most STS calls that were being served at the same moment, from when each arrived to when
   * its answer was sent (WireMock's own timing, delays included). One-at-a-time processing never
   * has two at once, whatever the delays, so this check can fail.
   */
  private int maxConcurrentStsCalls() {
    record Interval(long start, long end) {}
    List<Interval> calls =
        stack.sts.server().getAllServeEvents().stream()
            .map(
                call -> {
                  long start = call.getRequest().getLoggedDate().toInstant().toEpochMilli();
                  return new Interval(start, start + call.getTiming().getTotalTime());
                })
            .toList();
    int max = 0;
    for (Interval call : calls) {
      long atOnce =
          calls.stream()
              .filter(other -> other.start() <= call.start() && call.start() < other.end())
              .count();
      max = Math.max(max, (int) atOnce);
    }
    return max;
  }

  private static String resourceId(String status) {
    int start = status.indexOf("\"resource_id\":\"") + 15;
    return status.substring(start, status.indexOf('"', start));
  }
}
