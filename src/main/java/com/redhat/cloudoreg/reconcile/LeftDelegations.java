package com.redhat.cloudoreg.reconcile;

import com.redhat.cloudoreg.ledger.DelegationToEnd;
import java.util.List;

/**
 * The Azure delegations destroys recorded in the trust ledger and did not settle, as the ledger
 * holds them at the moment asked: a run asks which are due once it can act, and again before each
 * end, since a destroy still at work records again and a source trusting the subscription again
 * settles it meanwhile.
 */
public interface LeftDelegations {
  /** Those recorded long enough ago that no destroy is still at work on them. */
  List<DelegationToEnd> due();

  /** Whether this one is still recorded, as it was, and still due. */
  boolean stillDue(DelegationToEnd left);
}
