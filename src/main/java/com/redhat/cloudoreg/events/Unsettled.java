package com.redhat.cloudoreg.events;

import java.time.Duration;
import java.util.Optional;

/**
 * An event step that must be tried again: its decision is ours to finish (a peer down, a breaker
 * open, throttled, the application's type not learnt yet), a removal RHSM has not confirmed, or a
 * status Kafka did not take. Carries the wait a throttling peer asked for, if it said.
 */
public class Unsettled extends RuntimeException {
  private final transient Optional<Duration> notSoonerThan;

  public Unsettled(String why) {
    this(why, Optional.empty());
  }

  public Unsettled(String why, Optional<Duration> notSoonerThan) {
    super(why, null, false, false);
    this.notSoonerThan = notSoonerThan;
  }

  /** The least pause before the next attempt, when a peer asked for one. */
  public Optional<Duration> notSoonerThan() {
    return notSoonerThan;
  }
}
