package com.redhat.cloudoreg.azure;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.logging.CapturedLog;
import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Guard;
import com.redhat.cloudoreg.stack.AzureStubs;
import com.redhat.cloudoreg.stack.AzureStubs.Follow;
import com.redhat.cloudoreg.stack.Certificates;
import com.redhat.cloudoreg.stack.Ports;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verifier in process, against the Entra ID and Resource Manager stand-ins over TLS. Retries
 * are MicroProfile Fault Tolerance's, in the container; here each call is one attempt, so these
 * tests see how every answer is classified. Ending a delegation runs its accepted deletions' reads
 * on an executor of the test's, as it runs them on Liberty's in the container.
 */
class AzureVerifierTest {
  private static final String SUBSCRIPTION = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";

  @TempDir static Path dir;
  private static Certificates certificates;
  private static AzureStubs azure;

  private static final String PACKAGE = AzureVerifier.class.getPackageName();
  private static ExecutorService executor;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<String> counted = new CopyOnWriteArrayList<>();
  private final List<String> verified = new CopyOnWriteArrayList<>();
  private final FlowMetrics metrics =
      new FlowMetrics() {
        @Override
        public void azureDelegationRemoval(String result) {
          counted.add(result);
        }

        @Override
        public void azureVerification(String result) {
          verified.add(result);
        }
      };
  private CapturedLog log;

  @BeforeAll
  static void startStandIns() {
    certificates = Certificates.generate(dir.resolve("certificates"));
    azure = new AzureStubs(certificates);
    executor = Executors.newCachedThreadPool();
  }

  @AfterAll
  static void stopStandIns() {
    azure.close();
    executor.shutdownNow();
  }

  @BeforeEach
  void reset() {
    azure.reset();
    log = CapturedLog.of(PACKAGE);
  }

