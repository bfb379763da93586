package com.redhat.cloudoreg.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.metrics.Gauge;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.annotation.RegistryScope;

/**
 * Which peers' circuit breakers are open now, shown in the readiness report — but never a reason to
 * be unready. A peer's outage is every replica's alike: taking pods out of the Service for it would
 * only leave Sources' availability checks with nowhere to go, while each pod goes on finishing its
 * work once the peer is back. And a breaker that opened stays open, as MP Fault Tolerance counts
 * it, until a call tries it; re-drives go around it ({@code policy/Guard}), so on a quiet pod it
 * may look open long after the peer healed. Alerts read the breakers' metrics instead. MP Fault
 * Tolerance shows their state only as metrics: {@code ft.circuitbreaker.state.total} is the time
 * spent in each state, counted up to now, so a breaker is open right now exactly when its open-time
 * grows.
 */
@Readiness
@ApplicationScoped
public class BreakersReadinessCheck implements HealthCheck {
  private static final String STATE_TIME = "ft.circuitbreaker.state.total";
  private static final long GAP_NANOS = 1_000_000;

  private final MetricRegistry base;

  @Inject
  public BreakersReadinessCheck(
      @RegistryScope(scope = MetricRegistry.BASE_SCOPE) MetricRegistry base) {
    this.base = base;
  }

  protected BreakersReadinessCheck() {
    this(null);
  }

  @Override
  public HealthCheckResponse call() {
    Map<MetricID, Number> before = openTimes();
    LockSupport.parkNanos(GAP_NANOS);
    Map<MetricID, Number> after = openTimes();
    List<String> open =
        after.entrySet().stream()
            .filter(e -> e.getValue().longValue() > before.getOrDefault(e.getKey(), 0L).longValue())
            .map(e -> e.getKey().getTags().get("method"))
            .sorted()
            .toList();
    return HealthCheckResponse.named("circuit-breakers")
        .up()
        .withData("open", open.isEmpty() ? "none" : String.join(",", open))
        .build();
  }

  private Map<MetricID, Number> openTimes() {
    SortedMap<MetricID, Gauge> gauges =
        base.getGauges(
            (id, metric) ->
                STATE_TIME.equals(id.getName()) && "open".equals(id.getTags().get("state")));
    return gauges.entrySet().stream()
        .collect(
            java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getValue()));
  }
}
