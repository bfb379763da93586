package com.redhat.cloudoreg.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Subscription ids as Go's {@code uuid.Parse} (github.com/google/uuid) reads them, since Sources
 * validates them so: each form it accepts becomes the canonical lower-case id, whatever it refuses
 * is CG1006.
 */
class SubscriptionIdTest {
  private static final String CANONICAL = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";

  @ParameterizedTest
  @ValueSource(
      strings = {
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6F2D7C1E-8D1B-4F57-9B0E-1C2A3B4C5D6E",
        "{6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e}",
        "{6F2D7C1E-8d1b-4F57-9b0e-1C2A3B4C5D6E}",
        "urn:uuid:6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "URN:UUID:6F2D7C1E-8D1B-4F57-9B0E-1C2A3B4C5D6E",
        "Urn:Uuid:6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6f2d7c1e8d1b4f579b0e1c2a3b4c5d6e",
        "6F2D7C1E8D1B4F579B0E1C2A3B4C5D6E"
      })
  void everyFormGoAcceptsBecomesTheCanonicalLowerCaseId(String form) {
    assertThat(SubscriptionId.parse(form).value()).isEqualTo(CANONICAL);
  }

  /** Go examines only the middle 36 bytes of a 38-byte id: any two characters may enclose it. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "(6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e)",
        "[6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e}",
        " 6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e "
      })
  void anyTwoBytesAroundTheDashedFormAreAcceptedAsGoAcceptsThem(String form) {
    assertThat(SubscriptionId.parse(form).value()).isEqualTo(CANONICAL);
  }

  /**
   * Sources trims the id with Go's {@code strings.TrimSpace} before {@code uuid.Parse}, and stores
   * it as sent: whatever that function takes from either end, and only that, is taken here too.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        " 6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e\n",
        "\t\r\n\u000b\f 6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "\u00a06f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e\u0085",
        " {6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e} ",
        "\turn:uuid:6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "\u30006f2d7c1e8d1b4f579b0e1c2a3b4c5d6e\u2028\u2029\u202f\u205f\u1680\u2000\u200a"
      })
  void whatGoTrimsBeforeParsingIsTrimmed(String pasted) {
    assertThat(SubscriptionId.parse(pasted).value()).isEqualTo(CANONICAL);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "not-a-subscription",
        // 36 bytes, a dash out of place or a digit that is not hexadecimal
        "6f2d7c1e8-d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6g",
        "6f2d7c1e-8d1b-4f57-9b0e+1c2a3b4c5d6e",
        // 45 bytes, another prefix
        "urn:uid::6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "uuid:urn:6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        // 38 bytes that are not 36 between two
        "{6f2d7c1e8d1b-4f57-9b0e-1c2a3b4c5d6e-}",
        // 32 bytes that are not all hexadecimal
        "6f2d7c1e8d1b4f579b0e1c2a3b4c5d6x",
        "6f2d7c1e-8d1b4f579b0e1c2a3b4c5d6",
        // 35 bytes
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6",
        // what Go's strings.TrimSpace keeps, though Java's strip() would take it: 37 bytes
        "\u001c6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e\u001f",
        // a zero-width space is no White_Space to Go
        "\u200b6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        // a space inside is not trimmed
        "6f2d7c1e-8d1b-4f57-9b0e- 1c2a3b4c5d6e",
        // Go counts UTF-8 bytes: 'é' takes two, so 38, and its second byte is no hex digit
        "é6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        // 36 bytes with a full-width digit (three bytes), which is not hexadecimal to Go
        "６d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e/../other",
        "arn:aws:iam::123456789012:role/cloudmeter"
      })
  void whatGoRefusesIsAnInvalidSubscriptionId(String candidate) {
    Rejection rejection =
        catchThrowableOfType(Rejection.class, () -> SubscriptionId.parse(candidate));

    assertThat(rejection).isNotNull();
    assertThat(rejection.outcome()).isEqualTo(Outcome.INVALID_SUBSCRIPTION_ID);
  }
}
