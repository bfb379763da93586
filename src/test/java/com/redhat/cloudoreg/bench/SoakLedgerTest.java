package com.redhat.cloudoreg.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.redhat.cloudoreg.bench.SoakLedger.Application;
import com.redhat.cloudoreg.bench.SoakLedger.DeadLetter;
import com.redhat.cloudoreg.bench.SoakLedger.Grant;
import com.redhat.cloudoreg.bench.SoakLedger.Held;
import com.redhat.cloudoreg.bench.SoakLedger.Judgement;
import com.redhat.cloudoreg.bench.SoakLedger.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The soak's judge can fail: each way the end state can be wrong is found, and only those. */
class SoakLedgerTest {
  private static final String ORG = "20000001";
  private static final String EXTERNAL_ID = "a2f8ec37-6d74-4af8-9e92-000000000001";
  private static final String ACCOUNT = "400000000001";
  private static final String ROLE = role(ACCOUNT);
  private static final String OTHER_ACCOUNT = "400000000002";
  private static final String OTHER_ROLE = role(OTHER_ACCOUNT);

  private final List<Application> live = new ArrayList<>();
  private final List<Held> held = new ArrayList<>();
  private final List<Status> statuses = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();

  @Test
  void aTrustedGrantHeldForItsSourceAndSaidAvailablePasses() {
    live.add(application(1, 10, ROLE));
    held.add(new Held(ORG, ACCOUNT, "10"));
    statuses.add(available(1));

    Judgement judgement = judge();

    assertThat(judgement.passed()).isTrue();
    assertThat(judgement.expectedVerdicts()).containsExactly(entry("available", 1));
  }

  @Test
  void aTrustedGrantNotHeldIsLostTrust() {
    live.add(application(1, 10, ROLE));
    statuses.add(available(1));

    Judgement judgement = judge();

    assertThat(judgement.passed()).isFalse();
    assertThat(judgement.lost())
        .singleElement()
        .extracting(l -> l.heldInstead())
        .isEqualTo("not held at all");
  }

  @Test
  void aTrustedGrantHeldForAnotherSourceIsLostTrustAndTheOtherIsWrongTrust() {
    live.add(application(1, 10, ROLE));
    held.add(new Held(ORG, ACCOUNT, "11"));
    statuses.add(available(1));

    Judgement judgement = judge();

    assertThat(judgement.lost())
        .singleElement()
        .extracting(l -> l.heldInstead())
        .isEqualTo("held for org " + ORG + " source 11");
    assertThat(judgement.wrong())
        .singleElement()
        .extracting(w -> w.why())
        .asString()
        .startsWith("no live application on source 11");
  }

