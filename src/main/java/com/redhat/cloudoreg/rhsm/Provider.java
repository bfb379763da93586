package com.redhat.cloudoreg.rhsm;

/** RHSM's provider short names for the clouds whose accounts cloudoreg registers. */
public enum Provider {
  /** AWS, commercial partition. */
  AWS,
  /** Microsoft Azure. */
  MSAZ
}
