package com.redhat.cloudoreg.mode;

import java.util.Locale;

/**
 * {@code CLOUDOREG_MODE}: {@code live} (the default) does the work; {@code shadow} runs beside the
 * service it replaces and does everything but its effects: RHSM is read, never changed, and no
 * status is published; what would have been published is counted ({@code
 * cloudoreg_shadow_outcomes_total}). Any other value is refused, since a typo must not go live.
 */
public enum Mode {
  LIVE,
  SHADOW;

  public static final String PROPERTY = "CLOUDOREG_MODE";

  public static Mode of(String value) {
    String mode = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "", "live" -> LIVE;
      case "shadow" -> SHADOW;
      default ->
          throw new IllegalArgumentException(PROPERTY + " must be live or shadow, not " + value);
    };
  }

  public boolean isShadow() {
    return this == SHADOW;
  }
}
