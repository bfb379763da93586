package com.redhat.cloudoreg.events;

import java.util.Set;

/**
 * The Sources event types cloudoreg acts on. Every other one — {@code Application.pause} (Sources
 * keeps "paused" apart from availability), {@code ApplicationAuthentication.destroy} and {@code
 * Source.destroy} (the cascade's {@code Application.destroy} removes the trust), the updates
 * Sources emits after storing our statuses — is acknowledged and left alone.
 */
public final class EventTypes {
  public static final String APPLICATION_AUTHENTICATION_CREATE = "ApplicationAuthentication.create";
  public static final String AUTHENTICATION_UPDATE = "Authentication.update";
  public static final String AUTHENTICATION_DESTROY = "Authentication.destroy";
  public static final String APPLICATION_UNPAUSE = "Application.unpause";
  public static final String APPLICATION_DESTROY = "Application.destroy";

  /** The types above: every other one is acknowledged and left alone. */
  public static final Set<String> HANDLED =
      Set.of(
          APPLICATION_AUTHENTICATION_CREATE,
          APPLICATION_UNPAUSE,
          AUTHENTICATION_UPDATE,
          AUTHENTICATION_DESTROY,
          APPLICATION_DESTROY);

  private EventTypes() {}
}
