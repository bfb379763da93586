package com.redhat.cloudoreg.ledger;

import com.redhat.cloudoreg.outcome.TransientFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The trust ledger as a compacted topic keeps it, in memory: the orgs forgotten, the delegations to
 * end that are recorded and not yet settled (a settled one is gone, as a tombstone's key is), and
 * every tombstone of one. {@link #unrecording} makes it return without recording, as the ledger
 * does once it has logged that Kafka refused the record or did not confirm it in time; {@link
 * #interrupted}, throw as it does when its wait is interrupted.
 */
public class RecordingLedger extends TrustLedger {
  public final List<String> forgotten = new CopyOnWriteArrayList<>();

  /** The delegations to end Kafka holds now, by subscription. */
  public final Map<String, DelegationToEnd> delegations = new ConcurrentHashMap<>();

  /** Every record of a delegation to end, in order, settled ones too. */
  public final List<DelegationToEnd> recorded = new CopyOnWriteArrayList<>();

  /** Every subscription whose record was tombstoned, in order. */
  public final List<String> settled = new CopyOnWriteArrayList<>();

  public volatile boolean unrecording;
  public volatile boolean interrupted;

  @Override
  public void forget(String orgId) {
    forgotten.add(orgId);
  }

  @Override
  public void progress(String json) {}

  @Override
  public boolean recordDelegationToEnd(DelegationToEnd pending) {
    if (interrupted) {
      throw new TransientFailure("interrupted while recording a delegation to end");
    }
    if (unrecording) {
      return false;
    }
    recorded.add(pending);
    delegations.put(pending.subscription(), pending);
    return true;
  }

  @Override
  public void delegationSettled(String subscription) {
    settled.add(subscription);
    delegations.remove(subscription);
  }
}
