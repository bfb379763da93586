package com.redhat.cloudoreg.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.redhat.cloudoreg.bench.WalkPlan.Org;
import com.redhat.cloudoreg.bench.WalkPlan.TrustedSource;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The walk's seed has the sizes asked for, and each kind of orphan is what it says. */
class WalkPlanTest {
  private static final WalkPlan.Sizes FULL = new WalkPlan.Sizes(10_000, 2_000, 100, 20, 5, 40, 1);

  @Test
  void theSourcesAreSpreadEvenlyOverTheOrgsWithIdsOfTheirOwn() {
    WalkPlan plan = WalkPlan.of(FULL);

    assertThat(plan.orgs()).hasSize(2_000).allSatisfy(org -> assertThat(org.sources()).hasSize(5));
    assertThat(distinct(plan, org -> List.of(org.id()))).isEqualTo(2_000);
    assertThat(distinct(plan, org -> org.sources().stream().map(TrustedSource::id).toList()))
        .isEqualTo(10_000);
    assertThat(distinct(plan, org -> org.sources().stream().map(TrustedSource::account).toList()))
        .isEqualTo(10_000);
    assertThat(plan.orgs().stream().map(Org::id).toList())
        .as("the walk's order, the ids' sorted order, is the plan's")
        .isSorted();
    assertThat(plan.sources(org -> true, source -> source.provider().equals("MSAZ")))
        .hasSize(2_000)
        .allSatisfy(source -> assertThat(source.typeName()).isEqualTo("azure"));
  }

  @Test
  void eachKindOfOrphanHasItsSize() {
    WalkPlan plan = WalkPlan.of(FULL);

    assertThat(plan.sources(WalkPlan::keepsASource, TrustedSource::gone)).hasSize(100);
    assertThat(plan.orgs(WalkPlan::lostEverySourceInLedger)).hasSize(20);
    assertThat(plan.sources(WalkPlan::lostEverySourceInLedger, TrustedSource::gone)).hasSize(100);
    assertThat(plan.orgs(WalkPlan::lostEverySourceUnledgered)).hasSize(5);
    assertThat(plan.sources(org -> true, TrustedSource::gone)).hasSize(225);
  }

  @Test
  void onlyOrgsWhoseEverySourceIsGoneAreOutOfTheLedgerAndOutOfSourcesList() {
    WalkPlan plan = WalkPlan.of(FULL);

    assertThat(plan.orgs(org -> !org.inLedger()))
        .containsExactlyElementsOf(plan.orgs(WalkPlan::lostEverySourceUnledgered));
    assertThat(plan.orgs(Org::walked)).hasSize(1_995);
    assertThat(plan.orgs(Org::listed)).hasSize(1_975);
  }

  @Test
  void handAddedAccountsGoFirstToTheOrgsThatLostEverySource() {
    WalkPlan plan = WalkPlan.of(FULL);

    assertThat(plan.orgs(org -> !org.listed()))
        .hasSize(25)
        .allSatisfy(org -> assertThat(org.handAdded()).hasSize(1));
    assertThat(plan.orgs().stream().mapToInt(org -> org.handAdded().size()).sum()).isEqualTo(40);
    assertThat(distinct(plan, Org::handAdded)).isEqualTo(40);
  }

  @Test
  void theSameSeedGivesTheSamePlanAndAnotherSeedAnother() {
    assertThat(WalkPlan.of(FULL)).isEqualTo(WalkPlan.of(FULL));
    assertThat(WalkPlan.of(new WalkPlan.Sizes(10_000, 2_000, 100, 20, 5, 40, 2)))
        .isNotEqualTo(WalkPlan.of(FULL));
  }

  @Test
  void unevenSizesStillGiveEveryOrgASourceAndNoMoreOrphansThanCanBe() {
    WalkPlan plan = WalkPlan.of(new WalkPlan.Sizes(7, 3, 10, 1, 0, 0, 1));

    assertThat(plan.orgs()).allSatisfy(org -> assertThat(org.sources()).isNotEmpty());
    assertThat(plan.sources(org -> true, source -> true)).hasSize(7);
    assertThat(plan.orgs(WalkPlan::keepsASource))
        .as("an org keeps at least one source unless it is one of the gone orgs")
        .hasSize(2);
  }

  @Test
  void impossibleSizesAreRefused() {
    assertThatThrownBy(() -> new WalkPlan.Sizes(5, 10, 0, 0, 0, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WalkPlan.Sizes(100, 10, 0, 8, 3, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static long distinct(WalkPlan plan, Function<Org, Collection<?>> values) {
    return plan.orgs().stream()
        .flatMap(org -> values.apply(org).stream())
        .filter(Objects::nonNull)
        .distinct()
        .count();
  }
}
