package com.redhat.cloudoreg.events;

/**
 * The Sources event types cloudoreg acts on. Every other one — {@code Application.pause} (Sources
 * keeps "paused" apart from availability), {@code ApplicationAuthentication.destroy} and {@code
 * Source.destroy} (the cascade's {@code Application.destroy} removes the trust), the updates
 * Sources emits after storing our statuses — is acknowledged and left alone.
 */
public final class EventTypes {
  public static final String APPLICATION_AUTHENTICATION_CREATE = "ApplicationAuthentication.create";
  public static final String AUTHENTICATION_UPDATE = "Authentication.update";
  public static final String APPLICATION_UNPAUSE = "Application.unpause";
  public static final String APPLICATION_DESTROY = "Application.destroy";

  private EventTypes() {}
}
