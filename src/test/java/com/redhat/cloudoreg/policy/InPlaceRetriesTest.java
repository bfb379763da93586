package com.redhat.cloudoreg.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.rhsm.RhsmGateway;
import com.redhat.cloudoreg.sources.SourcesGateway;
import java.util.stream.Stream;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A peer's {@code Retry-After} is honoured in place only by the retry's own pause: each gateway's
 * {@code @Retry}, read from its annotations, never pauses less than the longest wait its error
 * reading lets it retry in place, and never retries a {@link Throttled.Longer}.
 */
class InPlaceRetriesTest {
  static Stream<Arguments> gateways() throws NoSuchMethodException {
    return Stream.of(
        Arguments.of(
            "Sources",
            SourcesGateway.class.getAnnotation(Retry.class),
            Policy.PEER_RETRY_IN_PLACE_MS),
        Arguments.of(
            "RHSM", RhsmGateway.class.getAnnotation(Retry.class), Policy.PEER_RETRY_IN_PLACE_MS),
        Arguments.of(
            "Azure",
            AzureVerifier.class
                .getMethod("verify", SubscriptionId.class, boolean.class)
                .getAnnotation(Retry.class),
            Policy.AZURE_RETRY_IN_PLACE_MS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gateways")
  void retryPauseNeverUndercutsTheRetryAfterThatIsRetriedInPlace(
      String peer, Retry retry, long inPlaceMs) {
    assertThat(retry.delay() - retry.jitter()).isGreaterThanOrEqualTo(inPlaceMs);
    assertThat(retry.retryOn()).contains(TransientFailure.class);
    assertThat(retry.abortOn()).contains(Throttled.Longer.class);
  }

  /** Resource Manager asks for whole seconds: its in-place bound stays at least one of them. */
  @Test
  void azureRetriesInPlaceOnlyAfterAtLeastASecondAndNeverARefusal() throws NoSuchMethodException {
    Retry azure =
        AzureVerifier.class
            .getMethod("verify", SubscriptionId.class, boolean.class)
            .getAnnotation(Retry.class);

    assertThat(Policy.AZURE_RETRY_IN_PLACE_MS).isGreaterThanOrEqualTo(1000);
    assertThat(azure.abortOn()).contains(Rejection.class);
  }
}
