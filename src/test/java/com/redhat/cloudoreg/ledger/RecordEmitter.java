package com.redhat.cloudoreg.ledger;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * The reactive-messaging emitter {@link TrustLedger} writes to, outside a server: its records go
 * where {@link #send(Object)} takes them; messages are refused (the ledger sends records).
 */
public abstract class RecordEmitter implements Emitter<ProducerRecord<String, String>> {
  @Override
  public <M extends Message<? extends ProducerRecord<String, String>>> void send(M message) {
    throw new UnsupportedOperationException("TrustLedger sends records, not messages");
  }

  @Override
  public void complete() {}

  @Override
  public void error(Exception e) {}

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public boolean hasRequests() {
    return true;
  }
}
