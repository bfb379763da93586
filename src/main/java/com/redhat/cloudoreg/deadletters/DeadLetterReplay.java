package com.redhat.cloudoreg.deadletters;

import com.redhat.cloudoreg.kafka.KafkaClientSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Re-feeds dead letters to Sources' event topic exactly as they first came (key, headers, body),
 * without cloudoreg's reason headers, into the partition each came from: Sources writes every event
 * to partition 0, and a replay elsewhere would overtake or trail that tenant's live events. By
 * default it continues where the last replay stopped (its consumer group keeps the position), so
 * each dead letter is replayed once; {@code since} moves to the dead letters written from that time
 * on, e.g. since an outage began — and the next replay continues after those, never going back to
 * what that since passed over. A replay reads up to the end the topic had when it started, so
 * letters written meanwhile wait for the next replay.
 */
@ApplicationScoped
public class DeadLetterReplay {
  private static final Duration POLL = Duration.ofSeconds(1);

  /**
   * How long a replay waits for the broker: any one of its calls, and its reading without progress.
   * An operator's call answers 503 while Kafka is away, rather than after the client's minute or
   * two, or never. A request is given half of it, so that a send (linger and request within its
   * delivery time, as the producer requires) fits in it too.
   */
  private static final Duration KAFKA_WAIT = Duration.ofSeconds(10);

  private static final String KAFKA_WAIT_MS = Long.toString(KAFKA_WAIT.toMillis());
  private static final String REQUEST_WAIT_MS = Long.toString(KAFKA_WAIT.toMillis() / 2);

  /** The most one replay re-feeds: an operator replays an outage in bounded steps. */
  public static final int MAX_LIMIT = 10_000;

  private final KafkaClientSettings kafka;

  @Inject
  public DeadLetterReplay(KafkaClientSettings kafka) {
    this.kafka = kafka;
  }

  protected DeadLetterReplay() {
    this(null);
  }

  /** Replays up to {@code limit} dead letters; returns how many. */
  public synchronized int replay(Optional<Instant> since, int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
    }
    String deadLetterTopic = kafka.value("CLOUDOREG_DEAD_LETTER_TOPIC");
    String eventTopic = kafka.value("SOURCES_EVENT_TOPIC");
    Map<String, Object> consumerConfig = kafka.connection();
    consumerConfig.put(
        ConsumerConfig.GROUP_ID_CONFIG, kafka.value("KAFKA_GROUP_ID") + "-dead-letter-replay");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // a replay group that never replayed starts at the oldest dead letter kept
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, KAFKA_WAIT_MS);
    consumerConfig.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_WAIT_MS);
    Map<String, Object> producerConfig = kafka.connection();
    producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
    producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, KAFKA_WAIT_MS);
    producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, REQUEST_WAIT_MS);
    producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, KAFKA_WAIT_MS);
    try (var consumer =
            new KafkaConsumer<>(
                consumerConfig, new StringDeserializer(), new StringDeserializer());
        var producer =
            new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(deadLetterTopic).stream()
              .map(info -> new TopicPartition(deadLetterTopic, info.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      position(consumer, partitions, since);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      // where each partition's next replay begins: after what was replayed here, and past what
      // a since skipped — never beyond the first letter left for the next one (the limit, or
      // written after this replay began)
      Map<TopicPartition, Long> next = new HashMap<>();
      Instant progressed = Instant.now();
      Map<TopicPartition, Long> positions = positions(consumer, partitions);
      while (sent.size() < limit && !caughtUp(consumer, end)) {
        var letters = consumer.poll(POLL);
        Map<TopicPartition, Long> now = positions(consumer, partitions);
        if (!letters.isEmpty() || !now.equals(positions)) {
          progressed = Instant.now();
          positions = now;
        } else if (Instant.now().isAfter(progressed.plus(KAFKA_WAIT))) {
          // letters are left to read, and none came: the broker is away (poll does not say so)
          throw new KafkaUnavailable("Kafka gave no letter for " + KAFKA_WAIT.toSeconds() + " s");
        }
        for (ConsumerRecord<String, String> letter : letters) {
          TopicPartition partition = new TopicPartition(letter.topic(), letter.partition());
          if (sent.size() < limit && letter.offset() < end.get(partition)) {
            sent.add(producer.send(original(eventTopic, letter)));
          } else {
            next.putIfAbsent(partition, letter.offset());
          }
        }
      }
      for (Future<RecordMetadata> delivery : sent) {
        delivery.get();
      }
      Map<TopicPartition, OffsetAndMetadata> replayed = new HashMap<>();
      for (TopicPartition partition : partitions) {
        long reached =
            Math.min(
                next.getOrDefault(partition, Long.MAX_VALUE),
                Math.min(consumer.position(partition), end.get(partition)));
        replayed.put(partition, new OffsetAndMetadata(reached));
      }
      consumer.commitSync(replayed);
      return sent.size();
    } catch (ExecutionException notTaken) {
      if (notTaken.getCause() instanceof RetriableException unavailable) {
        throw new KafkaUnavailable(
            "the event topic did not take a letter ("
                + unavailable.getClass().getSimpleName()
                + ")");
      }
      throw new IllegalStateException(
          "replay stopped: the event topic refused a letter", notTaken.getCause());
    } catch (RetriableException unanswered) {
      // an outage (a timeout, a broker away), not a request Kafka refuses for good
      throw new KafkaUnavailable(
          "Kafka did not answer (" + unanswered.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("replay interrupted", e);
    }
  }

  /**
   * Kafka did not answer the replay, or did not take a letter, in time: its position was not
   * committed, or not known to be, so the next replay begins where the last committed one ended
   * (what this one sent may go again: events are processed idempotently). Ours, never the caller's
   * request.
   */
  public static final class KafkaUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KafkaUnavailable(String what) {
      super(
          what
              + "; its position not committed, or not known to be: the next replay begins where"
              + " the last committed one ended, and may send letters again");
    }
  }

  private static void position(
      KafkaConsumer<String, String> consumer,
      List<TopicPartition> partitions,
      Optional<Instant> since) {
    if (since.isPresent()) {
      Map<TopicPartition, Long> at = new HashMap<>();
      partitions.forEach(partition -> at.put(partition, since.get().toEpochMilli()));
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      consumer
          .offsetsForTimes(at)
          .forEach(
              (partition, found) ->
                  consumer.seek(partition, found == null ? end.get(partition) : found.offset()));
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(partitions));
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata last = committed.get(partition);
      if (last == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, last.offset());
      }
    }
  }

  private static Map<TopicPartition, Long> positions(
      KafkaConsumer<String, String> consumer, List<TopicPartition> partitions) {
    Map<TopicPartition, Long> positions = new HashMap<>();
    partitions.forEach(partition -> positions.put(partition, consumer.position(partition)));
    return positions;
  }

  private static boolean caughtUp(
      KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  static ProducerRecord<String, String> original(
      String eventTopic, ConsumerRecord<String, String> letter) {
    var record =
        new ProducerRecord<>(eventTopic, partitionOf(letter), letter.key(), letter.value());
    letter
        .headers()
        .forEach(
            header -> {
              if (!header.key().startsWith(DeadLetters.REASON_HEADER_PREFIX)) {
                record.headers().add(header);
              }
            });
    return record;
  }

  /** The partition the event first came from; none for letters written before it was recorded. */
  private static Integer partitionOf(ConsumerRecord<String, String> letter) {
    Header partition = letter.headers().lastHeader(DeadLetters.SOURCE_PARTITION);
    return partition == null
        ? null
        : Integer.valueOf(new String(partition.value(), StandardCharsets.UTF_8));
  }
}
