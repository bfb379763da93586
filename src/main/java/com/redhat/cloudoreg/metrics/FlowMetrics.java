package com.redhat.cloudoreg.metrics;

import com.redhat.cloudoreg.outcome.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * What cloudoreg consumed, decided and kept aside, in Prometheus' terms ({@code
 * cloudoreg_events_consumed_total}, {@code cloudoreg_outcomes_total}, {@code
 * cloudoreg_flow_duration_seconds}, {@code cloudoreg_dead_letters_total}, {@code
 * cloudoreg_events_in_flight}, {@code cloudoreg_azure_delegation_removals_total}). Peer call
 * durations come from {@link PeerCall} on the gateways, retries and breakers from MP Fault
 * Tolerance's own {@code ft_*} metrics.
 */
@ApplicationScoped
public class FlowMetrics {
  private static final String DELEGATION_REMOVALS = "cloudoreg.azure.delegation.removals";
  private static final String AZURE_VERIFICATIONS = "cloudoreg.azure.verifications";
  private static final String RECONCILE_SKIPPED = "cloudoreg.reconcile.skipped";

  /** Every peer call's timer ({@code cloudoreg_peer_call_duration_seconds}). */
  private static final Metadata PEER_CALL =
      Metadata.builder()
          .withName("cloudoreg.peer.call.duration")
          .withDescription("Calls to a peer, retries included")
          .build();

