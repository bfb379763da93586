package com.redhat.cloudoreg.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.junit.jupiter.api.Test;

/** The fault-tolerance policy on {@link AzureVerifier#verify}, read from its annotations. */
class AzureVerifierPolicyTest {
  @Test
  void retryDelayNeverUndercutsTheRetryAfterThatIsRetriedInPlace() throws Exception {
    Retry retry =
        AzureVerifier.class
            .getMethod("verify", SubscriptionId.class, boolean.class)
            .getAnnotation(Retry.class);

    assertThat(retry.delay() - retry.jitter())
        .isGreaterThanOrEqualTo(Throttled.IN_PLACE.toMillis());
    assertThat(retry.retryOn()).contains(TransientFailure.class);
    assertThat(retry.abortOn()).contains(Throttled.Longer.class, Rejection.class);
  }
}
