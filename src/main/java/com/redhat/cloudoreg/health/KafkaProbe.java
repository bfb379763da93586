package com.redhat.cloudoreg.health;

import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;

/**
 * What Kafka says about us: is the cluster reachable, is our consumer a member of its group, how
 * many partitions it holds. One admin client for the life of the application, and answers reused
 * for a couple of seconds, so probes stay cheap however often the platform asks.
 */
@ApplicationScoped
public class KafkaProbe {
  private static final Duration FRESH = Duration.ofSeconds(2);
  private static final long TIMEOUT_MS = 2000;

  private final KafkaClientSettings settings;
  private final Clock clock = Clock.systemUTC();
  private Admin admin;
  private View last;

  @Inject
  public KafkaProbe(KafkaClientSettings settings) {
    this.settings = settings;
  }

  protected KafkaProbe() {
    this(null);
  }

  /** What Kafka said at most a couple of seconds ago. */
  public synchronized View view() {
    Instant now = clock.instant();
    if (last == null || last.at().plus(FRESH).isBefore(now)) {
      last = ask(now);
    }
    return last;
  }

  private View ask(Instant now) {
    try {
      admin().describeCluster().nodes().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception unreachable) {
      return new View(now, false, false, 0, describe(unreachable));
    }
    String group = settings.value("KAFKA_GROUP_ID");
    String clientId = settings.value("mp.messaging.incoming.sources-events-in.client.id");
    try {
      ConsumerGroupDescription description =
          admin()
              .describeConsumerGroups(List.of(group))
              .describedGroups()
              .get(group)
              .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      List<MemberDescription> ours =
          description.members().stream().filter(m -> clientId.equals(m.clientId())).toList();
      int partitions = ours.stream().mapToInt(m -> m.assignment().topicPartitions().size()).sum();
      return new View(now, true, !ours.isEmpty(), partitions, "group " + description.groupState());
    } catch (Exception groupUnknown) {
      return new View(now, true, false, 0, describe(groupUnknown));
    }
  }

  private Admin admin() {
    if (admin == null) {
      Map<String, Object> config = settings.connection();
      config.put(AdminClientConfig.CLIENT_ID_CONFIG, "cloudoreg-health");
      config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
      config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT_MS);
      admin = Admin.create(config);
    }
    return admin;
  }

  private static String describe(Exception failure) {
    Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
    return cause.getClass().getSimpleName();
  }

  @PreDestroy
  synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
  }

  /** One answer from Kafka. */
  public record View(
      Instant at, boolean reachable, boolean member, int assignedPartitions, String detail) {}
}