  /** Sources' event types look so; anything else is one label, so junk cannot explode series. */
  private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z]{1,40}\\.[a-z]{1,20}");

  private final MetricRegistry registry;
  private final PeerCalls peerCalls;

  /**
   * The series every event counts into, looked up once: the registry's lookup by name and tags (a
   * new {@code MetricID}, its tags sorted and checked against every metric of the registry) costs
   * more than the count itself, three times per event.
   */
  private final Map<String, Counter> consumedByType = new ConcurrentHashMap<>();

  private final Map<Outcome, Counter> decidedByOutcome = new ConcurrentHashMap<>();
  private final Map<String, Timer> durationByStatus = new ConcurrentHashMap<>();

  @Inject
  public FlowMetrics(MetricRegistry registry, PeerCalls peerCalls) {
    this.registry = registry;
    this.peerCalls = peerCalls;
  }

  protected FlowMetrics() {
    this(null, null);
  }

  /**
   * Every series the flow counts into, at zero, before the first event: a dashboard's rates and
   * alerts see them from the start, and the first event does not pay for creating them (a timer's
   * histogram included).
   */
  public void registerSeries(Collection<String> eventTypes) {
    eventTypes.forEach(type -> consumedCounter(label(type)));
    for (Outcome outcome : Outcome.values()) {
      decidedCounter(outcome);
      durationTimer(statusOf(outcome));
    }
    for (DeadLetterKind kind : DeadLetterKind.values()) {
      registry.counter("cloudoreg.dead.letters", new Tag("kind", kind.label()));
    }
    registry.counter("cloudoreg.offsets.out.of.range");
    registry.counter("cloudoreg.reconcile.orphans.found");
    registry.counter("cloudoreg.reconcile.orphans.removed");
    for (String result : new String[] {"complete", "incomplete"}) {
      registry.counter("cloudoreg.reconcile.runs", new Tag("result", result));
    }
    registry.counter("cloudoreg.statuses.undelivered");
    peerCalls.all().forEach(this::peerCallTimer);
  }

  public void consumed(String eventType) {
    consumedCounter(label(eventType)).inc();
  }

  public void decided(Outcome outcome, Duration took) {
    decidedCounter(outcome).inc();
    durationTimer(statusOf(outcome)).update(took);
  }

  /** The timer of one peer's call. */
  Timer peerCallTimer(PeerCall call) {
    return registry.timer(PEER_CALL, new Tag("peer", call.peer()), new Tag("call", call.call()));
  }

  private Counter consumedCounter(String typeLabel) {
    return consumedByType.computeIfAbsent(
        typeLabel,
        type -> registry.counter("cloudoreg.events.consumed", new Tag("event_type", type)));
  }

  private Counter decidedCounter(Outcome outcome) {
    return decidedByOutcome.computeIfAbsent(
        outcome,
        decided ->
            registry.counter(
                "cloudoreg.outcomes",
                new Tag("status", statusOf(decided)),
                new Tag("code", decided.label())));
  }

  private Timer durationTimer(String status) {
    return durationByStatus.computeIfAbsent(
        status, key -> registry.timer("cloudoreg.flow.duration", new Tag("status", key)));
  }

  /**
   * In shadow mode, a status that live mode would have published: {@code
   * cloudoreg_shadow_outcomes_total{status,code}}, to compare with what the service being replaced
   * publishes.
   */
  public void shadowOutcome(Outcome outcome) {
    String status = statusOf(outcome);
    registry
        .counter(
            "cloudoreg.shadow.outcomes",
            new Tag("status", status),
            new Tag("code", outcome.label()))
        .inc();
  }

  /**
   * How an attempt to end our Lighthouse delegation went: {@code
   * cloudoreg_azure_delegation_removals_total{result}} ({@code removed}, {@code none}, {@code
   * several}, {@code refused}, {@code failed}, {@code shadow}), so that delegations left behind in
   * customers' subscriptions show.
   */
  public void azureDelegationRemoval(String result) {
    registry.counter(DELEGATION_REMOVALS, new Tag("result", result)).inc();
  }

  /**
   * The removal results' series at zero from the start, as {@link #registerSeries}: an alert on
   * their increase sees the first delegation left behind, not only the second.
   */
  public void registerAzureDelegationRemovals(Collection<String> results) {
    registerAtZero(DELEGATION_REMOVALS, "result", results);
  }

  /** {@code cloudoreg_azure_verifications_total{result}}: what an Azure verification found. */
  public void azureVerification(String result) {
    registry.counter(AZURE_VERIFICATIONS, new Tag("result", result)).inc();
  }

  /** Those series at zero from the start: an alert on no {@code delegated} needs the series. */
  public void registerAzureVerifications(Collection<String> results) {
    registerAtZero(AZURE_VERIFICATIONS, "result", results);
  }

  /**
   * {@code cloudoreg_azure_propagation_rechecks_total{result}}: an Azure create told "not
   * delegated", verified again: {@code delegated}, {@code not_delegated}, or {@code other}.
   */
  public void propagationRecheck(String result) {
    registry.counter("cloudoreg.azure.propagation.rechecks", new Tag("result", result)).inc();
  }

  /** {@code cloudoreg_reconcile_orphans_found_total}: trust whose source is gone. */
  public void reconcileOrphanFound() {
    registry.counter("cloudoreg.reconcile.orphans.found").inc();
  }

  /** {@code cloudoreg_reconcile_orphans_removed_total}: such trust removed, RHSM confirming. */
  public void reconcileOrphanRemoved() {
    registry.counter("cloudoreg.reconcile.orphans.removed").inc();
  }

  /**
   * {@code cloudoreg_reconcile_skipped_total{reason}}: what could not be read this round and was
   * left for the next ({@code sources_list_unread}, {@code org_unread}, {@code source_unread},
   * {@code delegation_unread}).
   */
  public void reconcileSkipped(String reason) {
    registry.counter(RECONCILE_SKIPPED, new Tag("reason", reason)).inc();
  }

  /** Those series at zero from the start, for an alert on their increase. */
  public void registerReconcileSkipped(Collection<String> reasons) {
    registerAtZero(RECONCILE_SKIPPED, "reason", reasons);
  }

  /** A counter's series, one per value of its one tag, created at zero. */
  private void registerAtZero(String counter, String tag, Collection<String> values) {
    values.forEach(value -> registry.counter(counter, new Tag(tag, value)));
  }

  /**
   * {@code cloudoreg_reconcile_runs_total{result}}: runs, {@code complete} or {@code incomplete}.
   */
  public void reconcileRun(boolean complete) {
    registry
        .counter(
            "cloudoreg.reconcile.runs", new Tag("result", complete ? "complete" : "incomplete"))
        .inc();
  }

  /** {@code cloudoreg_reconcile_duration_seconds}: how long complete runs took. */
  public void reconcileCompleted(Duration took, java.time.Instant at) {
    registry.timer("cloudoreg.reconcile.duration").update(took);
  }

  /**
   * {@code cloudoreg_reconcile_last_complete_timestamp_seconds}: when the last complete run ended
   * (0 before one did, or on a replica that does not reconcile): an alert fires when it is stale.
   */
  public void reconcileLastCompleteGauge(Supplier<Number> epochSeconds) {
    registry.gauge("cloudoreg.reconcile.last.complete.timestamp.seconds", epochSeconds);
  }

  public void deadLettered(DeadLetterKind kind) {
    registry.counter("cloudoreg.dead.letters", new Tag("kind", kind.label())).inc();
  }

  public void inFlightGauge(Supplier<Number> inFlight) {
    registry.gauge("cloudoreg.events.in.flight", inFlight);
  }

  /** {@code cloudoreg_pending_removals} and {@code cloudoreg_oldest_pending_removal_seconds}. */
  public void pendingRemovalGauges(Supplier<Number> count, Supplier<Number> oldestSeconds) {
    registry.gauge("cloudoreg.pending.removals", count);
    registry.gauge("cloudoreg.oldest.pending.removal.seconds", oldestSeconds);
  }

  /** {@code cloudoreg_consumer_lag}: events on the topic after our group's committed offsets. */
  public void consumerLagGauge(Supplier<Number> lag) {
    registry.gauge("cloudoreg.consumer.lag", lag);
  }

  /**
   * {@code cloudoreg_offsets_out_of_range_total}: our group's committed offset fell below the
   * oldest event the topic keeps; the consumer starts again at the oldest.
   */
  public void offsetOutOfRange() {
    registry.counter("cloudoreg.offsets.out.of.range").inc();
  }

  /** {@code cloudoreg_events_unacknowledged}: events taken from Kafka, not yet acknowledged. */
  public void unacknowledgedGauge(Supplier<Number> unacknowledged) {
    registry.gauge("cloudoreg.events.unacknowledged", unacknowledged);
  }

  /** A status Kafka did not take where nothing will retry it (after an availability check). */
  public void statusUndelivered() {
    registry.counter("cloudoreg.statuses.undelivered").inc();
  }

  private static String statusOf(Outcome outcome) {
    return outcome.availability().map(a -> a.wireValue()).orElse("none");
  }

  static String label(String eventType) {
    if (eventType == null || eventType.isEmpty()) {
      return "none";
    }
    return EVENT_TYPE.matcher(eventType).matches() ? eventType : "unrecognized";
  }

  /** Why an event was kept as a dead letter. */
  public enum DeadLetterKind {
    UNREPORTABLE,
    INTERNAL_ERROR;

    String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
