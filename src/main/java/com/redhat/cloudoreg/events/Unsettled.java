package com.redhat.cloudoreg.events;

/**
 * An event step that must be tried again: its outcome is not known yet (the application's type
 * could not be learnt), a removal RHSM has not confirmed, or an outcome Kafka did not take.
 */
public class Unsettled extends RuntimeException {
  public Unsettled(String why) {
    super(why, null, false, false);
  }
}
