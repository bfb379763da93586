package com.redhat.cloudoreg.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's judge. From what Sources holds at the end it computes what must be true — which
 * accounts RHSM holds for which org and source, what each application's last status says — and
 * compares that with what RHSM holds and what the service published. It knows the rules from the
 * contract (outcomes.md), not from the service's code, so that a mistake in one is not repeated in
 * the other. Pure: the soak hands it the end state, {@code SoakLedgerTest} made-up ones.
 */
final class SoakLedger {
  static final String AVAILABLE = "available";
  static final String UNAVAILABLE = "unavailable";

  /** Ours to finish: allowed on the way, never as the last word. */
  static final String OURS_TO_FINISH = "CG3100";

  private static final String AWS_ROLE = "cloud-meter-arn";

  /** An IAM role of the commercial partition: 12 digits of account, {@code role/} and its name. */
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws:iam::(\\d{12}):role(/[\\w+=,.@-]+)+");

  /** The reasons of dead letters the input itself earned: no retry could ever fix those. */
  private static final List<String> INPUT_REASONS =
      List.of("malformed ", "no tenant", "no event_type");

  private SoakLedger() {}

  /**
   * An application Sources holds at the end (its source too), with the grants whose resource it is.
   */
  record Application(String orgId, long id, long sourceId, List<Grant> grants) {}

  /** An authentication as Sources holds it. */
  record Grant(long authenticationId, String authtype, String username, String externalId) {}

  /** An account RHSM holds for an org; {@code sourceId} null when the org added it by hand. */
  record Held(String orgId, String account, String sourceId) {}

  /** A status as published; {@code code} empty when available. */
  record Status(long applicationId, String status, String code) {
    String text() {
      return AVAILABLE.equals(status) ? AVAILABLE : code;
    }
  }

  /** A dead letter and why it was kept (its {@code cloudoreg-error} header). */
  record DeadLetter(String reason, String key, String eventType, String body) {
    boolean earnedByItsInput() {
      return reason != null && INPUT_REASONS.stream().anyMatch(reason::startsWith);
    }
  }

  /** What a grant implies: trust in {@code account}, or a status with that code. */
  record Verdict(String status, String code, String account) {
    static Verdict available(String account) {
      return new Verdict(AVAILABLE, "", account);
    }

    static Verdict unavailable(String code) {
      return new Verdict(UNAVAILABLE, code, null);
    }

    boolean trusted() {
      return AVAILABLE.equals(status);
    }

    boolean saidBy(Status published) {
      return status.equals(published.status()) && code.equals(published.code());
    }

    String text() {
      return trusted() ? "available (account " + account + ")" : code;
    }
  }

  /**
   * The verdict a grant implies: not an AWS role CG2001, no external id CG2005, not a role ARN of
   * the commercial partition CG1004, a role that does not trust us with that external id CG3002.
   */
  static Verdict verdictOf(Grant grant, BiPredicate<String, String> stsTrusts) {
    if (!AWS_ROLE.equals(grant.authtype())) {
      return Verdict.unavailable("CG2001");
    }
    Matcher arn = ROLE_ARN.matcher(grant.username() == null ? "" : grant.username());
    if (!arn.matches()) {
      return Verdict.unavailable("CG1004");
    }
    if (grant.externalId() == null || grant.externalId().isBlank()) {
      return Verdict.unavailable("CG2005");
    }
    return stsTrusts.test(grant.username(), grant.externalId())
        ? Verdict.available(arn.group(1))
        : Verdict.unavailable("CG3002");
  }

  /** A grant that should be trusted and is not: RHSM holds its account elsewhere, or not at all. */
  record Lost(Application application, Verdict expected, String heldInstead) {}

  /** An account RHSM holds through a source that no live grant justifies. */
  record Wrong(Held held, String why) {}

  /** An application whose last status is not what its grant implies ({@code last}: "none"). */
  record BadStatus(Application application, Verdict expected, String last) {}

  /** An application the judge cannot rule on (the soak should never make one). */
  record Unjudged(Application application, String why) {}

  /**
   * @param expectedVerdicts how many applications' grants imply each verdict ("available",
   *     "CG1004", …)
   */
  record Judgement(
      int applications,
      Map<String, Integer> expectedVerdicts,
      List<Lost> lost,
      List<Wrong> wrong,
      List<BadStatus> badStatuses,
      List<Unjudged> unjudged,
      int statuses,
      int repeatedStatuses,
      int oursToFinishOnTheWay,
      int oursToFinishAtTheEnd,
      List<DeadLetter> deadLetters,
      List<DeadLetter> deadLettersNotEarnedByInput) {
    boolean passed() {
      return lost.isEmpty()
          && wrong.isEmpty()
          && badStatuses.isEmpty()
          && unjudged.isEmpty()
          && deadLettersNotEarnedByInput.isEmpty();
    }
  }

