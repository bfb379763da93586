package com.redhat.cloudoreg.kafka;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Emitter;

/** Reactive Messaging channel names; topics and connectors are bound in microprofile-config. */
public final class Channels {
  public static final String SOURCES_EVENTS_IN = "sources-events-in";
  public static final String SOURCES_STATUS_OUT = "sources-status-out";
  public static final String DEAD_LETTER_OUT = "dead-letter-out";
  public static final String TRUST_LEDGER_OUT = "trust-ledger-out";

  private Channels() {}

  /**
   * Sends through an emitter, a channel that cannot take the payload now — its buffer full, or its
   * stream ended: the emitter then throws ({@code SRMSG00034}, say) rather than fail the stage — as
   * a send Kafka refused: the caller's failed stage (a status published again, a ledger record
   * logged), never a bug thrown into the flow that would dead-letter a decided event.
   */
  public static <T> CompletionStage<Void> send(Emitter<T> emitter, T payload) {
    try {
      return emitter.send(payload);
    } catch (IllegalStateException refused) {
      return CompletableFuture.failedStage(refused);
    }
  }
}
