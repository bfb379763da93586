package com.redhat.cloudoreg.http;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The checks a pod holds, waiting or running: at most {@code total}, of which one org holds at most
 * half. An org's lane can be held for hours (an event of its that keeps failing, in order before
 * its checks), while Sources goes on checking every source hourly; without the share an org with
 * more sources than the bound would fill it alone, and every other org's checks would be refused
 * until its lane moved. A check of a source whose same kind of check has not started yet is that
 * check: accepted, nothing added. One lock over the three: admission is a few map operations per
 * request, and the counts and the set of checks not started must agree.
 */
final class WaitingChecks {
  /** What became of a check asked for. */
  enum Admission {
    QUEUED(Optional.empty()),
    /** The same check, still waiting for its turn, answers this one: accepted, nothing added. */
    WAITING_ALREADY(Optional.empty()),
    TOO_MANY(Optional.of("too many checks waiting; try again later")),
    TOO_MANY_OF_ORG(Optional.of("too many checks of this org waiting; try again later"));

    private final Optional<String> refusal;

    Admission(Optional<String> refusal) {
      this.refusal = refusal;
    }

    /** Why the check was refused; empty when it was accepted. */
    Optional<String> refusal() {
      return refusal;
    }
  }

  private final int total;
  private final int perOrg;
  private int held;
  private final Map<String, Integer> heldByOrg = new HashMap<>();
  private final Set<String> notStarted = new HashSet<>();

  WaitingChecks(int total) {
    this.total = total;
    this.perOrg = Math.max(1, total / 2);
  }

  /** When {@link Admission#QUEUED}, {@link #started} (if it runs) and {@link #ended} follow. */
  synchronized Admission admit(String orgId, String check) {
    if (notStarted.contains(check)) {
      return Admission.WAITING_ALREADY;
    }
    if (held >= total) {
      return Admission.TOO_MANY;
    }
    int ofOrg = heldByOrg.getOrDefault(orgId, 0);
    if (ofOrg >= perOrg) {
      return Admission.TOO_MANY_OF_ORG;
    }
    held++;
    heldByOrg.put(orgId, ofOrg + 1);
    notStarted.add(check);
    return Admission.QUEUED;
  }

  /** From here on the source's state may have changed: a new check of it queues anew. */
  synchronized void started(String check) {
    notStarted.remove(check);
  }

  /**
   * The check is over, or never ran ({@code started} false: it no longer waits either); its place
   * is free. One that started leaves alone a check of the same source queued since.
   */
  synchronized void ended(String orgId, String check, boolean started) {
    if (!started) {
      notStarted.remove(check);
    }
    held--;
    heldByOrg.computeIfPresent(orgId, (org, ofOrg) -> ofOrg == 1 ? null : ofOrg - 1);
  }
}
