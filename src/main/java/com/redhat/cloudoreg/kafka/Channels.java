package com.redhat.cloudoreg.kafka;

/** Reactive Messaging channel names; topics and connectors are bound in microprofile-config. */
public final class Channels {
  public static final String SOURCES_EVENTS_IN = "sources-events-in";
  public static final String SOURCES_STATUS_OUT = "sources-status-out";
  public static final String DEAD_LETTER_OUT = "dead-letter-out";
  public static final String TRUST_LEDGER_OUT = "trust-ledger-out";

  private Channels() {}
}
