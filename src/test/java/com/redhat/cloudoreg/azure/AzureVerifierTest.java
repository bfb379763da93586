package com.redhat.cloudoreg.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.stack.AzureStubs;
import com.redhat.cloudoreg.stack.Certificates;
import com.redhat.cloudoreg.stack.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier in process, against the Entra ID and Resource Manager stand-ins over TLS. Retries
 * are MicroProfile Fault Tolerance's, in the container; here each call is one attempt, so these
 * tests see how every answer is classified.
 */
class AzureVerifierTest {
  private static final String SUBSCRIPTION = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";
  private static final String ASSIGNMENT = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";

  @TempDir static Path dir;
  private static Certificates certificates;
  private static AzureStubs azure;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          logged.add(new java.util.logging.SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeAll
  static void startStandIns() {
    certificates = Certificates.generate(dir.resolve("certificates"));
    azure = new AzureStubs(certificates);
  }

  @AfterAll
  static void stopStandIns() {
    azure.close();
  }

  @BeforeEach
  void reset() {
    azure.reset();
    Logger.getLogger(AzureVerifier.class.getName()).addHandler(capture);
  }

  @AfterEach
  void noSecretsLogged() {
    Logger.getLogger(AzureVerifier.class.getName()).removeHandler(capture);
    assertThat(logged)
        .noneMatch(line -> line.contains(AzureStubs.ISSUED_TOKEN))
        .noneMatch(line -> line.contains(AzureStubs.CLIENT_SECRET));
  }

  @Test
  void delegatedEnabledSubscriptionIsVerified() {
    azure.delegated(SUBSCRIPTION, "Enabled");

    assertThatCode(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION)))
        .doesNotThrowAnyException();
  }

  @Test
  void subscriptionIdIsReadInAnyCase() {
    azure.delegated(SUBSCRIPTION, "Enabled");

    assertThatCode(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION.toUpperCase())))
        .doesNotThrowAnyException();
  }

  @Test
  void unknownSubscriptionIsNotDelegated() {
    assertThat(outcomeOf(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION))))
        .isEqualTo(Outcome.SUBSCRIPTION_NOT_DELEGATED);
  }

  @Test
  void forbiddenSubscriptionIsNotDelegated() {
    azure.forbidden(SUBSCRIPTION);

    assertThat(outcomeOf(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION))))
        .isEqualTo(Outcome.SUBSCRIPTION_NOT_DELEGATED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Disabled", "Deleted", "Warned", "PastDue"})
  void subscriptionThatIsNotEnabledIsNotDelegated(String state) {
    azure.delegated(SUBSCRIPTION, state);

    assertThat(outcomeOf(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION))))
        .isEqualTo(Outcome.SUBSCRIPTION_NOT_DELEGATED);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not-a-subscription",
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6",
        "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e/../other",
        "arn:aws:iam::123456789012:role/cloudmeter"
      })
  void subscriptionIdThatIsNotAUuidIsInvalidWithoutAnyAzureCall(String username) {
    AzureVerifier verifier = verifier();

    assertThat(outcomeOf(() -> verifier.verify(SubscriptionId.parse(username))))
        .isEqualTo(Outcome.INVALID_SUBSCRIPTION_ID);
    assertThat(azure.tokenRequests() + azure.resourceManagerRequests()).isZero();
  }

  @Test
  void missingSubscriptionIdIsInvalid() {
    assertThat(outcomeOf(() -> SubscriptionId.parse(null)))
        .isEqualTo(Outcome.INVALID_SUBSCRIPTION_ID);
  }

  @Test
  void refusedClientSecretIsOurOutageNotTheCustomers() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    AzureVerifier verifier = verifier(settings("an-expired-secret"));

    Throwable failure = catchThrowable(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION)));

    assertThat(failure)
        .isInstanceOf(OwnCredentialsRejected.class)
        .hasMessageContaining("invalid_client AADSTS7000215")
        .hasMessageNotContaining("an-expired-secret");
    assertThat(Outcomes.isOutage(failure)).as("our outage, never the customer's").isTrue();
    assertThat(azure.resourceManagerRequests()).isZero();
  }

  @Test
  void tokenIsFetchedOnceForManyVerifications() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    AzureVerifier verifier = verifier();

    for (int i = 0; i < 5; i++) {
      verifier.verify(SubscriptionId.parse(SUBSCRIPTION));
      clock.advance(Duration.ofMinutes(10));
    }

    assertThat(azure.tokenRequests()).isEqualTo(1);
    assertThat(azure.resourceManagerRequests()).isEqualTo(5);
  }

  @Test
  void tokenIsRenewedShortlyBeforeItExpires() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    AzureVerifier verifier = verifier();

    verifier.verify(SubscriptionId.parse(SUBSCRIPTION));
    clock.advance(Duration.ofSeconds(3599).minus(AccessTokens.REFRESH_BEFORE).minusSeconds(1));
    verifier.verify(SubscriptionId.parse(SUBSCRIPTION));
    assertThat(azure.tokenRequests()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    verifier.verify(SubscriptionId.parse(SUBSCRIPTION));
    assertThat(azure.tokenRequests()).isEqualTo(2);
  }

  @Test
  void throttlingIsTransientWithItsRetryAfterAndPassesOnTheNextAttempt() {
    azure.throttledOnce(SUBSCRIPTION, "1");
    AzureVerifier verifier = verifier();

    Throwable failure = catchThrowable(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION)));

    assertThat(failure).isExactlyInstanceOf(Throttled.class);
    assertThat(((Throttled) failure).retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(Outcomes.isOutage(failure)).as("our outage, never the customer's").isTrue();
    assertThatCode(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION)))
        .doesNotThrowAnyException();
  }

  @Test
  void throttlingLongerThanTheRetryDelayIsNotRetriedInPlace() {
    azure.throttledOnce(SUBSCRIPTION, "120");

    Throwable failure = catchThrowable(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION)));

    assertThat(failure).isInstanceOf(Throttled.Longer.class).isInstanceOf(TransientFailure.class);
    assertThat(((Throttled) failure).retryAfter()).contains(Duration.ofSeconds(120));
  }

  @Test
  void retryAfterAsAnHttpDateIsRead() {
    assertThat(Throttled.parse("Sun, 01 Mar 2026 10:00:30 GMT", clock))
        .contains(Duration.ofSeconds(30));
    assertThat(Throttled.parse("soon", clock)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void resourceManagerOutageIsTransient(int status) {
    azure.failing(SUBSCRIPTION, status);

    Throwable failure = catchThrowable(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION)));

    assertThat(failure).isExactlyInstanceOf(TransientFailure.class);
  }

  @Test
  void unreachableAzureIsTransient() {
    AzureSettings nowhere =
        new AzureSettings(
            AzureStubs.TENANT_ID,
            AzureStubs.CLIENT_ID,
            AzureStubs.CLIENT_SECRET,
            URI.create("https://localhost:" + Ports.free()),
            URI.create(azure.resourceManagerUrl()),
            Optional.of(certificates.clientTrustStore()),
            Certificates.PASSWORD);

    assertThat(catchThrowable(() -> verifier(nowhere).verify(SubscriptionId.parse(SUBSCRIPTION))))
        .isExactlyInstanceOf(TransientFailure.class);
  }

  @Test
  void onlyTheAzureTrustStoreIsTrusted() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    AzureSettings jvmDefaultCas =
        new AzureSettings(
            AzureStubs.TENANT_ID,
            AzureStubs.CLIENT_ID,
            AzureStubs.CLIENT_SECRET,
            URI.create(azure.authorityHost()),
            URI.create(azure.resourceManagerUrl()),
            Optional.empty(),
            "");

    assertThat(
            catchThrowable(
                () -> verifier(jvmDefaultCas).verify(SubscriptionId.parse(SUBSCRIPTION))))
        .isExactlyInstanceOf(TransientFailure.class)
        .hasMessageContaining("unreachable");
    assertThat(azure.tokenRequests()).isZero();
  }

  @Test
  void withoutCredentialsAzureIsNotConfiguredAndRemovalCallsNothing() {
    AzureVerifier verifier = verifier(settings(""));

    assertThat(verifier.configured()).isFalse();
    verifier.removeDelegation(SubscriptionId.parse(SUBSCRIPTION));
    assertThat(azure.tokenRequests() + azure.resourceManagerRequests()).isZero();
    assertThat(verifier().configured()).isTrue();
  }

  @Test
  void removalDeletesOurSucceededRegistrationAssignment() {
    azure.assignment(SUBSCRIPTION, ASSIGNMENT, "Succeeded", AzureStubs.TENANT_ID);

    verifier().removeDelegation(SubscriptionId.parse(SUBSCRIPTION));

    assertThat(azure.deletions(SUBSCRIPTION, ASSIGNMENT)).isEqualTo(1);
  }

  @Test
  void removalLeavesOtherProvidersAndUnfinishedAssignmentsAlone() {
    String others = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    String failed = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";
    azure.assignments(
        SUBSCRIPTION,
        "["
            + AzureStubs.assignmentBody(
                SUBSCRIPTION, others, "Succeeded", AzureStubs.OTHER_PROVIDER_TENANT)
            + ","
            + AzureStubs.assignmentBody(SUBSCRIPTION, failed, "Failed", AzureStubs.TENANT_ID)
            + "]");

    verifier().removeDelegation(SubscriptionId.parse(SUBSCRIPTION));

    assertThat(azure.deletions(SUBSCRIPTION, others) + azure.deletions(SUBSCRIPTION, failed))
        .isZero();
  }

  @Test
  void failingResourceManagerDoesNotFailTheRemoval() {
    azure.assignmentsFailing(SUBSCRIPTION);

    assertThatCode(() -> verifier().removeDelegation(SubscriptionId.parse(SUBSCRIPTION)))
        .doesNotThrowAnyException();
    assertThat(logged).anyMatch(line -> line.contains("not removed") && line.contains("500"));
  }

  @Test
  void refusedCredentialsDoNotFailTheRemoval() {
    assertThatCode(
            () ->
                verifier(settings("an-expired-secret"))
                    .removeDelegation(SubscriptionId.parse(SUBSCRIPTION)))
        .doesNotThrowAnyException();
    assertThat(logged).anyMatch(line -> line.contains("AADSTS7000215"));
  }

  @Test
  void subscriptionWithoutDelegationHasNothingToRemove() {
    assertThatCode(() -> verifier().removeDelegation(SubscriptionId.parse(SUBSCRIPTION)))
        .doesNotThrowAnyException();
    assertThat(azure.resourceManagerRequests()).isEqualTo(1);
  }

  private AzureVerifier verifier() {
    return verifier(settings(AzureStubs.CLIENT_SECRET));
  }

  private AzureVerifier verifier(AzureSettings settings) {
    return new AzureVerifier(settings, clock);
  }

  private AzureSettings settings(String secret) {
    return new AzureSettings(
        AzureStubs.TENANT_ID,
        AzureStubs.CLIENT_ID,
        secret,
        URI.create(azure.authorityHost()),
        URI.create(azure.resourceManagerUrl()),
        Optional.of(certificates.clientTrustStore()),
        Certificates.PASSWORD);
  }

  private static Outcome outcomeOf(Runnable call) {
    Throwable failure = catchThrowable(call::run);
    assertThat(failure).isInstanceOf(Rejection.class);
    return ((Rejection) failure).outcome();
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
