package com.redhat.cloudoreg.rhsm;

/** RHSM already holds the provider account (its unique constraint refused a second one). */
class RhsmConflict extends RuntimeException {
  RhsmConflict() {
    super("the provider account is already registered", null, false, false);
  }
}