  @Test
  void theReplacedAccountStillHeldBesideTheNewOneIsWrongTrust() {
    live.add(application(1, 10, OTHER_ROLE));
    held.add(new Held(ORG, ACCOUNT, "10"));
    held.add(new Held(ORG, OTHER_ACCOUNT, "10"));
    statuses.add(available(1));

    Judgement judgement = judge();

    assertThat(judgement.lost()).isEmpty();
    assertThat(judgement.wrong())
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.held().account()).isEqualTo(ACCOUNT);
              assertThat(w.why()).contains("implies available (account " + OTHER_ACCOUNT + ")");
            });
  }

  @Test
  void trustOfADestroyedApplicationIsWrongTrustAndItsStatusesAreNotJudged() {
    held.add(new Held(ORG, ACCOUNT, "10"));
    statuses.add(unavailable(1, "CG3100"));

    Judgement judgement = judge();

    assertThat(judgement.wrong()).hasSize(1);
    assertThat(judgement.badStatuses()).isEmpty();
  }

  @Test
  void anInvalidArnMustEndInCg1004WithNoTrustForItsSource() {
    live.add(application(1, 10, "arn:aws:iam::12345:role/typo"));
    held.add(new Held(ORG, ACCOUNT, "10"));
    statuses.add(available(1));

    Judgement judgement = judge();

    assertThat(judgement.expectedVerdicts()).containsExactly(entry("CG1004", 1));
    assertThat(judgement.wrong())
        .singleElement()
        .extracting(w -> w.why())
        .asString()
        .contains("implies CG1004");
    assertThat(judgement.badStatuses())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.expected().code()).isEqualTo("CG1004");
              assertThat(b.last()).isEqualTo("available");
            });
  }

  @Test
  void cg3100OnTheWayIsAllowedButNotAsTheLastWord() {
    live.add(application(1, 10, ROLE));
    live.add(application(2, 20, OTHER_ROLE));
    held.add(new Held(ORG, ACCOUNT, "10"));
    held.add(new Held(ORG, OTHER_ACCOUNT, "20"));
    statuses.add(unavailable(1, "CG3100"));
    statuses.add(available(1));
    statuses.add(available(2));
    statuses.add(unavailable(2, "CG3100"));

    Judgement judgement = judge();

    assertThat(judgement.oursToFinishOnTheWay()).isEqualTo(1);
    assertThat(judgement.oursToFinishAtTheEnd()).isEqualTo(1);
    assertThat(judgement.badStatuses())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.application().id()).isEqualTo(2);
              assertThat(b.last()).isEqualTo("CG3100");
            });
  }

  @Test
  void aLiveApplicationWithoutAnyStatusIsABadStatus() {
    live.add(application(1, 10, ROLE));
    held.add(new Held(ORG, ACCOUNT, "10"));

    assertThat(judge().badStatuses()).singleElement().extracting(b -> b.last()).isEqualTo("none");
  }

  @Test
  void aRoleThatDoesNotTrustUsMustEndInCg3002() {
    live.add(application(1, 10, role("400000000009")));
    statuses.add(unavailable(1, "CG3002"));

    assertThat(judge().passed()).isTrue();
  }

  @Test
  void repeatedStatusesAreCountedNotFailed() {
    live.add(application(1, 10, ROLE));
    held.add(new Held(ORG, ACCOUNT, "10"));
    statuses.add(available(1));
    statuses.add(available(1));

    Judgement judgement = judge();

    assertThat(judgement.passed()).isTrue();
    assertThat(judgement.repeatedStatuses()).isEqualTo(1);
  }

  @Test
  void deadLettersFailTheRunUnlessTheirInputEarnedThem() {
    deadLetters.add(new DeadLetter("malformed Authentication.update: no id", ORG, "x", "{}"));
    assertThat(judge().passed()).isTrue();

    deadLetters.add(new DeadLetter("internal error: ProcessingException", ORG, "x", "{}"));
    Judgement judgement = judge();

    assertThat(judgement.passed()).isFalse();
    assertThat(judgement.deadLetters()).hasSize(2);
    assertThat(judgement.deadLettersNotEarnedByInput())
        .singleElement()
        .extracting(d -> d.reason())
        .isEqualTo("internal error: ProcessingException");
  }

  @Test
  void oneAccountGrantedByTwoLiveApplicationsCannotBeJudgedAndFailsTheRun() {
    live.add(application(1, 10, ROLE));
    live.add(application(2, 20, ROLE));
    held.add(new Held(ORG, ACCOUNT, "10"));
    statuses.add(available(1));
    statuses.add(unavailable(2, "CG1001"));

    Judgement judgement = judge();

    assertThat(judgement.unjudged()).hasSize(2);
    assertThat(judgement.passed()).isFalse();
  }

  private Judgement judge() {
    return SoakLedger.judge(live, held, statuses, deadLetters, SoakLedgerTest::stsTrusts);
  }

  /** STS trusts both roles with the external id, as the soak's stand-in is told. */
  private static boolean stsTrusts(String arn, String externalId) {
    return Set.of(ROLE, OTHER_ROLE).contains(arn) && EXTERNAL_ID.equals(externalId);
  }

  private static Application application(long id, long sourceId, String arn) {
    return new Application(
        ORG, id, sourceId, List.of(new Grant(id + 100, "cloud-meter-arn", arn, EXTERNAL_ID)));
  }

  private static Status available(long applicationId) {
    return new Status(applicationId, "available", "");
  }

  private static Status unavailable(long applicationId, String code) {
    return new Status(applicationId, "unavailable", code);
  }

  private static String role(String account) {
    return "arn:aws:iam::" + account + ":role/redhat-cloud-meter";
  }
}