  /**
   * @param live the applications Sources holds at the end, each on a source it holds
   * @param held every account RHSM holds for the orgs concerned
   * @param statuses every status published, in the order Kafka holds them per org
   */
  static Judgement judge(
      List<Application> live,
      List<Held> held,
      List<Status> statuses,
      List<DeadLetter> deadLetters,
      BiPredicate<String, String> stsTrusts) {
    Map<Long, List<Status>> statusesOf = new HashMap<>();
    statuses.forEach(
        s -> statusesOf.computeIfAbsent(s.applicationId(), id -> new ArrayList<>()).add(s));

    Map<Application, Verdict> verdicts = new LinkedHashMap<>();
    List<Unjudged> unjudged = new ArrayList<>();
    for (Application application : live) {
      if (application.grants().size() != 1) {
        unjudged.add(new Unjudged(application, application.grants().size() + " authentications"));
      } else {
        verdicts.put(application, verdictOf(application.grants().get(0), stsTrusts));
      }
    }
    // one account, several live grants: which of them RHSM holds it for is a race, not a rule
    Map<String, List<Application>> byAccount = new HashMap<>();
    verdicts.forEach(
        (application, verdict) -> {
          if (verdict.trusted()) {
            byAccount.computeIfAbsent(verdict.account(), a -> new ArrayList<>()).add(application);
          }
        });
    byAccount.values().stream()
        .filter(sharing -> sharing.size() > 1)
        .flatMap(List::stream)
        .forEach(
            application -> {
              unjudged.add(
                  new Unjudged(
                      application,
                      "account " + verdicts.get(application).account() + " is granted twice"));
              verdicts.remove(application);
            });

    Map<String, Set<String>> justified = new HashMap<>();
    verdicts.forEach(
        (application, verdict) -> {
          if (verdict.trusted()) {
            justified
                .computeIfAbsent(
                    application.orgId() + "/" + application.sourceId(), s -> new HashSet<>())
                .add(verdict.account());
          }
        });

    List<Lost> lost = new ArrayList<>();
    List<BadStatus> bad = new ArrayList<>();
    Map<String, Integer> expectedVerdicts = new TreeMap<>();
    int oursAtTheEnd = 0;
    for (var entry : verdicts.entrySet()) {
      Application application = entry.getKey();
      Verdict expected = entry.getValue();
      expectedVerdicts.merge(expected.trusted() ? AVAILABLE : expected.code(), 1, Integer::sum);
      if (expected.trusted()) {
        Held wanted =
            new Held(
                application.orgId(), expected.account(), Long.toString(application.sourceId()));
        if (!held.contains(wanted)) {
          lost.add(new Lost(application, expected, whereHeld(held, expected.account())));
        }
      }
      List<Status> published = statusesOf.getOrDefault(application.id(), List.of());
      Status last = published.isEmpty() ? null : published.get(published.size() - 1);
      if (last == null || !expected.saidBy(last)) {
        bad.add(new BadStatus(application, expected, last == null ? "none" : last.text()));
        if (last != null && OURS_TO_FINISH.equals(last.code())) {
          oursAtTheEnd++;
        }
      }
    }

    List<Wrong> wrong = new ArrayList<>();
    for (Held account : held) {
      if (account.sourceId() == null) {
        continue; // the org's own, added by hand: not ours to justify
      }
      Set<String> accounts =
          justified.getOrDefault(account.orgId() + "/" + account.sourceId(), Set.of());
      if (!accounts.contains(account.account())) {
        wrong.add(new Wrong(account, whyWrong(account, live, verdicts)));
      }
    }

    int repeated = 0;
    int oursAll = 0;
    for (List<Status> published : statusesOf.values()) {
      for (int i = 0; i < published.size(); i++) {
        if (OURS_TO_FINISH.equals(published.get(i).code())) {
          oursAll++;
        }
        if (i > 0 && published.get(i).equals(published.get(i - 1))) {
          repeated++;
        }
      }
    }
    return new Judgement(
        live.size(),
        expectedVerdicts,
        lost,
        wrong,
        bad,
        unjudged,
        statuses.size(),
        repeated,
        oursAll - oursAtTheEnd,
        oursAtTheEnd,
        List.copyOf(deadLetters),
        deadLetters.stream().filter(letter -> !letter.earnedByItsInput()).toList());
  }

  private static String whereHeld(List<Held> held, String account) {
    List<String> where =
        held.stream()
            .filter(h -> h.account().equals(account))
            .map(h -> "org " + h.orgId() + " source " + h.sourceId())
            .toList();
    return where.isEmpty() ? "not held at all" : "held for " + String.join(", ", where);
  }

  private static String whyWrong(
      Held account, List<Application> live, Map<Application, Verdict> verdicts) {
    List<String> onSource =
        live.stream()
            .filter(
                a ->
                    a.orgId().equals(account.orgId())
                        && Long.toString(a.sourceId()).equals(account.sourceId()))
            .map(
                a ->
                    "application "
                        + a.id()
                        + Optional.ofNullable(verdicts.get(a))
                            .map(verdict -> "'s grant implies " + verdict.text())
                            .orElse(" cannot be judged"))
            .toList();
    return onSource.isEmpty()
        ? "no live application on source " + account.sourceId() + " (destroyed, or its source)"
        : String.join("; ", onSource);
  }
}
