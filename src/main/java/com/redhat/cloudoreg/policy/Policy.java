package com.redhat.cloudoreg.policy;

/**
 * Every fault-tolerance number in one place. The annotations on the gateways name these; MP Fault
 * Tolerance's own config keys still override any of them without a rebuild (e.g. {@code
 * RETRY_DELAY=1000} for all, or {@code COM_REDHAT_CLOUDOREG_RHSM_RHSMGATEWAY_RETRY_MAXRETRIES=5}
 * for one gateway).
 */
public final class Policy {
  /** A call to Sources or RHSM; a hung socket is cut before this by the clients' read timeout. */
  public static final long PEER_CALL_TIMEOUT_MS = 5_000;

  /** A verification: one STS call (AssumeRole), or a token plus a Resource Manager read. */
  public static final long VERIFICATION_TIMEOUT_MS = 8_000;

  /** Retries of one peer call after its first attempt, on transient failures only. */
  public static final int PEER_RETRIES = 3;

  public static final long PEER_RETRY_DELAY_MS = 500;
  public static final long PEER_RETRY_JITTER_MS = 250;

  /**
   * The longest {@code Retry-After} a Sources or RHSM call still retries in place: its retry's
   * shortest pause. Any longer wait (a second or more: {@code Retry-After} counts whole seconds) is
   * not retried in place; the item is tried again, not sooner than asked ({@code
   * outcome.Throttled}).
   */
  public static final long PEER_RETRY_IN_PLACE_MS = PEER_RETRY_DELAY_MS - PEER_RETRY_JITTER_MS;

  /**
   * Azure's retry pause: never under a second, so that a 429 asking for at most a second is
   * honoured by the retry itself ({@link #AZURE_RETRY_IN_PLACE_MS}).
   */
  public static final long AZURE_RETRY_DELAY_MS = 1_250;

  /** The longest {@code Retry-After} Azure's verification retries in place: a second. */
  public static final long AZURE_RETRY_IN_PLACE_MS = AZURE_RETRY_DELAY_MS - PEER_RETRY_JITTER_MS;

  /** The whole retry budget of one call, however the attempts went. */
  public static final long PEER_RETRY_BUDGET_MS = 30_000;

  /**
   * A breaker opens when half of the last twenty first attempts failed, and stays open this long.
   * Twenty, not ten: the soak (11 % of calls failing at random, no outage) opened ten-call breakers
   * about once per thousand calls, each opening refusing every tenant for the open time. The chance
   * that a failure completes a window at the ratio estimates it (880 calls at ten); at twenty it is
   * once per 130,000 calls, while a peer that is down still opens the breaker within twenty.
   */
  public static final int BREAKER_WINDOW = 20;

  public static final double BREAKER_FAILURE_RATIO = 0.5;
  public static final long BREAKER_OPEN_MS = 10_000;

  /**
   * The first pause before an unsettled step is tried again (its decision ours to finish, a removal
   * RHSM has not confirmed, a status Kafka did not take): doubling per failure of that step up to
   * {@link #RETRY_PAUSE_MAX}; a breaker is open about this long, so a step refused by one comes
   * back as it closes. ISO-8601, as {@code CLOUDOREG_RETRY_PAUSE} overrides it.
   */
  public static final String RETRY_PAUSE_FIRST = "PT10S";

  /**
   * The longest pause of an unsettled step ({@code CLOUDOREG_RETRY_PAUSE_MAX}): a backlog that
   * waited out a long outage is served within this long after the peer is back.
   */
  public static final String RETRY_PAUSE_MAX = "PT3M";

  /**
   * How long an accepted (202) removal of our Lighthouse delegation is followed before it is
   * counted as failed; Azure's {@code Retry-After} decides each wait within it.
   */
  public static final long AZURE_REMOVAL_FOLLOW_BOUND_MS = 120_000;

  /**
   * How many pages of a subscription's registration assignments a removal reads at most: far more
   * than Lighthouse delegations fill, so reaching it means a listing that does not end (counted as
   * failed), and it bounds how long a destroy holds its tenant's lane.
   */
  public static final int AZURE_ASSIGNMENT_PAGES_MAX = 20;

  /**
   * How long a destroy waits for Kafka to hold the record of a delegation it is to end before it
   * asks RHSM to remove the trust all the same (a delegation's end never holds back that removal).
   */
  public static final long DELEGATION_RECORD_WAIT_MS = 10_000;

  /**
   * How old a record of a delegation to end must be before the reconciliation ends it ({@code
   * CLOUDOREG_DELEGATION_END_GRACE}): a younger one may belong to a destroy still at work on it
   * (its listing and deletion retried, an accepted deletion followed for {@link
   * #AZURE_REMOVAL_FOLLOW_BOUND_MS}), and two ends at once would each count it.
   */
  public static final String DELEGATION_END_GRACE = "PT5M";

  /** The wait between two reads of an accepted removal's status when Azure names none. */
  public static final long AZURE_REMOVAL_POLL_DEFAULT_MS = 5_000;

  /** The shortest such wait: a {@code Retry-After: 0} never turns into a tight loop. */
  public static final long AZURE_REMOVAL_POLL_MIN_MS = 1_000;

  private Policy() {}
}
