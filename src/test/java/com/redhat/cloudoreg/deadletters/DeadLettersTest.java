package com.redhat.cloudoreg.deadletters;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.ledger.RecordEmitter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
  private static final ConsumerRecord<String, String> EVENT =
      new ConsumerRecord<>(
          "platform.sources.event-stream",
          2,
          41,
          0L,
          TimestampType.CREATE_TIME,
          0,
          0,
          "7654321",
          "{not json",
          new RecordHeaders(
              List.of(
                  new RecordHeader("event_type", bytes("ApplicationAuthentication.create")),
                  new RecordHeader("x-rh-identity", bytes("eyJpZGVudGl0eSI6e319")))),
          java.util.Optional.empty());

  /**
   * A dead letter the channel cannot take now is a failed send, tried again until Kafka has it
   * (events/EventRouter#keepAfterBug): never thrown, which would acknowledge the event as lost.
   */
  @Test
  void aDeadLetterTheChannelCannotTakeIsAFailedSendNotAThrow() {
    DeadLetters letters =
        new DeadLetters(
            new RecordEmitter() {
              @Override
              public CompletionStage<Void> send(ProducerRecord<String, String> record) {
                throw new IllegalStateException("SRMSG00034: Insufficient downstream requests");
              }
            },
            "dlq");

    assertThat(letters.send(EVENT, "internal error").toCompletableFuture())
        .isCompletedExceptionally();
  }

  @Test
  void deadLetterKeepsTheOriginalAndSaysWhyAndWhere() {
    var letter = DeadLetters.record("platform.cloudoreg.dead-letter", EVENT, "body is not JSON");

    assertThat(letter.key()).isEqualTo("7654321");
    assertThat(letter.value()).isEqualTo("{not json");
    assertThat(text(letter.headers().lastHeader("x-rh-identity").value()))
        .isEqualTo("eyJpZGVudGl0eSI6e319");
    assertThat(text(letter.headers().lastHeader("cloudoreg-error").value()))
        .isEqualTo("body is not JSON");
    assertThat(text(letter.headers().lastHeader("cloudoreg-source-topic").value()))
        .isEqualTo("platform.sources.event-stream");
    assertThat(text(letter.headers().lastHeader("cloudoreg-source-partition").value()))
        .isEqualTo("2");
    assertThat(text(letter.headers().lastHeader("cloudoreg-source-offset").value()))
        .isEqualTo("41");
  }

  @Test
  void replayRestoresTheOriginalWithoutOurHeaders() {
    var letter = DeadLetters.record("dlq", EVENT, "no tenant");
    var consumed =
        new ConsumerRecord<>(
            "dlq",
            0,
            7,
            0L,
            TimestampType.CREATE_TIME,
            0,
            0,
            letter.key(),
            letter.value(),
            new RecordHeaders(letter.headers().toArray()),
            java.util.Optional.empty());

    var replayed = DeadLetterReplay.original("platform.sources.event-stream", consumed);

    assertThat(replayed.topic()).isEqualTo("platform.sources.event-stream");
    assertThat(replayed.partition()).as("back to the partition it came from").isEqualTo(2);
    assertThat(replayed.key()).isEqualTo("7654321");
    assertThat(replayed.value()).isEqualTo("{not json");
    assertThat(replayed.headers().toArray())
        .extracting(h -> h.key())
        .containsExactly("event_type", "x-rh-identity");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
