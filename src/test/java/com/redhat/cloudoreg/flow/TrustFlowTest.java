package com.redhat.cloudoreg.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.redhat.cloudoreg.aws.RoleArn;
import com.redhat.cloudoreg.aws.StsVerifier;
import com.redhat.cloudoreg.azure.AzureVerifier;
import com.redhat.cloudoreg.azure.DelegationRemoval;
import com.redhat.cloudoreg.azure.SubscriptionId;
import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.ledger.DelegationToEnd;
import com.redhat.cloudoreg.ledger.RecordingLedger;
import com.redhat.cloudoreg.logging.CapturedLog;
import com.redhat.cloudoreg.outcome.Decision;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.TrustedAccount;
import com.redhat.cloudoreg.rhsm.InMemoryRhsm;
import com.redhat.cloudoreg.rhsm.Provider;
import com.redhat.cloudoreg.rhsm.TrustRegistrar;
import com.redhat.cloudoreg.sources.Authentication;
import com.redhat.cloudoreg.sources.CloudMeterType;
import com.redhat.cloudoreg.sources.InMemorySources;
import com.redhat.cloudoreg.sources.SourceTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The trust use cases in process, against in-memory peers: every rule of the flow, in ms. */
class TrustFlowTest {
  private static final String ORG = "7654321";
  private static final Caller CALLER = new Caller(new Tenant(ORG, Optional.empty()), "req-1");
  private static final long APP = 101;
  private static final long AUTH = 202;
  private static final long SOURCE = 55;
  private static final String ACCOUNT = "123456789012";
  private static final String ARN = "arn:aws:iam::" + ACCOUNT + ":role/redhat-cloud-meter";
  private static final String EXTERNAL_ID = "a2f8ec37-6d74-4af8-9e92-b83345651202";
  private static final String SUBSCRIPTION = "6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e";

  private final InMemorySources sources = new InMemorySources();
  private final InMemoryRhsm rhsm = new InMemoryRhsm();
  private final FakeSts sts = new FakeSts();
  private final FakeAzure azure = new FakeAzure();
  private final TrustFlow flow =
      new TrustFlow(
          sources,
          new CloudMeterType(sources),
          new SourceTypes(sources),
          sts,
          azure,
          new TrustRegistrar(rhsm, "live"),
          ConcurrentReads.inline());
  private final RecordingLedger ledger = new RecordingLedger();
  private final TrustRemovals ending =
      new TrustRemovals(
          sources, new CloudMeterType(sources), azure, new TrustRegistrar(rhsm, "live"), ledger);

  @BeforeEach
  void anAwsSourceWithARoleThatTrustsUs() {
    sources.application(ORG, APP, SOURCE, InMemorySources.CLOUD_METER);
    sources.source(ORG, SOURCE, "amazon");
    sources.authentication(ORG, AUTH, role(ARN, EXTERNAL_ID));
    sts.trusts(ARN, EXTERNAL_ID);
  }

