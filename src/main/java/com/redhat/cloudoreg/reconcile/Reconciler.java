package com.redhat.cloudoreg.reconcile;

import com.redhat.cloudoreg.events.Removals;
import com.redhat.cloudoreg.flow.TrustRemovals;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.ledger.TrustLedger;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.ListedSource;
import com.redhat.cloudoreg.sources.SourcesGateway;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;

/**
 * Finds trust whose source is gone — events missed while we were down past the topic's retention, a
 * source Sources deleted without an event, trust the service we replace left — and removes it with
 * the events' own durable removal, a destroy's: RHSM's trust of that source, the Lighthouse
 * delegation of each Azure subscription RHSM held for it recorded first, for the next run to end
 * (as cloudigrade's deletion of an orphan's account ended it). Without a database: Sources lists
 * every source across tenants, RHSM answers org by org, and the trust ledger names the orgs whose
 * last source is gone. Each run, once Sources' list is read, first ends the delegations destroys
 * recorded in the ledger and did not settle, and those updates kept whose application is gone now
 * ({@link TrustRemovals#endLeftDelegation}).
 *
 * <p>Never on a guess. A source counts as gone only when Sources' whole list lacks it <em>and</em>
 * Sources answers 404 for it in that org now (the list is older than RHSM's answer: a source added
 * since is not gone). What cannot be read now — a page of the list, an org at RHSM, a source — is
 * skipped this round and counted, never taken for "nothing there". Accounts the org added by hand
 * (no source) and other orgs' accounts are never touched. Both peers are called at {@code
 * CLOUDOREG_RECONCILE_RATE} requests in each one-second cycle at most, each, removals included (a
 * removal RHSM did not confirm is tried again at its own backoff's pace, like the events').
 */
@ApplicationScoped
public class Reconciler {
  private static final Logger LOG = Logger.getLogger(Reconciler.class.getName());
  static final int PAGE = 1000;
  private static final int SAVE_EVERY = 100;
  private static final int LOG_EVERY = 1000;

  private final SourcesGateway sources;
  private final TrustRegistrar trust;
  private final TrustRemovals ending;
  private final Removals removals;
  private final TrustLedger ledger;
  private final FlowMetrics metrics;
  private final Mode mode;
  private final Clock clock;
  private final RateLimiter toSources;
  private final RateLimiter toRhsm;

  /**
   * The orphans (org/source) whose removal this replica has under way: one RHSM keeps refusing is
   * tried again at its backoff's pace for as long as it takes, and a later run or an operator's
   * call finding it again must not start a second, third… loop of the same removal.
   */
  private final Set<String> removing = ConcurrentHashMap.newKeySet();

  @Inject
  public Reconciler(
      SourcesGateway sources,
      TrustRegistrar trust,
      TrustRemovals ending,
      Removals removals,
      TrustLedger ledger,
      FlowMetrics metrics,
      @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode,
      @ConfigProperty(name = "CLOUDOREG_RECONCILE_RATE", defaultValue = "5") int rate) {
    this(sources, trust, ending, removals, ledger, metrics, Mode.of(mode), rate, Clock.systemUTC());
  }

