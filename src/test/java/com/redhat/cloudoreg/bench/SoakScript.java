package com.redhat.cloudoreg.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What the soak's customers do, as Sources emits it: per org, sources created, their applications'
 * grants changed (another role, a typo and its fix), paused and unpaused, re-sent by Sources' retry
 * job, destroyed (an application, or its source with it) and sometimes added again; the orgs
 * interleaved at random, each org's own order kept. A few steps follow the one before at once
 * ({@link Step#glued}): a typo fixed within seconds, an application added back right after its
 * removal. Fixed by its seed: the same seed, the same script.
 */
final class SoakScript {
  static final String AWS_ROLE_NAME = "redhat-cloud-meter";

  private static final long FIRST_ORG = 20_000_000;
  private static final long FIRST_WARM_UP_ORG = 29_000_000;

  /** Steps a source's application goes through after its create: 2 to 6. */
  private static final int MIN_ACTIONS = 2;

  private static final int MORE_ACTIONS = 5;

  private final Random random;
  private long nextSource = 1_000_000;
  private long nextApplication = 2_000_000;
  private long nextAuthentication = 3_000_000;
  private long nextLink = 4_000_000;
  private long nextAccount = 400_000_000_000L;
  private long nextRoleName = 1;

  SoakScript(long seed) {
    random = new Random(seed);
  }

  /** What happens, and which event Sources emits after changing its rows for it. */
  enum Kind {
    CREATE("ApplicationAuthentication.create"),
    /** The create again, as Sources' retry job re-sends it for an application still in progress. */
    RESENT_CREATE("ApplicationAuthentication.create"),
    /** The grant changed to a role of another AWS account. */
    UPDATE_NEW_ACCOUNT("Authentication.update"),
    /** The grant changed to another role of the same AWS account. */
    UPDATE_SAME_ACCOUNT("Authentication.update"),
    /** The grant changed to an ARN that is not a valid role ARN. */
    UPDATE_INVALID("Authentication.update"),
    /** ...and back to the valid role it had. */
    UPDATE_BACK("Authentication.update"),
    PAUSE("Application.pause"),
    UNPAUSE("Application.unpause"),
    DESTROY_APPLICATION("Application.destroy"),
    /** The source destroyed: its application gone with it; the cascade's application event. */
    DESTROY_SOURCE("Application.destroy"),
    /** The cascade's last event. */
    SOURCE_DESTROYED("Source.destroy");

    final String eventType;

    Kind(String eventType) {
      this.eventType = eventType;
    }

    boolean updatesTheGrant() {
      return eventType.equals("Authentication.update");
    }
  }

  /**
   * One step: the ids it concerns, and for a create or an update the grant it leaves (ARN and
   * external id). {@code glued}: emitted right after the step before it of the same org.
   */
  record Step(
      String orgId,
      String accountNumber,
      Kind kind,
      long sourceId,
      long applicationId,
      long authenticationId,
      long applicationAuthenticationId,
      String arn,
      String externalId,
      boolean glued) {}

  /** Creates of valid, trusting roles, org after org, in order: the service's warm-up. */
  List<Step> warmUp(int orgs, int creates) {
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < creates; i++) {
      Org org = new Org(FIRST_WARM_UP_ORG + i % orgs);
      Source source = new Source(org);
      steps.add(source.create(role(nextAccount(), AWS_ROLE_NAME), false));
    }
    return steps;
  }

  /** At least {@code minOrgs} orgs and {@code minEvents} events, interleaved. */
  List<Step> soak(int minOrgs, int minEvents) {
    List<List<List<Step>>> orgs = new ArrayList<>();
    int events = 0;
    while (orgs.size() < minOrgs || events < minEvents) {
      List<List<Step>> units = org(new Org(FIRST_ORG + orgs.size()));
      orgs.add(units);
      events += units.stream().mapToInt(List::size).sum();
    }
    return interleave(orgs).stream().flatMap(List::stream).toList();
  }

  /** One org: one to three sources, their steps interleaved, each source's order kept. */
  private List<List<Step>> org(Org org) {
    double draw = random.nextDouble();
    int sources = draw < 0.4 ? 1 : draw < 0.8 ? 2 : 3;
    List<List<List<Step>>> lifecycles = new ArrayList<>();
    for (int i = 0; i < sources; i++) {
      lifecycles.add(new Source(org).lifecycle());
    }
    return interleave(lifecycles);
  }

  /**
   * A uniformly random interleaving of the lists' units, each list's order kept: every list's index
   * once per unit of it, shuffled, then each index takes its list's next unit.
   */
  private <T> List<T> interleave(List<List<T>> lists) {
    List<Integer> turns = new ArrayList<>();
    for (int i = 0; i < lists.size(); i++) {
      turns.addAll(Collections.nCopies(lists.get(i).size(), i));
    }
    Collections.shuffle(turns, random);
    int[] next = new int[lists.size()];
    List<T> merged = new ArrayList<>();
    for (int turn : turns) {
      merged.add(lists.get(turn).get(next[turn]++));
    }
    return merged;
  }

  private String nextAccount() {
    return String.format("%012d", nextAccount++);
  }

  private static final String IAM = "arn:aws:iam::";

  static String role(String account, String name) {
    return IAM + account + ":role/" + name;
  }

  private static String accountOf(String roleArn) {
    return roleArn.substring(IAM.length(), IAM.length() + 12);
  }

  /** ARNs a customer could type by mistake; every one is refused without asking AWS (CG1004). */
  private String invalidArn(String validArn) {
    String account = accountOf(validArn);
    return switch (random.nextInt(3)) {
      case 0 -> role(account.substring(1), AWS_ROLE_NAME); // a digit short
      case 1 -> validArn.replace("arn:aws:", "arn:aws-cn:"); // another partition
      default -> IAM + account + ":user/" + AWS_ROLE_NAME; // a user, not a role
    };
  }

  private record Org(String id, String accountNumber) {
    Org(long id) {
      this(Long.toString(id), Long.toString(id - 10_000_000));
    }
  }

  /** A source of an org and its one Cloud Meter application, as a customer goes through them. */
  private final class Source {
    private final Org org;
    private final long id = nextSource++;
    private final String externalId = String.format("a2f8ec37-6d74-4af8-9e92-%012d", id);
    private long application;
    private long authentication;
    private long link;

    /** The role the customer means; the grant may hold a typo meanwhile. */
    private String validArn;

    Source(Org org) {
      this.org = org;
    }

    /** A new application on the source, its grant that role. */
    Step create(String arn, boolean glued) {
      application = nextApplication++;
      authentication = nextAuthentication++;
      link = nextLink++;
      validArn = arn;
      return step(Kind.CREATE, arn, glued);
    }

    Step step(Kind kind, String arn, boolean glued) {
      return new Step(
          org.id(),
          org.accountNumber(),
          kind,
          id,
          application,
          authentication,
          link,
          arn,
          externalId,
          glued);
    }

    /** The source's steps, grouped in units of glued steps. */
    List<List<Step>> lifecycle() {
      List<List<Step>> units = new ArrayList<>();
      units.add(new ArrayList<>(List.of(create(role(nextAccount(), AWS_ROLE_NAME), false))));
      boolean paused = false;
      boolean invalid = false;
      int unpauseIn = -1;
      int backIn = -1;
      int actions = MIN_ACTIONS + random.nextInt(MORE_ACTIONS);
      for (int action = 0; action < actions; action++) {
        // what was due after this many other steps: -1 when nothing is
        if (unpauseIn == 0) {
          units.add(unit(step(Kind.UNPAUSE, null, false)));
          paused = false;
        }
        if (backIn == 0) {
          units.add(unit(step(Kind.UPDATE_BACK, validArn, false)));
          invalid = false;
        }
        unpauseIn = Math.max(-1, unpauseIn - 1);
        backIn = Math.max(-1, backIn - 1);
        double draw = random.nextDouble();
        if (draw < 0.22) {
          units.add(unit(step(Kind.RESENT_CREATE, null, false)));
        } else if (draw < 0.42) {
          if (invalid) {
            // the customer fixes the typo by typing the role again
            units.add(unit(step(Kind.UPDATE_BACK, validArn, false)));
            invalid = false;
            backIn = -1;
          } else if (random.nextDouble() < 0.3) {
            validArn = role(accountOf(validArn), AWS_ROLE_NAME + "-" + nextRoleName++);
            units.add(unit(step(Kind.UPDATE_SAME_ACCOUNT, validArn, false)));
          } else {
            validArn = role(nextAccount(), AWS_ROLE_NAME);
            units.add(unit(step(Kind.UPDATE_NEW_ACCOUNT, validArn, false)));
          }
        } else if (draw < 0.60) {
          if (!invalid) {
            List<Step> unit = unit(step(Kind.UPDATE_INVALID, invalidArn(validArn), false));
            invalid = true;
            // mostly fixed, soon or at once; a fifth of the typos stay (unless a later change
            // types the role again)
            backIn = random.nextDouble() < 0.8 ? random.nextInt(3) : -1;
            if (backIn == 0 && random.nextBoolean()) {
              unit.add(step(Kind.UPDATE_BACK, validArn, true));
              invalid = false;
              backIn = -1;
            }
            units.add(unit);
          }
        } else if (draw < 0.78) {
          if (!paused) {
            List<Step> unit = unit(step(Kind.PAUSE, null, false));
            paused = true;
            unpauseIn = random.nextInt(3);
            if (unpauseIn == 0 && random.nextBoolean()) {
              unit.add(step(Kind.UNPAUSE, null, true));
              paused = false;
              unpauseIn = -1;
            }
            units.add(unit);
          }
        } else if (draw < 0.92) {
          List<Step> unit = unit(step(Kind.DESTROY_APPLICATION, null, false));
          units.add(unit);
          if (random.nextBoolean()) {
            return units; // the source stays, without Cloud Meter
          }
          // added back to the same source, the role the customer means
          boolean atOnce = random.nextDouble() < 0.3;
          Step again = create(validArn, atOnce);
          if (atOnce) {
            unit.add(again);
          } else {
            units.add(unit(again));
          }
          paused = false;
          invalid = false;
          unpauseIn = -1;
          backIn = -1;
        } else {
          units.add(
              new ArrayList<>(
                  List.of(
                      step(Kind.DESTROY_SOURCE, null, false),
                      step(Kind.SOURCE_DESTROYED, null, true))));
          return units;
        }
      }
      if (paused) {
        units.add(unit(step(Kind.UNPAUSE, null, false)));
      }
      if (invalid && backIn >= 0) {
        units.add(unit(step(Kind.UPDATE_BACK, validArn, false)));
      }
      return units;
    }

    private List<Step> unit(Step step) {
      return new ArrayList<>(List.of(step));
    }
  }
}