  @AfterEach
  void noSecretsLogged() {
    log.release();
    assertThat(log.lines())
        .noneMatch(line -> line.contains(AzureStubs.ISSUED_TOKEN))
        .noneMatch(line -> line.contains(AzureStubs.CLIENT_SECRET));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Enabled", "Warned", "PastDue"})
  void delegatedSubscriptionInAStateAzureServesIsVerified(String state) {
    azure.delegated(SUBSCRIPTION, state);

    assertThatCode(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION), false))
        .doesNotThrowAnyException();
    assertThat(verified).containsExactly("delegated");
  }

  @Test
  void subscriptionIdIsReadInAnyCase() {
    azure.delegated(SUBSCRIPTION, "Enabled");

    assertThatCode(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION.toUpperCase()), false))
        .doesNotThrowAnyException();
  }

  @Test
  void ourTenantIsRecognisedInAnyCase() {
    azure.visible(
        SUBSCRIPTION,
        AzureStubs.CUSTOMER_TENANT,
        "Enabled",
        AzureStubs.OTHER_PROVIDER_TENANT,
        AzureStubs.TENANT_ID.toUpperCase(Locale.ROOT));

    assertThatCode(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION), false))
        .doesNotThrowAnyException();
  }

  @Test
  void unknownSubscriptionIsNotVisibleSoNotDelegated() {
    assertThat(notDelegatedBecause())
        .isEqualTo("Azure subscription not visible to us: HTTP 404 SubscriptionNotFound");
    assertThat(verified).containsExactly("not_visible");
  }

  @Test
  void forbiddenSubscriptionIsNotVisibleSoNotDelegated() {
    azure.forbidden(SUBSCRIPTION);

    assertThat(notDelegatedBecause())
        .isEqualTo("Azure subscription not visible to us: HTTP 403 AuthorizationFailed");
  }

  /**
   * The customer has not deployed the offer (or removed it): Resource Manager answers our good
   * token 401 for a subscription at home in another tenant. The customer's to act on (CG3005), and
   * our token is kept: verifying again, or another customer, fetches none.
   */
  @Test
  void subscriptionAtHomeInAnotherTenantAndNotDelegatedIsNotDelegatedAndOurTokenIsKept() {
    azure.atHomeElsewhereNotDelegated(SUBSCRIPTION);
    AzureVerifier verifier = verifier();

    assertThat(notDelegatedBecause(verifier))
        .isEqualTo(
            "Azure subscription not visible to us: HTTP 401 InvalidAuthenticationTokenTenant");
    assertThat(notDelegatedBecause(verifier)).contains("InvalidAuthenticationTokenTenant");
    assertThat(azure.tokenRequests()).isEqualTo(1);
    assertThat(verified).containsExactly("other_tenant", "other_tenant");
  }

  /**
   * A 404 or 403 without Resource Manager's error is not Azure's "not visible": ours to look at.
   */
  @ParameterizedTest
  @ValueSource(ints = {404, 403})
  void aRefusalThatIsNotResourceManagersIsNeverTheCustomersNotDelegated(int status) {
    azure.answeredByAnotherServer(SUBSCRIPTION, status);

    assertThatThrownBy(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION), false))
        .isInstanceOf(UnexpectedAnswer.class)
        .hasMessageContaining("HTTP " + status);
  }

  /** Its page in JSON with an {@code error} of its own shape: still not Resource Manager's. */
  @ParameterizedTest
  @ValueSource(ints = {404, 403})
  void aRefusalInJsonThatIsNotResourceManagersIsNeverTheCustomersNotDelegated(int status) {
    azure.answeredByAnotherServerInJson(SUBSCRIPTION, status);

    assertThatThrownBy(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION), false))
        .isInstanceOf(UnexpectedAnswer.class);
  }

  /** Red Hat's principal sees it through a plain role assignment: not a customer's delegation. */
  @Test
  void subscriptionVisibleWithoutOurTenantAmongItsManagersIsNotDelegated() {
    azure.visible(
        SUBSCRIPTION, AzureStubs.CUSTOMER_TENANT, "Enabled", AzureStubs.OTHER_PROVIDER_TENANT);

    assertThat(notDelegatedBecause()).contains("not delegated to us");
    assertThat(verified).containsExactly("not_delegated");
  }

  @Test
  void subscriptionOfOurOwnTenantIsNotDelegatedEvenWhenWeManageIt() {
    azure.visible(SUBSCRIPTION, AzureStubs.TENANT_ID, "Enabled", AzureStubs.TENANT_ID);

    assertThat(notDelegatedBecause()).contains("our own tenant's subscription");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Disabled", "Deleted"})
  void subscriptionAzureNoLongerServesIsNotDelegated(String state) {
    azure.delegated(SUBSCRIPTION, state);

    assertThat(notDelegatedBecause()).endsWith("state " + state);
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

    assertThat(outcomeOf(() -> verifier.verify(SubscriptionId.parse(username), false)))
        .isEqualTo(Outcome.INVALID_SUBSCRIPTION_ID);
    assertThat(azure.tokenRequests() + azure.resourceManagerRequests()).isZero();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{6F2D7C1E-8D1B-4F57-9B0E-1C2A3B4C5D6E}",
        "urn:uuid:6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e",
        "6f2d7c1e8d1b4f579b0e1c2a3b4c5d6e"
      })
  void everyFormSourcesAcceptsIsAskedAboutInItsCanonicalForm(String username) {
    azure.delegated(SUBSCRIPTION, "Enabled");

    verifier().verify(SubscriptionId.parse(username), false);

    assertThat(azure.subscriptionRequests(SUBSCRIPTION)).hasSize(1);
  }

  /** Without the offer name no delegation could be told ours: readiness names it missing. */
  @Test
  void aDeploymentWithCredentialsNeedsTheOfferName() {
    AzureSettings complete = settings(AzureStubs.CLIENT_SECRET);
    AzureSettings withoutOffer = withoutOfferName(complete);

    assertThat(complete.missing()).isEmpty();
    assertThat(withoutOffer.missing()).containsExactly("AZURE_OFFER_NAME");
    assertThat(settings("").missing())
        .as("without credentials Azure is simply not handled")
        .isEmpty();
  }

  @Test
  void refusedClientSecretIsOurOutageNotTheCustomers() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    AzureVerifier verifier = verifier(settings("an-expired-secret"));

    Throwable failure =
        catchThrowable(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false));

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
      verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false);
      clock.advance(Duration.ofMinutes(10));
    }

    assertThat(azure.tokenRequests()).isEqualTo(1);
    assertThat(azure.resourceManagerRequests()).isEqualTo(5);
  }

  @Test
  void tokenIsRenewedShortlyBeforeItExpires() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    AzureVerifier verifier = verifier();

    verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false);
    clock.advance(Duration.ofSeconds(3599).minus(AccessTokens.REFRESH_BEFORE).minusSeconds(1));
    verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false);
    assertThat(azure.tokenRequests()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(1));
    verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false);
    assertThat(azure.tokenRequests()).isEqualTo(2);
  }

  /**
   * Our cache renews early, by our clock; should Azure's clock disagree, the token it finds expired
   * is dropped and the next attempt (MP Fault Tolerance's retry, in the container) gets a new one.
   */
  @Test
  void aTokenAzureFindsExpiredIsDroppedAndTheNextAttemptGetsANewOne() {
    azure.delegated(SUBSCRIPTION, "Enabled");
    azure.tokenLifetime(Duration.ofSeconds(1));
    AzureVerifier verifier = verifier();
    verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false);
    await().atMost(Duration.ofSeconds(5)).until(azure::lastTokenExpired);

    Throwable failure =
        catchThrowable(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false));

    assertThat(failure)
        .isExactlyInstanceOf(TransientFailure.class)
        .hasMessageContaining("ExpiredAuthenticationToken");
    assertThat(azure.expiredTokensRefused()).isEqualTo(1);
    azure.tokenLifetime(AzureStubs.TOKEN_LIFETIME);
    assertThatCode(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false))
        .doesNotThrowAnyException();
    assertThat(azure.tokenRequests()).isEqualTo(2);
  }

  @Test
  void throttlingIsTransientWithItsRetryAfterAndPassesOnTheNextAttempt() {
    azure.throttledOnce(SUBSCRIPTION, "1");
    AzureVerifier verifier = verifier();

    Throwable failure =
        catchThrowable(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false));

    assertThat(failure).isExactlyInstanceOf(Throttled.class);
    assertThat(((Throttled) failure).retryAfter()).contains(Duration.ofSeconds(1));
    assertThat(Outcomes.isOutage(failure)).as("our outage, never the customer's").isTrue();
    assertThatCode(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false))
        .doesNotThrowAnyException();
  }

  @Test
  void throttlingLongerThanTheRetryDelayIsNotRetriedInPlace() {
    azure.throttledOnce(SUBSCRIPTION, "120");

    Throwable failure =
        catchThrowable(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION), false));

    assertThat(failure).isInstanceOf(Throttled.Longer.class).isInstanceOf(TransientFailure.class);
    assertThat(((Throttled) failure).retryAfter()).contains(Duration.ofSeconds(120));
  }

  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void resourceManagerOutageIsTransient(int status) {
    azure.failing(SUBSCRIPTION, status);

    Throwable failure =
        catchThrowable(() -> verifier().verify(SubscriptionId.parse(SUBSCRIPTION), false));

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
            Certificates.PASSWORD,
            AzureStubs.SP_OBJECT_ID,
            AzureStubs.OFFER_NAME);

    assertThat(
            catchThrowable(
                () -> verifier(nowhere).verify(SubscriptionId.parse(SUBSCRIPTION), false)))
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
            "",
            AzureStubs.SP_OBJECT_ID,
            AzureStubs.OFFER_NAME);

    assertThat(
            catchThrowable(
                () -> verifier(jvmDefaultCas).verify(SubscriptionId.parse(SUBSCRIPTION), false)))
        .isExactlyInstanceOf(TransientFailure.class)
        .hasMessageContaining("unreachable");
    assertThat(azure.tokenRequests()).isZero();
  }

  /** Ending our delegation: only our offer's one assignment, never thrown, always counted. */
  @Nested
  class EndingOurDelegation {
    private static final String OURS = "0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e";
    private static final String OTHER = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";

    @Test
    void withoutCredentialsNothingIsLookedFor() {
      assertThat(verifier(settings("")).configured()).isFalse();
      assertThat(end(verifier(settings("")))).isEqualTo(DelegationRemoval.NOT_CONFIGURED);
      assertThat(azure.tokenRequests() + azure.resourceManagerRequests()).isZero();
      assertThat(counted).as("nothing attempted: the flow counts the skip").isEmpty();
    }

    /**
     * Without the offer's name no assignment is ours to tell: a failed removal, counted, whose
     * record stays — never "none", which would settle the record of a delegation left in place.
     */
    @Test
    void withoutTheOfferNameNothingIsListedAndTheRemovalFailed() {
      azure.ourAssignment(SUBSCRIPTION, OURS);

      assertThat(end(verifier(withoutOfferName(settings(AzureStubs.CLIENT_SECRET)))))
          .isEqualTo(DelegationRemoval.FAILED);
      assertThat(azure.resourceManagerRequests()).isZero();
      assertThat(azure.deletions(SUBSCRIPTION)).isEmpty();
      assertThat(counted).containsExactly("failed");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204})
    void theOneAssignmentOfOurOfferIsDeleted(int status) {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletion(SUBSCRIPTION, OURS, status);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REMOVED);
      assertThat(azure.deletions(SUBSCRIPTION)).hasSize(1);
      assertThat(azure.deletions(SUBSCRIPTION, OURS)).isEqualTo(1);
      assertThat(counted).containsExactly("removed");
    }

    @Test
    void anotherOfferOfOurTenantIsNeverTouched() {
      azure.assignments(
          SUBSCRIPTION,
          list(
              assignment(OURS, "Succeeded", AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME),
              assignment(OTHER, "Succeeded", AzureStubs.TENANT_ID, AzureStubs.ANOTHER_OFFER)));

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REMOVED);
      assertThat(azure.deletions(SUBSCRIPTION, OURS)).isEqualTo(1);
      assertThat(azure.deletions(SUBSCRIPTION, OTHER)).isZero();
    }

    @Test
    void noAssignmentOfOurOfferIsNone() {
      azure.assignments(
          SUBSCRIPTION,
          list(
              assignment(OURS, "Failed", AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME),
              assignment(OTHER, "Succeeded", AzureStubs.TENANT_ID, AzureStubs.ANOTHER_OFFER),
              assignment(
                  "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e",
                  "Succeeded",
                  AzureStubs.OTHER_PROVIDER_TENANT,
                  AzureStubs.OFFER_NAME)));

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.NONE);
      assertThat(azure.deletions(SUBSCRIPTION)).isEmpty();
      assertThat(counted).containsExactly("none");
    }

    @Test
    void severalAssignmentsOfOurOfferAreAllLeftAlone() {
      azure.assignments(
          SUBSCRIPTION,
          list(
              assignment(OURS, "Succeeded", AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME),
              assignment(OTHER, "Succeeded", AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME)));

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.SEVERAL);
      assertThat(azure.deletions(SUBSCRIPTION)).isEmpty();
      assertThat(counted).containsExactly("several");
      assertThat(log.lines())
          .anyMatch(line -> line.contains("2 registration assignments of our offer"));
    }

    @Test
    void subscriptionNoLongerVisibleHasNoneToRemove() {
      assertThat(end(verifier())).isEqualTo(DelegationRemoval.NONE);
      assertThat(azure.resourceManagerRequests()).isEqualTo(1);
    }

    /** The customer removed the delegation first: Resource Manager's 401 for another tenant's. */
    @Test
    void subscriptionNoLongerDelegatedHasNoneToRemoveAndOurTokenIsKept() {
      azure.atHomeElsewhereNotDelegated(SUBSCRIPTION);

      AzureVerifier verifier = verifier();

      assertThat(end(verifier)).isEqualTo(DelegationRemoval.NONE);
      assertThat(end(verifier)).isEqualTo(DelegationRemoval.NONE);
      assertThat(azure.resourceManagerRequests()).isEqualTo(2);
      assertThat(azure.tokenRequests()).isEqualTo(1);
    }

    @Test
    void shadowModeLooksAndOnlySaysWhatItWouldRemove() {
      azure.ourAssignment(SUBSCRIPTION, OURS);

      assertThat(end(verifier(settings(AzureStubs.CLIENT_SECRET), Mode.SHADOW)))
          .isEqualTo(DelegationRemoval.SHADOW);
      assertThat(azure.deletions(SUBSCRIPTION)).isEmpty();
      assertThat(counted).containsExactly("shadow");
      assertThat(log.lines())
          .anyMatch(line -> line.contains("would remove registration assignment " + OURS));
    }

    @Test
    void aDeletionAzureRefusesIsRefused() {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletion(SUBSCRIPTION, OURS, 403);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REFUSED);
      assertThat(log.lines()).anyMatch(line -> line.contains("403 AuthorizationFailed"));
    }

    @Test
    void anAcceptedDeletionIsFollowedUntilItSucceedsWaitingAsAzureAsks() {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletionAccepted(SUBSCRIPTION, OURS, Follow.ASYNC_OPERATION, 1, "Succeeded");

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REMOVED);
      List<LoggedRequest> reads = azure.operationReads(SUBSCRIPTION);
      assertThat(reads).hasSize(2);
      assertThat(between(azure.deletions(SUBSCRIPTION).get(0), reads.get(0)))
          .as("the first read no sooner than the 202's Retry-After")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(between(reads.get(0), reads.get(1)))
          .as("the next no sooner than the InProgress answer's Retry-After")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
      assertThat(reads.get(1).getHeader("Authorization"))
          .startsWith("Bearer " + AzureStubs.ISSUED_TOKEN);
      assertThat(counted).containsExactly("removed");
    }

    /**
     * A read of the operation throttled (or failed, 5xx) says nothing of the deletion: read again
     * no sooner than Azure asked, within the bound, never "failed" at once.
     */
    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void anOperationReadThrottledOrFailedIsReadAgainAfterItsRetryAfter(int status) {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletionAcceptedFailingItsFirstRead(SUBSCRIPTION, OURS, status);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REMOVED);
      List<LoggedRequest> reads = azure.operationReads(SUBSCRIPTION);
      assertThat(reads).hasSize(2);
      assertThat(between(reads.get(0), reads.get(1)))
          .as("no sooner than the failed read's Retry-After")
          .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
      assertThat(counted).containsExactly("removed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Failed", "Canceled"})
    void anAcceptedDeletionThatEndsUnsuccessfullyIsRefused(String end) {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletionAccepted(SUBSCRIPTION, OURS, Follow.ASYNC_OPERATION, 0, end);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REFUSED);
      assertThat(log.lines()).anyMatch(line -> line.contains("operation " + end));
    }

    @Test
    void anAcceptedDeletionWithOnlyALocationIsFollowedThere() {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletionAccepted(SUBSCRIPTION, OURS, Follow.LOCATION, 1, "Succeeded");

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.REMOVED);
      assertThat(azure.operationReads(SUBSCRIPTION)).hasSize(2);
    }

    /**
     * Each look at this clock costs 50 s: the reads stop, unfinished, long before the operation's
     * eleventh answer would have ended it.
     */
    @Test
    void anAcceptedDeletionIsFollowedForTwoMinutesAtMost() {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletionAccepted(SUBSCRIPTION, OURS, Follow.ASYNC_OPERATION, 10, "Succeeded");
      Clock costly = new TickingClock(clock.instant(), Duration.ofSeconds(50));

      assertThat(end(verifier(settings(AzureStubs.CLIENT_SECRET), Mode.LIVE, costly)))
          .isEqualTo(DelegationRemoval.FAILED);
      assertThat(azure.operationReads(SUBSCRIPTION)).isNotEmpty().hasSizeLessThan(11);
      assertThat(log.lines()).anyMatch(line -> line.contains("had not ended"));
    }

    /** Our bearer token goes to Resource Manager only, wherever an answer points. */
    @Test
    void anOperationOnAnotherHostIsNotFollowed() {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure
          .resourceManager()
          .stubFor(
              delete(urlPathMatching(".*/registrationAssignments/" + OURS))
                  .atPriority(1)
                  .willReturn(
                      aResponse()
                          .withStatus(202)
                          .withHeader("Retry-After", "1")
                          .withHeader(
                              "Azure-AsyncOperation", azure.authorityHost() + "/operations/1")));

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.FAILED);
      assertThat(azure.entraId().findAll(getRequestedFor(anyUrl()))).isEmpty();
      assertThat(log.lines()).anyMatch(line -> line.contains("another host"));
    }

    @Test
    void failingResourceManagerIsAFailedRemovalNeverAnException() {
      azure.assignmentsFailing(SUBSCRIPTION);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.FAILED);
      assertThat(log.lines())
          .anyMatch(line -> line.contains("not removed") && line.contains("500"));
      assertThat(counted).containsExactly("failed");
    }

    /** A listing answered by something in front of Resource Manager: unread, never "none found". */
    @Test
    void aListingThatIsNotResourceManagersIsAFailedRemovalNeverNone() {
      azure.assignmentsAnsweredByAnotherServer(SUBSCRIPTION, 404);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.FAILED);
      assertThat(counted).containsExactly("failed");
    }

    /**
     * A deletion answered 404 by something in front of Resource Manager (even in JSON): nothing
     * says the assignment is gone, so the removal failed (its record kept), never "none"; Resource
     * Manager's own 404 is "gone meanwhile".
     */
    @Test
    void aDeletionNotFoundByAnotherServerIsAFailedRemovalNeverNone() {
      azure.ourAssignment(SUBSCRIPTION, OURS);
      azure.deletionAnsweredByAnotherServer(SUBSCRIPTION, OURS, 404);

      assertThat(end(verifier())).isEqualTo(DelegationRemoval.FAILED);
      assertThat(azure.deletions(SUBSCRIPTION, OURS)).isEqualTo(1);

      azure.deletion(SUBSCRIPTION, OURS, 404);
      assertThat(end(verifier())).isEqualTo(DelegationRemoval.NONE);
      assertThat(counted).containsExactly("failed", "none");
    }

    @Test
    void refusedCredentialsAreAFailedRemovalNeverAnException() {
      assertThat(end(verifier(settings("an-expired-secret")))).isEqualTo(DelegationRemoval.FAILED);
      assertThat(log.lines()).anyMatch(line -> line.contains("AADSTS7000215"));
    }

    private DelegationRemoval end(AzureVerifier verifier) {
      try {
        return verifier
            .endDelegation(SubscriptionId.parse(SUBSCRIPTION))
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      } catch (Exception notSettled) {
        throw new AssertionError("the removal did not settle", notSettled);
      }
    }

    private String assignment(String name, String state, String tenant, String offer) {
      return AzureStubs.assignmentBody(SUBSCRIPTION, name, state, tenant, offer);
    }

    private String list(String... assignments) {
      return "[" + String.join(",", assignments) + "]";
    }

    private Duration between(LoggedRequest first, LoggedRequest second) {
      return Duration.between(
          first.getLoggedDate().toInstant(), second.getLoggedDate().toInstant());
    }
  }

  private AzureVerifier verifier() {
    return verifier(settings(AzureStubs.CLIENT_SECRET));
  }

  private AzureVerifier verifier(AzureSettings settings) {
    return verifier(settings, Mode.LIVE);
  }

  private AzureVerifier verifier(AzureSettings settings, Mode mode) {
    return verifier(settings, mode, clock);
  }

  private AzureVerifier verifier(AzureSettings settings, Mode mode, Clock clock) {
    return new AzureVerifier(settings, mode, metrics, executor, clock, Guard.none());
  }

  private static AzureSettings withoutOfferName(AzureSettings complete) {
    return new AzureSettings(
        complete.tenantId(),
        complete.clientId(),
        complete.clientSecret(),
        complete.authorityHost(),
        complete.resourceManager(),
        complete.trustStore(),
        complete.trustStorePassword(),
        complete.spObjectId(),
        "");
  }

  private AzureSettings settings(String secret) {
    return new AzureSettings(
        AzureStubs.TENANT_ID,
        AzureStubs.CLIENT_ID,
        secret,
        URI.create(azure.authorityHost()),
        URI.create(azure.resourceManagerUrl()),
        Optional.of(certificates.clientTrustStore()),
        Certificates.PASSWORD,
        AzureStubs.SP_OBJECT_ID,
        AzureStubs.OFFER_NAME);
  }

  /** Why the subscription is not delegated, as the rejection's detail says; never a tenant id. */
  private String notDelegatedBecause() {
    return notDelegatedBecause(verifier());
  }

  private static String notDelegatedBecause(AzureVerifier verifier) {
    Throwable failure =
        catchThrowable(() -> verifier.verify(SubscriptionId.parse(SUBSCRIPTION), false));
    assertThat(failure).isInstanceOf(Rejection.class);
    assertThat(((Rejection) failure).outcome()).isEqualTo(Outcome.SUBSCRIPTION_NOT_DELEGATED);
    assertThat(failure.getMessage())
        .doesNotContain(
            AzureStubs.TENANT_ID, AzureStubs.CUSTOMER_TENANT, AzureStubs.OTHER_PROVIDER_TENANT);
    return failure.getMessage();
  }

  private static Outcome outcomeOf(Runnable call) {
    Throwable failure = catchThrowable(call::run);
    assertThat(failure).isInstanceOf(Rejection.class);
    return ((Rejection) failure).outcome();
  }

  /** A clock that moves on by {@code step} each time it is read. */
  static final class TickingClock extends Clock {
    private Instant now;
    private final Duration step;

    TickingClock(Instant start, Duration step) {
      this.now = start;
      this.step = step;
    }

    @Override
    public synchronized Instant instant() {
      now = now.plus(step);
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