  Reconciler(
      SourcesGateway sources,
      TrustRegistrar trust,
      TrustRemovals ending,
      Removals removals,
      TrustLedger ledger,
      FlowMetrics metrics,
      Mode mode,
      int rate,
      Clock clock) {
    this.sources = sources;
    this.trust = trust;
    this.ending = ending;
    this.removals = removals;
    this.ledger = ledger;
    this.metrics = metrics;
    this.mode = mode;
    this.clock = clock;
    if (rate < 1) {
      throw new IllegalArgumentException("CLOUDOREG_RECONCILE_RATE must be at least 1");
    }
    RateLimiterConfig pace =
        RateLimiterConfig.custom()
            .limitForPeriod(rate)
            .limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ofHours(1))
            .build();
    this.toSources = RateLimiter.of("reconcile-sources", pace);
    this.toRhsm = RateLimiter.of("reconcile-rhsm", pace);
  }

  protected Reconciler() {
    this.sources = null;
    this.trust = null;
    this.ending = null;
    this.removals = null;
    this.ledger = null;
    this.metrics = null;
    this.mode = null;
    this.clock = null;
    this.toSources = null;
    this.toRhsm = null;
  }

  /**
   * One run over every org that may hold trust through a source: those with a source at Sources,
   * and those the ledger names. Resumes after {@code from}'s last org when {@code from} is in a
   * run. Stops, incomplete, as soon as {@code stillOurs} says another replica reconciles now. Saves
   * its progress through {@code save}. Returns whether it completed.
   */
  public boolean run(
      Progress from,
      Set<String> ledgerOrgs,
      LeftDelegations leftDelegations,
      BooleanSupplier stillOurs,
      Consumer<Progress> save) {
    Instant began = clock.instant();
    Progress progress = from.inRun() ? from : from.started(began);
    save.accept(progress);
    Optional<Listing> listed = everySource();
    if (listed.isEmpty()) {
      metrics.reconcileSkipped("sources_list_unread");
      return false;
    }
    if (!endLeftDelegations(leftDelegations, stillOurs)) {
      LOG.log(Level.INFO, "Reconciliation handed over while ending delegations left to end");
      return false;
    }
    ListedSourceIds existing = listed.get().sources();
    TreeSet<String> orgs = new TreeSet<>(ledgerOrgs);
    orgs.addAll(listed.get().orgs());
    Set<String> todo = progress.lastOrg().map(last -> orgs.tailSet(last, false)).orElse(orgs);
    LOG.log(
        Level.INFO,
        "Reconciliation {0}: {1} sources listed, {2} orgs to check{3}",
        new Object[] {
          from.inRun() ? "resumed" : "started",
          existing.size(),
          todo.size(),
          mode.isShadow() ? " (shadow: nothing is removed)" : ""
        });
    int done = 0;
    int orgsUnread = 0;
    int sourcesUnread = 0;
    for (String org : todo) {
      if (!stillOurs.getAsBoolean()) {
        LOG.log(Level.INFO, "Reconciliation handed over after org {0}", progress.lastOrg());
        return false;
      }
      OrgChecked checked = reconcileOrg(org, existing);
      orgsUnread += checked.trustRead() ? 0 : 1;
      sourcesUnread += checked.sourcesUnread();
      progress = progress.through(org);
      done++;
      if (done % SAVE_EVERY == 0) {
        save.accept(progress);
      }
      if (done % LOG_EVERY == 0) {
        LOG.log(
            Level.INFO,
            "Reconciliation: {0} of {1} orgs checked",
            new Object[] {done, todo.size()});
      }
    }
    Instant ended = clock.instant();
    save.accept(progress.completed(ended));
    metrics.reconcileCompleted(Duration.between(began, ended), ended);
    LOG.log(
        orgsUnread + sourcesUnread == 0 ? Level.INFO : Level.WARNING,
        "Reconciliation complete: {0} orgs checked in {1}; left unread for the next run: {2} orgs"
            + " (RHSM), {3} sources (Sources)",
        new Object[] {todo.size(), Duration.between(began, ended), orgsUnread, sourcesUnread});
    return true;
  }

  /**
   * What an org's check found: the orphans, and what it could not read — RHSM's trust of the org
   * ({@code trustRead} false: nothing was checked), sources Sources did not answer for — which is
   * never "nothing there".
   */
  public record OrgChecked(List<String> orphans, boolean trustRead, int sourcesUnread) {}

  /**
   * One org: the sources through which RHSM holds its trust, each that is gone removed. Sources
   * known to exist ({@code existing}, the listing's) need no question; any other is asked about.
   */
  public OrgChecked reconcileOrg(String orgId, Predicate<String> existing) {
    Caller caller =
        new Caller(new Tenant(orgId, Optional.empty()), "reconcile-" + UUID.randomUUID());
    Set<String> holding;
    try {
      RateLimiter.waitForPermission(toRhsm);
      holding = trust.sourcesHoldingTrust(caller);
    } catch (PeerFailure | FaultToleranceException unread) {
      metrics.reconcileSkipped("org_unread");
      LOG.log(
          Level.WARNING,
          "Reconciliation skips org {0} this round: {1}",
          new Object[] {orgId, Outcomes.describe(unread)});
      return new OrgChecked(List.of(), false, 0);
    }
    if (holding.isEmpty()) {
      ledger.forget(orgId);
      return new OrgChecked(List.of(), true, 0);
    }
    List<String> orphans = new ArrayList<>();
    int unread = 0;
    for (String sourceId : holding) {
      if (existing.test(sourceId)) {
        continue;
      }
      Optional<Boolean> gone = gone(caller, sourceId);
      if (gone.isEmpty()) {
        unread++;
      }
      if (!gone.orElse(false)) {
        continue;
      }
      orphans.add(sourceId);
      metrics.reconcileOrphanFound();
      if (mode.isShadow()) {
        LOG.log(
            Level.INFO,
            "Shadow mode: reconciliation would remove the trust of source {0} of org {1}, gone from Sources",
            new Object[] {sourceId, orgId});
        continue;
      }
      String orphan = orgId + "/" + sourceId;
      if (!removing.add(orphan)) {
        LOG.log(
            Level.INFO,
            "Reconciliation finds the trust of source {0} of org {1} gone from Sources again: its"
                + " removal is still under way",
            new Object[] {sourceId, orgId});
        continue;
      }
      LOG.log(
          Level.INFO,
          "Reconciliation removes the trust of source {0} of org {1}: gone from Sources",
          new Object[] {sourceId, orgId});
      // its first attempt's calls: the removal, and before it, where delegations are ended, the
      // listing of the source's Azure subscriptions
      RateLimiter.waitForPermission(toRhsm, ending.endsDelegations() ? 2 : 1);
      removals
          .durably("reconciliation", caller, ending.removalOfOrphan(Long.parseLong(sourceId)))
          .thenRun(metrics::reconcileOrphanRemoved)
          .whenComplete((removed, never) -> removing.remove(orphan));
    }
    return new OrgChecked(orphans, true, unread);
  }

  /**
   * The delegations destroys recorded and did not settle, each ended unless RHSM trusts its
   * subscription for the org. After Sources' list was read: a run that stops short for it is tried
   * again within minutes, and would try them again, and count them again, as often. Returns false
   * when another replica reconciles now.
   */
  private boolean endLeftDelegations(LeftDelegations leftDelegations, BooleanSupplier stillOurs) {
    List<DelegationToEnd> due = leftDelegations.due();
    if (due.isEmpty()) {
      return true;
    }
    if (!ending.endsDelegations()) {
      LOG.log(
          Level.WARNING,
          "Reconciliation leaves {0} Azure delegations destroys recorded to end: Azure is not"
              + " configured here",
          due.size());
      return true;
    }
    for (DelegationToEnd left : due) {
      if (!stillOurs.getAsBoolean()) {
        return false;
      }
      if (leftDelegations.stillDue(left)) {
        endLeftDelegation(left);
      }
    }
    return true;
  }

  /**
   * A delegation a destroy recorded and did not settle: its end begun again, unless RHSM trusts the
   * subscription for the org or an application of its source names it again; RHSM or Sources
   * unread, left for the next run.
   */
  private void endLeftDelegation(DelegationToEnd left) {
    Caller caller =
        new Caller(new Tenant(left.orgId(), Optional.empty()), "reconcile-" + UUID.randomUUID());
    if (left.keptForApplication().isPresent()
        && !applicationGone(caller, left.keptForApplication().get()).orElse(false)) {
      // kept by an update (for the customer to correct the id) or a take-back: the application is
      // still there (or Sources could not say), so is the delegation
      return;
    }
    try {
      RateLimiter.waitForPermission(toRhsm);
      if (left.keptForApplication().isEmpty()) {
        // the source's applications, read before a destroy's record is ended
        RateLimiter.waitForPermission(toSources);
      }
      if (ending.endLeftDelegation(caller, left)) {
        LOG.log(
            Level.INFO,
            "Reconciliation {3} the Azure delegation of subscription {0} (org {1}): {4}",
            new Object[] {
              left.subscription(),
              left.orgId(),
              left.sourceId(),
              mode.isShadow() ? "would end (shadow mode)" : "ends",
              left.keptForApplication().isPresent()
                  ? "the application that kept it is gone (source " + left.sourceId() + ")"
                  : "the destroy of source " + left.sourceId() + " did not settle it"
            });
      } else {
        LOG.log(
            Level.INFO,
            "Reconciliation leaves the Azure delegation of subscription {0} (org {1}): RHSM trusts"
                + " it for the org, or an application of source {2} names it again",
            new Object[] {left.subscription(), left.orgId(), left.sourceId()});
      }
    } catch (PeerFailure | FaultToleranceException unread) {
      metrics.reconcileSkipped("delegation_unread");
      LOG.log(
          Level.WARNING,
          "Reconciliation leaves the Azure delegation of subscription {0} (org {1}) for its next"
              + " round: {2}",
          new Object[] {left.subscription(), left.orgId(), Outcomes.describe(unread)});
    }
  }

  /**
   * Whether Sources answers, now, that the org has no such source; empty when Sources could not be
   * read (unread is not gone).
   */
  private Optional<Boolean> gone(Caller caller, String sourceId) {
    long id;
    try {
      id = Long.parseLong(sourceId);
    } catch (NumberFormatException notOurs) {
      return Optional.of(false);
    }
    return goneAtSources("source_unread", () -> sources.source(caller, id));
  }

  /**
   * Whether Sources answers, now, that the org has no such application (its source's destroy takes
   * it too); empty when Sources could not be read.
   */
  private Optional<Boolean> applicationGone(Caller caller, long applicationId) {
    return goneAtSources("delegation_unread", () -> sources.application(caller, applicationId));
  }

  /** One read of Sources at the reconciliation's rate: empty, counted as {@code unread}, unread. */
  private Optional<Boolean> goneAtSources(String unread, Supplier<Optional<?>> read) {
    try {
      RateLimiter.waitForPermission(toSources);
      return Optional.of(read.get().isEmpty());
    } catch (PeerFailure | FaultToleranceException notRead) {
      metrics.reconcileSkipped(unread);
      return Optional.empty();
    }
  }

  /** Sources' list of every source: their ids, and the orgs that have one. */
  private record Listing(ListedSourceIds sources, Set<String> orgs) {}

  /** Every source Sources lists, across tenants; empty when a page could not be read. */
  private Optional<Listing> everySource() {
    ListedSourceIds ids = new ListedSourceIds();
    Set<String> orgs = new HashSet<>();
    for (int offset = 0; ; offset += PAGE) {
      List<ListedSource> page;
      try {
        RateLimiter.waitForPermission(toSources);
        page = sources.everySource(offset, PAGE);
      } catch (PeerFailure | FaultToleranceException unread) {
        LOG.log(
            Level.WARNING,
            "Reconciliation stops this round: Sources'' list unread at offset {0,number,#}: {1}",
            new Object[] {offset, Outcomes.describe(unread)});
        return Optional.empty();
      }
      for (ListedSource source : page) {
        ids.add(source.id());
        if (source.orgId() != null && !source.orgId().isBlank()) {
          orgs.add(source.orgId());
        }
      }
      if (page.size() < PAGE) {
        return Optional.of(new Listing(ids, orgs));
      }
    }
  }
}
