package com.redhat.cloudoreg.azure;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import java.nio.charset.StandardCharsets;

/**
 * A customer's Azure subscription id that passed every check that can be made without calling
 * Azure, in the canonical lower-case 8-4-4-4-12 form: the form Azure answers with and RHSM stores.
 *
 * <p>Sources validates the id with Go's {@code uuid.Parse} (github.com/google/uuid), so every form
 * that function accepts reaches us as a valid id and is accepted here too, by the same rules, on
 * the same bytes (Go's {@code len} counts UTF-8 bytes):
 *
 * <ul>
 *   <li>36 bytes: {@code xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx};
 *   <li>45 bytes: that, after {@code urn:uuid:} in any case;
 *   <li>38 bytes: that, between two more bytes, as in {@code {…}}. Go examines only the middle 36
 *       bytes, so it takes any two characters there, and so do we;
 *   <li>32 bytes: 32 hexadecimal digits without dashes.
 * </ul>
 *
 * Hexadecimal digits in either case. Sources trims the id with Go's {@code strings.TrimSpace}
 * before it parses it, and stores it untrimmed (service/authentication_validation.go), so a pasted
 * {@code " 6f2d…\n"} reaches us as valid: it is trimmed here the same way, by Go's {@code
 * unicode.IsSpace} (not Java's {@code strip()}: that keeps U+00A0 and U+0085, and takes U+001C to
 * U+001F, which Go keeps). Whatever is still refused then is {@code INVALID_SUBSCRIPTION_ID}
 * (CG1006).
 */
public record SubscriptionId(String value) {
  private static final String URN_PREFIX = "urn:uuid:";

  /** Where the dashes stand in the 36-byte form. */
  private static final int[] DASHES = {8, 13, 18, 23};

  /** The id as Azure spells it, or a {@link Rejection} with {@code INVALID_SUBSCRIPTION_ID}. */
  public static SubscriptionId parse(String candidate) {
    if (candidate == null) {
      throw invalid();
    }
    byte[] bytes = trimmedAsGoDoes(candidate).getBytes(StandardCharsets.UTF_8);
    String hex =
        switch (bytes.length) {
          case 36 -> dashed(bytes, 0);
          case 45 -> {
            String prefix = new String(bytes, 0, URN_PREFIX.length(), StandardCharsets.US_ASCII);
            if (!prefix.equalsIgnoreCase(URN_PREFIX)) {
              throw invalid();
            }
            yield dashed(bytes, URN_PREFIX.length());
          }
          case 38 -> dashed(bytes, 1);
          case 32 -> digits(bytes, 0, 32);
          default -> throw invalid();
        };
    return new SubscriptionId(
        String.join(
            "-",
            hex.substring(0, 8),
            hex.substring(8, 12),
            hex.substring(12, 16),
            hex.substring(16, 20),
            hex.substring(20)));
  }

  /** {@code candidate} without what Go's {@code strings.TrimSpace} takes from either end. */
  private static String trimmedAsGoDoes(String candidate) {
    int from = 0;
    int to = candidate.length();
    while (from < to && isSpaceToGo(candidate.codePointAt(from))) {
      from += Character.charCount(candidate.codePointAt(from));
    }
    while (to > from && isSpaceToGo(candidate.codePointBefore(to))) {
      to -= Character.charCount(candidate.codePointBefore(to));
    }
    return candidate.substring(from, to);
  }

  /** Go's {@code unicode.IsSpace}: Unicode's White_Space property. */
  private static boolean isSpaceToGo(int codePoint) {
    return switch (codePoint) {
      case '\t',
          '\n',
          0x0B,
          '\f',
          '\r',
          ' ',
          0x85,
          0xA0,
          0x1680,
          0x2028,
          0x2029,
          0x202F,
          0x205F,
          0x3000 ->
          true;
      default -> codePoint >= 0x2000 && codePoint <= 0x200A;
    };
  }

  /** The 32 digits of the 36-byte form that starts at {@code from}, or a rejection. */
  private static String dashed(byte[] bytes, int from) {
    StringBuilder digits = new StringBuilder(32);
    int start = from;
    for (int dash : DASHES) {
      if (bytes[from + dash] != '-') {
        throw invalid();
      }
      digits.append(digits(bytes, start, from + dash));
      start = from + dash + 1;
    }
    return digits.append(digits(bytes, start, from + 36)).toString();
  }

  /** {@code bytes[from, to)} as lower-case hexadecimal digits, or a rejection. */
  private static String digits(byte[] bytes, int from, int to) {
    StringBuilder digits = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b >= 'A' && b <= 'F') {
        digits.append((char) (b - 'A' + 'a'));
      } else if ((b >= '0' && b <= '9') || (b >= 'a' && b <= 'f')) {
        digits.append((char) b);
      } else {
        throw invalid();
      }
    }
    return digits.toString();
  }

  private static Rejection invalid() {
    return new Rejection(
        Outcome.INVALID_SUBSCRIPTION_ID, "invalid Azure subscription id: not a UUID");
  }

  @Override
  public String toString() {
    return value;
  }
}
