package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Which events are being processed and since when: for the in-flight gauge and liveness. */
@ApplicationScoped
public class ConsumerActivity {
  private final Map<String, Instant> inFlight = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();

  void started(SourcesEvent event) {
    inFlight.put(event.coordinates(), clock.instant());
  }

  void finished(SourcesEvent event) {
    inFlight.remove(event.coordinates());
  }

  public int inFlight() {
    return inFlight.size();
  }

  /** When the longest-running event in flight started, if any is. */
  public Optional<Instant> oldestInFlightSince() {
    return inFlight.values().stream().min(Instant::compareTo);
  }
}
