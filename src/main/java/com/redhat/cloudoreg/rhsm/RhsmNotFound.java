package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.outcome.PeerAnswer;

/** RHSM has nothing there: for a removal, already gone; for a registration, a refusal. */
class RhsmNotFound extends PeerAnswer {
  RhsmNotFound() {
    super("not found at RHSM");
  }
}
