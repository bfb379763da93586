package com.redhat.cloudoreg.rhsm;

/** RHSM has nothing there: for a removal, already gone; for a registration, a refusal. */
class RhsmNotFound extends RuntimeException {
  RhsmNotFound() {
    super("not found at RHSM", null, false, false);
  }
}
