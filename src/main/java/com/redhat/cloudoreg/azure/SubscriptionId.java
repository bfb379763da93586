package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import java.util.regex.Pattern;

/**
 * A customer's Azure subscription id that passed every check that can be made without calling
 * Azure: a UUID in its canonical 8-4-4-4-12 form. Sources validates it too; we do not rely on that.
 */
public record SubscriptionId(String value) {
  private static final Pattern UUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** The id as Azure spells it, or a {@link Rejection} with {@code INVALID_SUBSCRIPTION_ID}. */
  public static SubscriptionId parse(String candidate) {
    if (candidate == null || !UUID.matcher(candidate).matches()) {
      throw new Rejection(
          Outcome.INVALID_SUBSCRIPTION_ID, "invalid Azure subscription id: not a UUID");
    }
    return new SubscriptionId(candidate.toLowerCase(java.util.Locale.ROOT));
  }

  @Override
  public String toString() {
    return value;
  }
}