  @Test
  void verifiedRoleIsTrustedAndRegisteredForTheSource() {
    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, "55")).isTrue();
  }

  @Test
  void whileSourcesIsDownTheTypeIsUnknownAndNothingChanges() {
    sources.down(true);

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.TYPE_UNKNOWN);
    assertThat(destroyOfApp(5).apply(CALLER).outcome())
        .as("a destroy of an application whose type cannot be learnt removes nothing")
        .isEqualTo(Outcome.TYPE_UNKNOWN);
    assertThat(flow.checkSource(CALLER, SOURCE))
        .extracting(checked -> checked.decision().outcome())
        .containsExactly(Outcome.TYPE_UNKNOWN);
    assertThat(rhsm.journal()).isEmpty();
    assertThat(sts.calls).isEmpty();
  }

  /**
   * Throttled before the type is known: no verdict, and the next attempt waits as Sources asked.
   */
  @Test
  void aTypeUnknownBecauseSourcesThrottlesCarriesItsRetryAfter() {
    sources.throttling("7");

    Decision created = flow.establish(CALLER, APP, AUTH);
    Decision destroyed = destroyOfApp(5).apply(CALLER);

    assertThat(created.outcome()).isEqualTo(Outcome.TYPE_UNKNOWN);
    assertThat(created.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(destroyed.outcome()).isEqualTo(Outcome.TYPE_UNKNOWN);
    assertThat(destroyed.retryAfter()).contains(Duration.ofSeconds(7));
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void anotherApplicationTypeIsNotOursAndNothingSecretOfItIsEverRead() {
    sources.application(ORG, APP, SOURCE, "9");
    sources.authentication(ORG, AUTH, passwordOnly());

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.NOT_OURS);
    assertThat(sources.reads())
        .as("its public view read beside the application, never its secret")
        .noneMatch(read -> read.endsWith("with password"));
    assertThat(destroyOfApp(9).apply(CALLER).outcome()).isEqualTo(Outcome.NOT_OURS);
    assertThat(rhsm.journal()).isEmpty();
  }

  private static Authentication passwordOnly() {
    return new Authentication(
        "202",
        Authentication.CLOUD_METER_ARN,
        "",
        ARN,
        new Authentication.Extra(EXTERNAL_ID),
        "Application",
        "101");
  }

  @Test
  void theSecretPasswordIsReadOnlyWhenUsernameHoldsNoGrant() {
    flow.establish(CALLER, APP, AUTH);
    assertThat(sources.reads()).doesNotContain("authentication 202 with password");

    sources.authentication(
        ORG,
        AUTH,
        new Authentication(
            "202",
            Authentication.CLOUD_METER_ARN,
            "",
            ARN,
            new Authentication.Extra(EXTERNAL_ID),
            "Application",
            "101"));
    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(sources.reads()).contains("authentication 202 with password");
  }

  @Test
  void anAuthenticationOfAnotherApplicationIsCg2002() {
    sources.authentication(
        ORG,
        AUTH,
        new Authentication(
            "202",
            Authentication.CLOUD_METER_ARN,
            ARN,
            "",
            new Authentication.Extra(EXTERNAL_ID),
            "Application",
            "999"));

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.WRONG_RESOURCE_TYPE);
    assertThat(sts.calls).isEmpty();
  }

  @Test
  void aRoleWithoutExternalIdIsNeverNewlyTrusted() {
    sources.authentication(ORG, AUTH, role(ARN, null));
    sts.trusts(ARN, null);

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.NO_EXTERNAL_ID);
    assertThat(decision.outcome().error()).startsWith("CG2005: ");
    assertThat(sts.calls).as("no point asking STS").isEmpty();
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void trustAlreadyHeldForTheSameSourceIsKeptWithoutExternalId() {
    sources.authentication(ORG, AUTH, role(ARN, null));
    sts.trusts(ARN, null);
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "55");

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(sts.calls).as("the role must still work").hasSize(1);
    assertThat(rhsm.journal()).isEmpty();
  }

  /**
   * Trust kept without an external id is told only while its grant is the application's: an update
   * that replaced it meanwhile (on the consumer's pod, which removed the old trust) must not be
   * followed by this check's {@code available}.
   */
  @Test
  void trustKeptWithoutExternalIdForAGrantReplacedMeanwhileIsNoVerdict() {
    sources.authentication(ORG, AUTH, role(ARN, null));
    sts.trusts(ARN, null);
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "55");
    theCustomerReplacesTheGrantWhileItIsVerified();

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(decision.outcome().availability()).isEmpty();
    assertThat(decision.leftTrustBehind()).as("nothing was written").isFalse();
    assertThat(rhsm.journal()).isEmpty();
  }

  /**
   * A check's write refused on its first try as held (this source's trust, standing for months),
   * and the read that would tell for whom failing: nothing of ours was written, so nothing is left
   * for a later fence to take back should the grant be replaced before the update is decided.
   */
  @Test
  void aFirstWriteRefusedAsHeldWhoseHolderIsUnreadLeavesNothingToTakeBack() {
    assertAnOutageWithNothingToTakeBackWhenHeldAnd(() -> rhsm.down(true));
  }

  /** Held before the write, and the fence's read failing: still nothing of ours to take back. */
  @Test
  void aWriteThatFoundTheAccountHeldLeavesNothingToTakeBackWhenItsFenceIsUnread() {
    assertAnOutageWithNothingToTakeBackWhenHeldAnd(() -> sources.down(true));
  }

  /**
   * The account held for the source before; {@code failing} happens as RHSM's holdings are read.
   */
  private void assertAnOutageWithNothingToTakeBackWhenHeldAnd(Runnable failing) {
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "55");
    rhsm.onHoldingsRead = failing;

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
    assertThat(decision.unfenced()).isFalse();
    assertThat(decision.trusted()).isEmpty();
  }

  @Test
  void anAccountTheOrgAddedByHandIsTrustItAlreadyHas() {
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, null);

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, null))
        .as("not re-tied to the source")
        .isTrue();
  }

  @Test
  void anAccountOfAnotherSourceOrOrgIsRefused() {
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "77");
    assertThat(flow.establish(CALLER, APP, AUTH).outcome())
        .isEqualTo(Outcome.LINKED_BY_OTHER_SOURCE);

    rhsm.holds("another-org", Provider.AWS, ACCOUNT, "77");
    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.HELD_BY_OTHER_ORG);
  }

  @Test
  void aReplacementRegistersTheNewAccountBeforeRemovingTheOld() {
    String newAccount = "210987654321";
    Decision replaced = trustedAfterReplacingTheRoleBy(newAccount);
    assertThat(replaced.outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(ending.removeReplaced(CALLER, APP, replaced, false).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);

    assertThat(rhsm.journal())
        .containsExactly("add AWS/" + ACCOUNT, "add AWS/" + newAccount, "remove AWS/" + ACCOUNT);
    assertThat(rhsm.heldBy(ORG)).extracting(InMemoryRhsm.Held::id).containsExactly(newAccount);
  }

  @Test
  void anUpdateThatChangesNothingChangesNothingAtRhsm() {
    flow.establish(CALLER, APP, AUTH);

    Decision replaced = flow.establish(CALLER, APP, AUTH);
    assertThat(replaced.outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(ending.removeReplaced(CALLER, APP, replaced, false).detail())
        .as("nothing to remove")
        .startsWith("0 replaced");
    assertThat(rhsm.journal()).containsExactly("add AWS/" + ACCOUNT);
  }

  @Test
  void aLateWriterTakesItsRegistrationBackWhenTheApplicationIsGone() {
    sts.onVerify = () -> sources.forget(ORG, APP);

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.APPLICATION_GONE);
    assertThat(decision.leftTrustBehind()).as("the caller takes it back, durably").isTrue();
    assertThat(ending.takeBack(CALLER, APP, decision, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(rhsm.journal()).containsExactly("add AWS/" + ACCOUNT, "remove source 55");
  }

  @Test
  void aWriterWhoseGrantWasReplacedMeanwhileTakesBackOnlyWhatItWrote() {
    String newArn = "arn:aws:iam::210987654321:role/redhat-cloud-meter-v2";
    sts.onVerify = () -> sources.authentication(ORG, AUTH, role(newArn, EXTERNAL_ID));

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(decision.outcome().availability()).as("the replacement reports").isEmpty();
    assertThat(decision.leftTrustBehind()).isTrue();
    rhsm.holds(ORG, Provider.AWS, "210987654321", "55");
    assertThat(ending.takeBack(CALLER, APP, decision, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG))
        .extracting(InMemoryRhsm.Held::id)
        .as("only the stale account goes")
        .containsExactly("210987654321");
  }

  @Test
  void aWriteWhoseFenceCannotBeReadIsCarriedUnfencedAndFencedAgainLater() {
    sts.onVerify = () -> sources.down(true);

    Decision unread = flow.establish(CALLER, APP, AUTH);

    assertThat(unread.outcome().noVerdict()).isTrue();
    assertThat(unread.unfenced()).as("the write may stand: the decision carries it").isTrue();
    assertThat(flow.fenceAgain(CALLER, APP, unread).unfenced())
        .as("Sources still down: still unfenced")
        .isTrue();

    sources.down(false);
    Decision stands = flow.fenceAgain(CALLER, APP, unread);
    assertThat(stands.outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(ending.takeBackIfLeft(CALLER, APP, stands, new HashSet<>())).isSameAs(stands);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, "55")).isTrue();

    sources.forget(ORG, APP);
    Decision gone = flow.fenceAgain(CALLER, APP, unread);
    assertThat(gone.outcome()).isEqualTo(Outcome.APPLICATION_GONE);
    assertThat(ending.takeBackIfLeft(CALLER, APP, gone, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
  }

  /**
   * Replaced by a grant of another account, or of the same account (a refused replacement, a typo
   * in the role's name, had the account's trust removed, maybe before this write landed): the write
   * is no longer the current grant's, and is taken back; the caller verifies the current grant,
   * which re-establishes the account if it justifies it.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:iam::210987654321:role/redhat-cloud-meter-v2",
        "arn:aws:iam::" + ACCOUNT + ":role/redhat-cloud-meter-typo"
      })
  void anUnfencedWriteWhoseGrantWasReplacedIsTakenBack(String replacement) {
    sts.onVerify = () -> sources.down(true);
    Decision unread = flow.establish(CALLER, APP, AUTH);
    sources.down(false);
    sources.authentication(ORG, AUTH, role(replacement, EXTERNAL_ID));

    Decision replaced = flow.fenceAgain(CALLER, APP, unread);

    assertThat(replaced.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(ending.takeBackIfLeft(CALLER, APP, replaced, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, "55")).isFalse();
  }

  @Test
  void aVerdictIsStillToTellWhileItsGrantIsTheApplicationsOrSourcesIsUnread() {
    Decision trusted = flow.establish(CALLER, APP, AUTH);
    assertThat(trusted.outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(flow.stillToTell(CALLER, APP, trusted)).isTrue();

    sources.down(true);
    assertThat(flow.stillToTell(CALLER, APP, trusted)).as("unread: told as decided").isTrue();
    sources.down(false);

    sources.authentication(
        ORG, AUTH, role("arn:aws:iam::" + ACCOUNT + ":role/redhat-cloud-meter-v2", EXTERNAL_ID));
    assertThat(flow.stillToTell(CALLER, APP, trusted)).as("replaced").isFalse();

    Decision anotherResources =
        Decision.of(Outcome.WRONG_RESOURCE_TYPE, "55", "names a source")
            .on(role(ARN, EXTERNAL_ID).grant());
    assertThat(flow.stillToTell(CALLER, APP, anotherResources))
        .as("CG2002 while the application has a grant of its own, whose verdict is newer")
        .isFalse();
    sources.forgetAuthentication(ORG, AUTH);
    assertThat(flow.stillToTell(CALLER, APP, anotherResources))
        .as("CG2002: about an authentication that is never among the application's")
        .isTrue();

    sources.forget(ORG, APP);
    assertThat(flow.stillToTell(CALLER, APP, trusted)).as("gone").isFalse();
    assertThat(flow.stillToTell(CALLER, APP, anotherResources)).as("gone").isFalse();
  }

  @Test
  void aChangedExternalIdIsAReplacedGrantToo() {
    sts.onVerify =
        () -> sources.authentication(ORG, AUTH, role(ARN, "b3f9fd48-7e85-4b07-8f0d-000000000001"));

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.GRANT_REPLACED);
  }

  @Test
  void aWriteThatFoundTheAccountAddedByHandHasNothingToTakeBack() {
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, null);
    String newArn = "arn:aws:iam::210987654321:role/redhat-cloud-meter-v2";
    sts.onVerify = () -> sources.authentication(ORG, AUTH, role(newArn, EXTERNAL_ID));

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(decision.leftTrustBehind()).isFalse();
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, null)).isTrue();
  }

  @Test
  void takingBackAnUnfencedWriteNeverRemovesAnAccountTheOrgAddedByHand() {
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, null);
    Decision unfenced =
        Decision.failedAfterWrite(
                new TransientFailure("RHSM's answer lost"),
                Long.toString(SOURCE),
                new TrustedAccount(Provider.AWS.name(), ACCOUNT))
            .on(role(ARN, EXTERNAL_ID).grant());
    sources.authentication(
        ORG, AUTH, role("arn:aws:iam::210987654321:role/redhat-cloud-meter-v2", EXTERNAL_ID));

    Decision replaced = flow.fenceAgain(CALLER, APP, unfenced);
    ending.takeBackIfLeft(CALLER, APP, replaced, new HashSet<>());

    assertThat(replaced.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, null)).isTrue();
  }

  /**
   * The account was held for the source before the write (the trust of the grant now replaced): the
   * write changed nothing and takes nothing back; that trust goes when the new grant is decided.
   */
  @Test
  void aWriteThatFoundTheAccountHeldForTheSourceTakesNothingBackWhenItsGrantWasReplaced() {
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "55");
    theCustomerReplacesTheGrantWhileItIsVerified();

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(decision.leftTrustBehind()).isFalse();
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, "55")).isTrue();
  }

  /**
   * The write added the account — or may have: it landed, its answer was lost, and the retry was
   * refused as "held for this source", which may answer the write's own first attempt. Its grant
   * replaced meanwhile, it takes the account back.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aWriteThatMayHaveAddedTheAccountTakesItBackWhenItsGrantWasReplaced(boolean answerLost) {
    if (answerLost) {
      rhsm.losesTheNextAddsAnswer();
    }
    theCustomerReplacesTheGrantWhileItIsVerified();

    Decision decision = flow.establish(CALLER, APP, AUTH);
    ending.takeBack(CALLER, APP, decision, new HashSet<>());

    assertThat(decision.leftTrustBehind()).isTrue();
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, ACCOUNT, "55")).isFalse();
  }

  /**
   * The org added the subscription by hand: a late writer finding the application gone ends none.
   */
  @Test
  void aLateWriterThatFoundTheSubscriptionAddedByHandNeverEndsItsDelegation() {
    anAzureSource();
    rhsm.holds(ORG, Provider.MSAZ, SUBSCRIPTION, null);
    azure.onVerify = () -> sources.forget(ORG, APP);

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.APPLICATION_GONE);
    assertThat(decision.leftTrustBehind()).isFalse();
    assertThat(rhsm.holdsFor(ORG, Provider.MSAZ, SUBSCRIPTION, null)).isTrue();
    assertThat(azure.removed).isEmpty();
  }

  @Test
  void aRefusalWhoseApplicationIsGoneMeanwhileIsNotTold() {
    sts.trusting.clear();
    sts.onVerify = () -> sources.forget(ORG, APP);

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.APPLICATION_GONE);
  }

  @Test
  void aRefusalWhoseFenceCannotBeReadStands() {
    sts.trusting.clear();
    sts.onVerify = () -> sources.down(true);

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.ROLE_NOT_ASSUMABLE);
  }

  /** A refusal of a grant the application no longer holds is no verdict: never told. */
  @Test
  void aRefusalOfAGrantReplacedMeanwhileIsNoVerdict() {
    sts.trusting.clear();
    theCustomerReplacesTheGrantWhileItIsVerified();

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(decision.outcome().availability()).isEmpty();
    assertThat(decision.leftTrustBehind()).isFalse();
  }

  @Test
  void aRefusalOfTheGrantStillCurrentStands() {
    sts.trusting.clear();

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.ROLE_NOT_ASSUMABLE);
  }

  @Test
  void inShadowModeConflictsAreDecidedFromWhatTheOrgHoldsAndNothingIsWritten() {
    TrustFlow shadow =
        new TrustFlow(
            sources,
            new CloudMeterType(sources),
            new SourceTypes(sources),
            sts,
            azure,
            new TrustRegistrar(rhsm, "shadow"),
            ConcurrentReads.inline());
    rhsm.holds(ORG, Provider.AWS, ACCOUNT, "77");

    assertThat(shadow.establish(CALLER, APP, AUTH).outcome())
        .isEqualTo(Outcome.LINKED_BY_OTHER_SOURCE);
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void googleSourcesAreSourcesOwnBusiness() {
    sources.source(ORG, SOURCE, "google");
    sources.forgetAuthentication(ORG, AUTH);

    assertThat(flow.reverify(CALLER, APP).outcome())
        .as("no authentication at all: the source's type says why")
        .isEqualTo(Outcome.NOT_OURS);
    sources.authentication(
        ORG,
        AUTH,
        new Authentication("202", "project_id", "my-project", null, null, "Application", "101"));
    assertThat(flow.establish(CALLER, APP, AUTH).outcome())
        .as("an authentication that is not ours to verify")
        .isEqualTo(Outcome.NOT_OURS);
    assertThat(sts.calls).isEmpty();
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void theSourcesTypeIsReadOnlyWhenTheGrantCannotTellTheCloud() {
    flow.establish(CALLER, APP, AUTH);

    assertThat(sources.reads()).noneMatch(read -> read.startsWith("source"));
  }

  @Test
  void aMissingAuthenticationOfAnAwsSourceIsCg2000() {
    sources.forgetAuthentication(ORG, AUTH);

    assertThat(flow.reverify(CALLER, APP).outcome()).isEqualTo(Outcome.AUTHENTICATION_MISSING);
    assertThat(flow.establish(CALLER, APP, AUTH).outcome())
        .isEqualTo(Outcome.AUTHENTICATION_MISSING);
  }

  /**
   * The application's one authentication listed, its grant only in the secret field, and that read
   * answering 404: still no grant to verify (CG2000), read as the grant is read, never "replaced".
   */
  @Test
  void aGrantListedButUnreadableIsStillMissing() {
    sources.authentication(
        ORG,
        AUTH,
        new Authentication(
            Long.toString(AUTH),
            Authentication.CLOUD_METER_ARN,
            "",
            ARN,
            new Authentication.Extra(EXTERNAL_ID),
            "Application",
            Long.toString(APP)));
    sources.secretUnreadable(AUTH);

    assertThat(flow.reverify(CALLER, APP).outcome()).isEqualTo(Outcome.AUTHENTICATION_MISSING);
  }

  /**
   * The authentication an event named, deleted because another replaced it (a propagation re-check
   * or an update handled after the replacement): not the application's missing grant. No verdict
   * from it (an {@code unavailable} would stand over the replacement's {@code available}), and
   * nothing removed; the caller verifies the current grant.
   */
  @Test
  void anAuthenticationGoneBecauseAnotherReplacedItIsNoVerdict() {
    sources.forgetAuthentication(ORG, AUTH);
    Authentication replacement = role(ARN, EXTERNAL_ID);
    sources.authentication(
        ORG,
        AUTH + 1,
        new Authentication(
            Long.toString(AUTH + 1),
            replacement.authtype(),
            replacement.username(),
            null,
            replacement.extra(),
            replacement.resourceType(),
            replacement.resourceId()));

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(decision.outcome().availability()).isEmpty();
    assertThat(decision.leftTrustBehind()).isFalse();
    assertThat(flow.reverify(CALLER, APP).outcome()).isEqualTo(Outcome.TRUSTED);
  }

  @Test
  void aRemovalThatRhsmCannotConfirmIsAnOutageNotAnOutcomeOfTheCustomer() {
    flow.establish(CALLER, APP, AUTH);
    rhsm.down(true);

    sources.forgetSource(ORG, SOURCE);
    sources.forget(ORG, APP);
    Function<Caller, Decision> orphanRemoval = ending.removalOfOrphan(SOURCE);

    Decision removal = orphanRemoval.apply(CALLER);

    assertThat(removal.outcome()).isEqualTo(Outcome.REMOVAL_UNCONFIRMED);
    assertThat(removal.outcome().availability()).as("no status: nobody's verdict").isEmpty();
    rhsm.down(false);
    assertThat(orphanRemoval.apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
  }

  @Test
  void aBugIsThrownOnNotDressedUpAsAnOutage() {
    sts.onVerify =
        () -> {
          throw new NullPointerException("a bug of ours");
        };

    assertThatThrownBy(() -> flow.establish(CALLER, APP, AUTH))
        .isInstanceOf(NullPointerException.class);
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void aDelegatedAzureSubscriptionIsTrustedAsProviderMsaz() {
    anAzureSource();

    assertThat(flow.establish(CALLER, APP, AUTH).outcome()).isEqualTo(Outcome.TRUSTED);
    assertThat(rhsm.holdsFor(ORG, Provider.MSAZ, SUBSCRIPTION, "55")).isTrue();
    assertThat(sts.calls).isEmpty();
  }

  @Test
  void aSubscriptionNotDelegatedIsCg3005AndAnInvalidIdCg1006WithoutAnAzureCall() {
    anAzureSource();
    azure.delegated.clear();
    assertThat(flow.establish(CALLER, APP, AUTH).outcome().error()).startsWith("CG3005: ");

    sources.authentication(ORG, AUTH, subscription("not-a-uuid"));
    azure.calls.clear();
    assertThat(flow.establish(CALLER, APP, AUTH).outcome().error()).startsWith("CG1006: ");
    assertThat(azure.calls).isEmpty();
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void aSubscriptionHeldElsewhereIsCg1005() {
    anAzureSource();
    rhsm.holds("another-org", Provider.MSAZ, SUBSCRIPTION, "9");

    assertThat(flow.establish(CALLER, APP, AUTH).outcome().error()).startsWith("CG1005: ");
  }

  @Test
  void withoutAzureCredentialsAzureSourcesAreSkippedWithoutAVerdict() {
    anAzureSource();
    azure.configured = false;

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.AZURE_NOT_CONFIGURED);
    assertThat(decision.outcome().availability()).as("no status at all").isEmpty();
    assertThat(azure.calls).isEmpty();
    assertThat(rhsm.journal()).isEmpty();
  }

  @Test
  void destroyingAnAzureSourcesApplicationAlsoRemovesTheLighthouseDelegation() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);

    assertThat(destroyOfApp(5).apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(azure.removed).containsExactly(SUBSCRIPTION);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
  }

  @Test
  void aDestroyWhoseRemovalLandedButWasNotConfirmedEndsTheDelegationOnceItIs() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    Function<Caller, Decision> destroy = destroyOfApp(5);
    rhsm.losesTheNextSourceRemovalsAnswer();

    assertThat(destroy.apply(CALLER).outcome()).isEqualTo(Outcome.REMOVAL_UNCONFIRMED);
    assertThat(rhsm.heldBy(ORG)).as("removed at RHSM all the same").isEmpty();
    assertThat(azure.removed).as("not before RHSM confirmed the removal").isEmpty();
    // once RHSM's trust is gone nothing there names the subscription: the record is all there is
    assertThat(ledger.delegations)
        .as("recorded before RHSM removed the trust, and not yet ended")
        .containsExactly(entry(SUBSCRIPTION, new DelegationToEnd(SUBSCRIPTION, ORG, "55")));

    assertThat(destroy.apply(CALLER.asRedrive()).outcome()).isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(azure.removed)
        .as("the subscription the first attempt listed: RHSM lists nothing to the second")
        .containsExactly(SUBSCRIPTION);
    assertThat(ledger.delegations).as("ended: the record goes").isEmpty();
    assertThat(destroy.apply(CALLER.asRedrive()).outcome())
        .as("applied again: already gone")
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(azure.removed).as("ended once").containsExactly(SUBSCRIPTION);
  }

  /** Only an answer that settles the end drops the record; a failure leaves it to be retried. */
  @ParameterizedTest
  @EnumSource(
      value = DelegationRemoval.class,
      names = {"NOT_CONFIGURED", "SHADOW"},
      mode = EnumSource.Mode.EXCLUDE)
  void theRecordOfADelegationToEndStaysOnlyWhileNoAnswerSettlesIt(DelegationRemoval result) {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    azure.result = result;

    assertThat(destroyOfApp(5).apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);

    assertThat(azure.removed).containsExactly(SUBSCRIPTION);
    if (result == DelegationRemoval.FAILED) {
      assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
    } else {
      assertThat(ledger.delegations).as(result + " settles it").isEmpty();
    }
  }

  /** A delegation's end never holds back RHSM's removal, its record neither. */
  @Test
  void aDelegationToEndTheLedgerCouldNotRecordDoesNotHoldBackTheTrustsRemoval() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    ledger.unrecording = true;

    assertThat(destroyOfApp(5).apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);

    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(azure.removed).containsExactly(SUBSCRIPTION);
    assertThat(ledger.recorded).isEmpty();
  }

  /**
   * Neither Kafka (the record) nor Sources (after the removal) answering: nothing else would end
   * the delegation once the trust is gone, so the destroy ends it itself, as it did before it read
   * Sources after a removal.
   */
  @Test
  void aDelegationUnrecordedIsEndedByTheDestroyItselfWhenSourcesCannotBeReadAfterTheRemoval() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    assertThat(destroyOfApp(9).apply(CALLER).outcome()).isEqualTo(Outcome.NOT_OURS);
    Function<Caller, Decision> destroy = destroyOfApp(5);
    ledger.unrecording = true;
    sources.down(true);

    assertThat(destroy.apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(azure.removed).containsExactly(SUBSCRIPTION);
  }

  /**
   * An orphan's delegation is ended by the next reconciliation run through its record alone: its
   * trust does not go before Kafka holds that record.
   */
  @Test
  void anOrphansTrustWaitsForTheRecordOfItsDelegation() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    sources.forgetSource(ORG, SOURCE);
    sources.forget(ORG, APP);
    Function<Caller, Decision> orphan = ending.removalOfOrphan(SOURCE);
    ledger.unrecording = true;

    assertThat(orphan.apply(CALLER).outcome()).isEqualTo(Outcome.REMOVAL_UNCONFIRMED);
    assertThat(rhsm.heldBy(ORG)).as("not before its delegation is recorded").isNotEmpty();
    ledger.unrecording = false;
    assertThat(orphan.apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
    assertThat(azure.removed).as("the next run's to end").isEmpty();
  }

  /**
   * The server stops while the record is awaited: the trust must not go unrecorded, nor the destroy
   * turn into a bug. The removal stays unconfirmed, RHSM untouched, for its next attempt.
   */
  @Test
  void aRecordInterruptedLeavesTheRemovalUnconfirmedAndRhsmUntouched() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    ledger.interrupted = true;

    Decision destroyed = destroyOfApp(5).apply(CALLER);

    assertThat(destroyed.outcome()).isEqualTo(Outcome.REMOVAL_UNCONFIRMED);
    assertThat(rhsm.heldBy(ORG)).hasSize(1);
    assertThat(azure.removed).isEmpty();
  }

  @Test
  void withoutAzureCredentialsADestroyRecordsNoDelegationToEnd() {
    anAzureSource();
    rhsm.holds(ORG, Provider.MSAZ, SUBSCRIPTION, "55");
    azure.configured = false;

    assertThat(destroyOfApp(5).apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);

    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(azure.removed).isEmpty();
    assertThat(ledger.recorded).isEmpty();
  }

  @Test
  void aDelegationLeftToEndIsEndedWhenRhsmHoldsItNoMore() {
    DelegationToEnd left = new DelegationToEnd(SUBSCRIPTION, ORG, "55");
    ledger.delegations.put(SUBSCRIPTION, left);

    assertThat(ending.endLeftDelegation(CALLER, left)).isTrue();

    assertThat(azure.removed).containsExactly(SUBSCRIPTION);
    assertThat(ledger.delegations).isEmpty();
  }

  /**
   * RHSM holds the subscription for the org (the destroy's removal has not landed yet, or a source
   * trusts it again): the delegation stays, and so does the record.
   */
  @Test
  void aDelegationLeftToEndStaysWhileRhsmTrustsTheSubscriptionForTheOrg() {
    DelegationToEnd left = new DelegationToEnd(SUBSCRIPTION, ORG, "55");
    ledger.delegations.put(SUBSCRIPTION, left);
    rhsm.holds(ORG, Provider.MSAZ, SUBSCRIPTION, "56");

    assertThat(ending.endLeftDelegation(CALLER, left)).isFalse();

    assertThat(azure.removed).isEmpty();
    assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
  }

  /**
   * RHEL management removed from the source and added back: a new application of the same source,
   * whose grant names the same subscription, trusted on another replica before this destroy's late
   * removal landed. The removal took its trust: it is to be verified again, and the delegation it
   * names stays, recorded to end with it; one nothing names any more still ends.
   */
  @Test
  void aDestroysRemovalThatFindsTheSourceWithACloudMeterApplicationAgainHasItVerifiedAgain() {
    String another = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    long addedBack = 102;
    anAzureSource();
    rhsm.holds(ORG, Provider.MSAZ, SUBSCRIPTION, "55");
    rhsm.holds(ORG, Provider.MSAZ, another, "55");
    sources.forget(ORG, APP);
    sources.application(ORG, addedBack, SOURCE, InMemorySources.CLOUD_METER);
    sources.authentication(
        ORG,
        303,
        new Authentication(
            "303",
            Authentication.LIGHTHOUSE_SUBSCRIPTION_ID,
            SUBSCRIPTION.toUpperCase(Locale.ROOT),
            null,
            null,
            "Application",
            Long.toString(addedBack)));
    Set<Long> onSourceAgain = new HashSet<>();

    Decision removed = ending.removalOfDestroyed(APP, SOURCE, 5, onSourceAgain).apply(CALLER);

    assertThat(removed.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(onSourceAgain).containsExactly(addedBack);
    assertThat(rhsm.heldBy(ORG)).as("the removal landed").isEmpty();
    assertThat(azure.removed).as("only the one nothing names").containsExactly(another);
    assertThat(ledger.delegations)
        .containsOnlyKeys(SUBSCRIPTION)
        .containsValue(new DelegationToEnd(SUBSCRIPTION, ORG, "55", Optional.of(addedBack)));
  }

  /**
   * A late write taken back because its application is gone, while RHEL management was added back
   * to the source (trusted meanwhile): the source-wide take-back took the new application's trust
   * too, and finds it once landed, for the caller to verify it again.
   */
  @Test
  void
      aTakeBackForAnApplicationGoneThatFindsTheSourceWithACloudMeterApplicationAgainHasItVerified() {
    long addedBack = 102;
    Decision decided = flow.establish(CALLER, APP, AUTH);
    sources.forget(ORG, APP);
    Decision gone =
        flow.fenceAgain(
            CALLER,
            APP,
            Decision.failedAfterWrite(
                    new TransientFailure("lost"), "55", decided.trusted().orElseThrow())
                .on(decided.decidedOn().orElseThrow()));
    assertThat(gone.outcome()).isEqualTo(Outcome.APPLICATION_GONE);
    sources.application(ORG, addedBack, SOURCE, InMemorySources.CLOUD_METER);
    sources.authentication(
        ORG,
        303,
        new Authentication(
            "303",
            Authentication.CLOUD_METER_ARN,
            ARN,
            null,
            new Authentication.Extra(EXTERNAL_ID),
            "Application",
            Long.toString(addedBack)));
    Set<Long> onSourceAgain = new HashSet<>();

    Decision takenBack = ending.takeBack(CALLER, APP, gone, onSourceAgain);

    assertThat(takenBack.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(onSourceAgain).containsExactly(addedBack);
    assertThat(rhsm.heldBy(ORG)).as("taken back all the same").isEmpty();
  }

  /**
   * RHSM confirmed the removal, but whether the source has a Cloud Meter application again is not
   * known: the removal stands, and its delegations are left to the reconciliation (their records
   * stay), which ends them unless RHSM holds the subscription for the org again.
   */
  @Test
  void aDestroysRemovalThatCannotReadTheSourceOnceLandedStandsAndLeavesItsDelegationsRecorded() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    // another type's destroy has the Cloud Meter type looked up: only the read after the removal
    // fails
    assertThat(destroyOfApp(9).apply(CALLER).outcome()).isEqualTo(Outcome.NOT_OURS);
    Function<Caller, Decision> destroy = destroyOfApp(5);
    sources.down(true);

    assertThat(destroy.apply(CALLER).outcome()).isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(azure.removed).isEmpty();
    assertThat(ledger.delegations).containsOnlyKeys(SUBSCRIPTION);
  }

  /**
   * Sources still lists the application destroyed (never seen; should it be): the destroy stands,
   * its application is not verified again.
   */
  @Test
  void theApplicationADestroyWasForIsNeverFoundAgain() {
    flow.establish(CALLER, APP, AUTH);
    Set<Long> onSourceAgain = new HashSet<>();

    assertThat(ending.removalOfDestroyed(APP, SOURCE, 5, onSourceAgain).apply(CALLER).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(onSourceAgain).isEmpty();
  }

  /** An application added back without its authentication yet had no trust to take. */
  @Test
  void anApplicationAddedBackWithoutAGrantIsNotVerifiedAgain() {
    flow.establish(CALLER, APP, AUTH);
    sources.forgetAuthentication(ORG, AUTH);
    sources.application(ORG, 102, SOURCE, InMemorySources.CLOUD_METER);
    sources.forget(ORG, APP);
    Set<Long> onSourceAgain = new HashSet<>();

    assertThat(ending.removalOfDestroyed(APP, SOURCE, 5, onSourceAgain).apply(CALLER).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(onSourceAgain).isEmpty();
  }

  @Test
  void anIdRhsmHoldsThatIsNoSubscriptionIsSkippedAndTheOthersDelegationsStillEnd() {
    String another = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    anAzureSource();
    rhsm.holds(ORG, Provider.MSAZ, "not-a-subscription", "55");
    rhsm.holds(ORG, Provider.MSAZ, SUBSCRIPTION, "55");
    rhsm.holds(ORG, Provider.MSAZ, another, "55");
    CapturedLog log = CapturedLog.of(TrustRemovals.class.getName());
    try {
      assertThat(destroyOfApp(5).apply(CALLER).outcome())
          .as("RHSM confirmed it")
          .isEqualTo(Outcome.TRUST_REMOVED);
      assertThat(azure.removed).containsExactlyInAnyOrder(SUBSCRIPTION, another);
      assertThat(log.lines())
          .singleElement()
          .asString()
          .contains("source 55", "org " + ORG)
          .doesNotContain("not-a-subscription");
    } finally {
      log.release();
    }
  }

  @Test
  void aLateWriterWhoseApplicationIsGoneEndsTheDelegationAfterTheTrust() {
    anAzureSource();
    azure.onVerify = () -> sources.forget(ORG, APP);
    azure.onEnd = () -> assertThat(rhsm.heldBy(ORG)).as("the trust is removed first").isEmpty();

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.APPLICATION_GONE);
    assertThat(ending.takeBack(CALLER, APP, decision, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(azure.removed)
        .as("destroyed after the destroy's own removal ran: its delegation ends too")
        .containsExactly(SUBSCRIPTION);
    assertThat(ledger.recorded).containsExactly(new DelegationToEnd(SUBSCRIPTION, ORG, "55"));
    assertThat(ledger.delegations).as("ended: settled").isEmpty();
  }

  /**
   * A take-back that finds the subscription held by hand (or through another source) removes
   * nothing, and records nothing: that delegation is not the application's to end.
   */
  @Test
  void aTakeBackOfASubscriptionNotHeldForTheSourceRecordsNothing() {
    anAzureSource();
    rhsm.holds(ORG, Provider.MSAZ, SUBSCRIPTION, null);
    Decision replaced =
        Decision.withTrust(
            Outcome.GRANT_REPLACED,
            "55",
            "grant replaced meanwhile",
            new TrustedAccount("MSAZ", SUBSCRIPTION));

    assertThat(ending.takeBack(CALLER, APP, replaced, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).extracting(InMemoryRhsm.Held::id).containsExactly(SUBSCRIPTION);
    assertThat(ledger.recorded).isEmpty();
  }

  @Test
  void aWriterWhoseSubscriptionWasReplacedMeanwhileNeverEndsItsDelegation() {
    String corrected = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    anAzureSource();
    azure.onVerify = () -> sources.authentication(ORG, AUTH, subscription(corrected));

    Decision decision = flow.establish(CALLER, APP, AUTH);

    assertThat(decision.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(ending.takeBack(CALLER, APP, decision, new HashSet<>()).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.holdsFor(ORG, Provider.MSAZ, SUBSCRIPTION, "55")).isFalse();
    assertThat(azure.removed).as("only a destroy ends a delegation").isEmpty();
    assertThat(ledger.recorded)
        .as("recorded before its trust went, to end once the application is gone")
        .containsExactly(new DelegationToEnd(SUBSCRIPTION, ORG, "55", Optional.of(APP)));
  }

  @Test
  void aRefusedReplacementRemovesTheTrustButNeverTheDelegation() {
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    azure.delegated.clear();
    Decision refused = flow.establish(CALLER, APP, AUTH);
    assertThat(refused.customerMustAct()).isTrue();

    assertThat(ending.removeReplaced(CALLER, APP, refused, true).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.heldBy(ORG)).isEmpty();
    assertThat(azure.removed).as("the customer corrects a typo without redeploying").isEmpty();
    assertThat(ledger.recorded)
        .as("recorded before its trust went, to end once the source is gone")
        .containsExactly(new DelegationToEnd(SUBSCRIPTION, ORG, "55", Optional.of(APP)));
  }

  /**
   * A trusted replacement by another subscription: the old one's trust goes, its delegation stays,
   * recorded to end once the source is gone; the new one's is not recorded.
   */
  @Test
  void aTrustedReplacementRecordsOnlyTheOldSubscriptionsDelegation() {
    String replacement = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
    anAzureSource();
    flow.establish(CALLER, APP, AUTH);
    sources.authentication(ORG, AUTH, subscription(replacement));
    azure.delegated.add(replacement);
    Decision replaced = flow.establish(CALLER, APP, AUTH);

    assertThat(ending.removeReplaced(CALLER, APP, replaced, true).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    assertThat(rhsm.holdsFor(ORG, Provider.MSAZ, replacement, "55")).isTrue();
    assertThat(rhsm.holdsFor(ORG, Provider.MSAZ, SUBSCRIPTION, "55")).isFalse();
    assertThat(azure.removed).isEmpty();
    assertThat(ledger.recorded)
        .containsExactly(new DelegationToEnd(SUBSCRIPTION, ORG, "55", Optional.of(APP)));
  }

  /**
   * An update's removal lands after its grant was replaced and the next one trusted (a revoked
   * replica's retry, the partition's new owner): it took that trust, and says so, for the caller to
   * verify the current grant again.
   */
  @Test
  void aReplacementsRemovalLandingAfterTheNextGrantWasTrustedSaysItsGrantWasReplaced() {
    Decision replaced = trustedAfterReplacingTheRoleBy("210987654321");
    String nextAccount = "333333333333";
    sources.authentication(
        ORG,
        AUTH,
        role("arn:aws:iam::" + nextAccount + ":role/redhat-cloud-meter-v3", EXTERNAL_ID));
    rhsm.holds(ORG, Provider.AWS, nextAccount, "55");

    Decision removed = ending.removeReplaced(CALLER, APP, replaced, false);

    assertThat(removed.outcome()).isEqualTo(Outcome.GRANT_REPLACED);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, nextAccount, "55"))
        .as("what the caller's verification of the current grant restores")
        .isFalse();
  }

  @Test
  void aRefusalsRemovalLandingAfterTheGrantWasCorrectedSaysItsGrantWasReplaced() {
    flow.establish(CALLER, APP, AUTH);
    sources.authentication(ORG, AUTH, role("arn:aws:iam::12345:role/typo", EXTERNAL_ID));
    Decision refused = flow.establish(CALLER, APP, AUTH);
    assertThat(refused.outcome()).isEqualTo(Outcome.INVALID_ARN);
    sources.authentication(ORG, AUTH, role(ARN, EXTERNAL_ID));

    assertThat(ending.removeReplaced(CALLER, APP, refused, false).outcome())
        .isEqualTo(Outcome.GRANT_REPLACED);
  }

  @Test
  void aMissingGrantsRemovalStandsWhileTheApplicationHasNoneAndNotOnceItHas() {
    flow.establish(CALLER, APP, AUTH);
    sources.forgetAuthentication(ORG, AUTH);
    Decision missing = flow.establish(CALLER, APP, AUTH);
    assertThat(missing.outcome()).isEqualTo(Outcome.AUTHENTICATION_MISSING);

    assertThat(ending.removeReplaced(CALLER, APP, missing, false).outcome())
        .isEqualTo(Outcome.TRUST_REMOVED);
    sources.authentication(ORG, AUTH, role(ARN, EXTERNAL_ID));
    assertThat(ending.removeReplaced(CALLER, APP, missing, false).outcome())
        .isEqualTo(Outcome.GRANT_REPLACED);
  }

  @Test
  void aReplacementsRemovalStandsWhenTheApplicationIsGoneAndIsUnconfirmedWhileSourcesIsUnread() {
    Decision trusted = flow.establish(CALLER, APP, AUTH);
    rhsm.holds(ORG, Provider.AWS, "444444444444", "55");

    sources.down(true);
    assertThat(ending.removeReplaced(CALLER, APP, trusted, false).outcome())
        .as("landed, but whether its grant is still current is unknown: tried again")
        .isEqualTo(Outcome.REMOVAL_UNCONFIRMED);
    assertThat(rhsm.holdsFor(ORG, Provider.AWS, "444444444444", "55")).isFalse();
    sources.down(false);
    sources.forget(ORG, APP);
    assertThat(ending.removeReplaced(CALLER, APP, trusted, false).outcome())
        .as("a destroy's business")
        .isEqualTo(Outcome.TRUST_REMOVED);
  }

  /** The source trusted, then its role replaced by one in that account, verified and trusted. */
  private Decision trustedAfterReplacingTheRoleBy(String account) {
    flow.establish(CALLER, APP, AUTH);
    String newArn = "arn:aws:iam::" + account + ":role/redhat-cloud-meter-v2";
    sources.authentication(ORG, AUTH, role(newArn, EXTERNAL_ID));
    sts.trusts(newArn, EXTERNAL_ID);
    return flow.establish(CALLER, APP, AUTH);
  }

  /** While STS verifies the role, the customer names another role in another account. */
  private void theCustomerReplacesTheGrantWhileItIsVerified() {
    sts.onVerify =
        () ->
            sources.authentication(
                ORG,
                AUTH,
                role("arn:aws:iam::210987654321:role/redhat-cloud-meter-v2", EXTERNAL_ID));
  }

  private void anAzureSource() {
    sources.source(ORG, SOURCE, "azure");
    sources.authentication(ORG, AUTH, subscription(SUBSCRIPTION));
    azure.delegated.add(SUBSCRIPTION);
  }

  private static Authentication subscription(String id) {
    return new Authentication(
        "202", Authentication.LIGHTHOUSE_SUBSCRIPTION_ID, id, null, null, "Application", "101");
  }

  private static Authentication role(String arn, String externalId) {
    return new Authentication(
        "202",
        Authentication.CLOUD_METER_ARN,
        arn,
        null,
        new Authentication.Extra(externalId),
        "Application",
        "101");
  }

  /** STS as a set of roles that trust us with their external ids. */
  private static final class FakeSts extends StsVerifier {
    final List<String> calls = new ArrayList<>();
    final Set<String> trusting = new java.util.HashSet<>();
    Runnable onVerify = () -> {};

    void trusts(String arn, String externalId) {
      trusting.add(arn + "|" + externalId);
    }

    @Override
    public void verify(RoleArn role, Optional<String> externalId, boolean redrive) {
      calls.add(role.value());
      onVerify.run();
      if (!trusting.contains(role.value() + "|" + externalId.orElse(null))) {
        throw new Rejection(Outcome.ROLE_NOT_ASSUMABLE, "AccessDenied");
      }
    }
  }

  /**
   * Azure as a set of subscriptions delegated to us; what was verified and whose delegation ended.
   */
  private static final class FakeAzure extends AzureVerifier {
    final Set<String> delegated = new java.util.HashSet<>();
    final List<String> calls = new ArrayList<>();
    final List<String> removed = new ArrayList<>();
    boolean configured = true;
    DelegationRemoval result = DelegationRemoval.REMOVED;
    Runnable onVerify = () -> {};
    Runnable onEnd = () -> {};

    @Override
    public boolean configured() {
      return configured;
    }

    @Override
    public void verify(SubscriptionId subscription, boolean redrive) {
      calls.add(subscription.value());
      onVerify.run();
      if (!delegated.contains(subscription.value())) {
        throw new Rejection(Outcome.SUBSCRIPTION_NOT_DELEGATED, "SubscriptionNotFound");
      }
    }

    @Override
    public CompletionStage<DelegationRemoval> endDelegation(SubscriptionId subscription) {
      onEnd.run();
      removed.add(subscription.value());
      return CompletableFuture.completedFuture(result);
    }
  }

  /**
   * The removal of {@code APP}'s destroy (of that application type), as Sources raises it: the
   * application deleted before the event.
   */
  private Function<Caller, Decision> destroyOfApp(long applicationTypeId) {
    sources.forget(ORG, APP);
    return ending.removalOfDestroyed(APP, SOURCE, applicationTypeId, new HashSet<>());
  }
}
