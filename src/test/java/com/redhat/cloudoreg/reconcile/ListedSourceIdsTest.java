package com.redhat.cloudoreg.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ListedSourceIdsTest {
  @Test
  void everyListedIdIsFoundAndNoOtherInAnyOrderTheyCame() {
    List<Long> listed =
        new ArrayList<>(LongStream.range(0, 5_000).map(n -> n * 3 + 1).boxed().toList());
    Collections.shuffle(listed, new Random(7));
    ListedSourceIds ids = new ListedSourceIds();
    listed.forEach(id -> ids.add(Long.toString(id)));

    assertThat(ids.size()).isEqualTo(5_000);
    for (long n = 0; n < 3 * 5_000 + 3; n++) {
      assertThat(ids.test(Long.toString(n)))
          .as("source %d", n)
          .isEqualTo(n % 3 == 1 && n < 3 * 5_000);
    }
  }

  /** Pages that shifted while the list was walked may name a source twice, or out of order. */
  @Test
  void anIdListedTwiceOrLateIsStillFound() {
    ListedSourceIds ids = new ListedSourceIds();
    for (String id : List.of("10", "20", "20", "15", "9007199254740993")) {
      ids.add(id);
    }

    assertThat(ids.test("15")).isTrue();
    assertThat(ids.test("20")).isTrue();
    assertThat(ids.test("9007199254740993")).as("past a double's exact range").isTrue();
    assertThat(ids.test("9007199254740992")).isFalse();
    ids.add("12");
    assertThat(ids.test("12")).as("added after a lookup").isTrue();
  }

  @Test
  void anIdThatIsNoNumberMatchesNothing() {
    ListedSourceIds ids = new ListedSourceIds();
    ids.add("abc");
    ids.add("55");

    assertThat(ids.test("abc")).isFalse();
    assertThat(ids.test("")).isFalse();
    assertThat(ids.test("055")).as("the same number").isTrue();
    assertThat(ids.size()).isEqualTo(1);
  }
}
