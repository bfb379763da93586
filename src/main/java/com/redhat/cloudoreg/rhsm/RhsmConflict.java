package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.outcome.PeerAnswer;

/** RHSM already holds the provider account (its unique constraint refused a second one). */
class RhsmConflict extends PeerAnswer {
  RhsmConflict() {
    super("the provider account is already registered");
  }
}
