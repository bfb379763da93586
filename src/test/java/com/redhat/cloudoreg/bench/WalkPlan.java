package com.redhat.cloudoreg.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * What a reconciliation walk starts from, decided before anything is seeded: the orgs, each with
 * its sources, every source trusted at RHSM (an AWS account; one source in five an Azure
 * subscription); which sources Sources no longer has while RHSM still trusts them (the orphans);
 * which orgs the trust ledger names; and the accounts orgs added by hand. Three kinds of orphan:
 * those of orgs that keep another source (Sources' list names the org), those of orgs whose last
 * source is gone but which the ledger names (they gained trust through the service), and those of
 * orgs whose last source is gone and which no ledger record names (trust from before the service:
 * nothing tells the reconciliation of them). Chosen by a seeded shuffle, so that a run can be
 * repeated and no kind sits at one end of the orgs' sorted order, which the walk follows.
 *
 * @param orgs every org, in the order of their ids
 */
record WalkPlan(List<Org> orgs) {
  /** Org ids of eight digits: their sorted order, the walk's, is their numeric order. */
  static final long FIRST_ORG = 10_000_000L;

  static final long FIRST_SOURCE = 1_000_000L;
  static final long FIRST_APPLICATION = 50_000_000L;

  /** What becomes of an org's sources: it keeps some, or loses all, the ledger naming it or not. */
  private static final int KEEPS = 0;

  private static final int GONE = 1;
  private static final int UNLEDGERED = 2;

  /**
   * How many of each.
   *
   * @param sources sources trusted at RHSM, over every org
   * @param orgs orgs holding that trust, the sources spread evenly over them
   * @param orphans sources gone from Sources in orgs that keep another source
   * @param goneOrgs orgs whose every source is gone, named by the trust ledger
   * @param unledgeredOrgs orgs whose every source is gone, named by no ledger record
   * @param handAdded accounts orgs added by hand (no source), the orgs above first
   * @param seed of the shuffle that chooses which
   */
  record Sizes(
      int sources,
      int orgs,
      int orphans,
      int goneOrgs,
      int unledgeredOrgs,
      int handAdded,
      long seed) {
    Sizes {
      if (orgs < 1 || sources < orgs) {
        throw new IllegalArgumentException(
            "every org needs a source: " + sources + " sources over " + orgs + " orgs");
      }
      if (orphans < 0 || goneOrgs < 0 || unledgeredOrgs < 0 || handAdded < 0) {
        throw new IllegalArgumentException("no negative sizes");
      }
      if (goneOrgs + unledgeredOrgs > orgs) {
        throw new IllegalArgumentException(
            (goneOrgs + unledgeredOrgs) + " orgs without a source, of " + orgs);
      }
    }

    /**
     * {@code walk.sources} (10000) over {@code walk.orgs} (2000); then, by default in proportion:
     * {@code walk.orphans} (1 % of the sources), {@code walk.gone.orgs} (1 % of the orgs), {@code
     * walk.unledgered.orgs} (a quarter of that), {@code walk.hand.added} (one per 50 orgs), each at
     * least one; {@code walk.seed} (1).
     */
    static Sizes fromSystemProperties() {
      int sources = Integer.getInteger("walk.sources", 10_000);
      int orgs = Integer.getInteger("walk.orgs", 2_000);
      return new Sizes(
          sources,
          orgs,
          Integer.getInteger("walk.orphans", Math.max(1, sources / 100)),
          Integer.getInteger("walk.gone.orgs", Math.max(1, orgs / 100)),
          Integer.getInteger("walk.unledgered.orgs", Math.max(1, orgs / 400)),
          Integer.getInteger("walk.hand.added", Math.max(1, orgs / 50)),
          Long.getLong("walk.seed", 1L));
    }
  }

  /**
   * An org as seeded.
   *
   * @param inLedger whether a ledger record names it
   * @param handAdded the AWS accounts it added by hand
   */
  record Org(String id, List<TrustedSource> sources, boolean inLedger, List<String> handAdded) {
    /** Whether Sources' list names it: it keeps a source. */
    boolean listed() {
      return sources.stream().anyMatch(source -> !source.gone());
    }

    /** Whether the reconciliation walks it: Sources' list or the ledger names it. */
    boolean walked() {
      return listed() || inLedger;
    }
  }

  /**
   * A source RHSM trusts, through the account of its provider ({@code AWS} or {@code MSAZ}), and
   * its Cloud Meter application; {@code gone} when Sources no longer has it.
   */
  record TrustedSource(long id, long applicationId, String provider, String account, boolean gone) {
    /** Sources' name of its type. */
    String typeName() {
      return "MSAZ".equals(provider) ? "azure" : "amazon";
    }
  }

  static WalkPlan of(Sizes sizes) {
    Random random = new Random(sizes.seed());
    List<Integer> shuffled = new ArrayList<>(IntStream.range(0, sizes.orgs()).boxed().toList());
    Collections.shuffle(shuffled, random);
    // the shuffle's first orgs lose every source, the ledger naming the first of them
    int[] kind = new int[sizes.orgs()];
    for (int i = 0; i < sizes.goneOrgs() + sizes.unledgeredOrgs(); i++) {
      kind[shuffled.get(i)] = i < sizes.goneOrgs() ? GONE : UNLEDGERED;
    }
    int[] owner = new int[sizes.sources()];
    for (int org = 0; org < sizes.orgs(); org++) {
      for (int n = firstSourceOf(org, sizes); n < firstSourceOf(org + 1, sizes); n++) {
        owner[n] = org;
      }
    }
    boolean[] gone = new boolean[sizes.sources()];
    int[] live = new int[sizes.orgs()];
    List<Integer> candidates = new ArrayList<>();
    for (int n = 0; n < sizes.sources(); n++) {
      int org = owner[n];
      if (kind[org] == KEEPS) {
        live[org]++;
        candidates.add(n);
      } else {
        gone[n] = true;
      }
    }
    Collections.shuffle(candidates, random);
    int orphans = 0;
    for (int n : candidates) {
      if (orphans == sizes.orphans()) {
        break;
      }
      if (live[owner[n]] > 1) {
        gone[n] = true;
        live[owner[n]]--;
        orphans++;
      }
    }
    List<List<String>> handAdded = new ArrayList<>();
    IntStream.range(0, sizes.orgs()).forEach(org -> handAdded.add(new ArrayList<>()));
    for (int k = 0; k < sizes.handAdded(); k++) {
      // the orgs without a source first: what must stay there is all RHSM still holds for them
      handAdded
          .get(shuffled.get(k % sizes.orgs()))
          .add(String.format("%012d", 900_000_000_000L + k));
    }
    List<Org> orgs = new ArrayList<>();
    for (int org = 0; org < sizes.orgs(); org++) {
      List<TrustedSource> sources = new ArrayList<>();
      for (int n = firstSourceOf(org, sizes); n < firstSourceOf(org + 1, sizes); n++) {
        boolean azure = n % 5 == 4;
        sources.add(
            new TrustedSource(
                FIRST_SOURCE + n,
                FIRST_APPLICATION + n,
                azure ? "MSAZ" : "AWS",
                azure
                    ? String.format("00000000-0000-4000-8000-%012d", n)
                    : String.format("%012d", 100_000_000_000L + n),
                gone[n]));
      }
      orgs.add(
          new Org(
              Long.toString(FIRST_ORG + org),
              List.copyOf(sources),
              kind[org] != UNLEDGERED,
              List.copyOf(handAdded.get(org))));
    }
    return new WalkPlan(List.copyOf(orgs));
  }

  /** Sources are spread evenly: org {@code i} has those from {@code i × sources / orgs} on. */
  private static int firstSourceOf(int org, Sizes sizes) {
    return (int) ((long) org * sizes.sources() / sizes.orgs());
  }

  /** The orgs {@code which} accepts. */
  List<Org> orgs(Predicate<Org> which) {
    return orgs.stream().filter(which).toList();
  }

  /** The sources {@code which} accepts, of the orgs {@code of} accepts. */
  List<TrustedSource> sources(Predicate<Org> of, Predicate<TrustedSource> which) {
    return orgs.stream().filter(of).flatMap(org -> org.sources().stream()).filter(which).toList();
  }

  /** Orphans of orgs Sources' list still names. */
  static boolean keepsASource(Org org) {
    return org.listed();
  }

  /** Orgs whose every source is gone that the ledger names. */
  static boolean lostEverySourceInLedger(Org org) {
    return !org.listed() && org.inLedger();
  }

  /** Orgs whose every source is gone that nothing names. */
  static boolean lostEverySourceUnledgered(Org org) {
    return !org.walked();
  }
}
