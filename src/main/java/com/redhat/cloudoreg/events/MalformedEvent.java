package com.redhat.cloudoreg.events;

/** The event cannot be understood, so there is no application to report on. */
public class MalformedEvent extends RuntimeException {
  public MalformedEvent(String reason) {
    super(reason, null, false, false);
  }
}
