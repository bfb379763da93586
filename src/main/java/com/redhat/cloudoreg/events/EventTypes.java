package com.redhat.cloudoreg.events;

/**
 * The Sources event types cloudoreg acts on. Every other one — {@code Application.pause} (Sources
 * keeps "paused" apart from availability), {@code ApplicationAuthentication.destroy} (the cascade's
 * {@code Application.destroy} follows), the updates Sources emits after storing our statuses — is
 * acknowledged and left alone.
 */
public final class EventTypes {
  public static final String APPLICATION_AUTHENTICATION_CREATE = "ApplicationAuthentication.create";
  public static final String AUTHENTICATION_UPDATE = "Authentication.update";
  public static final String APPLICATION_UNPAUSE = "Application.unpause";
  public static final String APPLICATION_DESTROY = "Application.destroy";
  public static final String SOURCE_DESTROY = "Source.destroy";

  private EventTypes() {}
}
