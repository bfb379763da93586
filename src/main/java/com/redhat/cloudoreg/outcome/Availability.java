package com.redhat.cloudoreg.outcome;

/** The availability values of Sources' status listener that cloudoreg reports. */
public enum Availability {
  AVAILABLE("available"),
  UNAVAILABLE("unavailable");

  private final String wireValue;

  Availability(String wireValue) {
    this.wireValue = wireValue;
  }

  public String wireValue() {
    return wireValue;
  }
}
