package com.redhat.cloudoreg.stack;

/** A stand-in that checks what it receives; {@link StackExtension} reads it after every test. */
public interface CheckedStandIn {
  Violations violations();
}
