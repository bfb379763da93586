package com.redhat.cloudoreg.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pod's memory follows from the benchmark's own figures, by the documented formula. */
class MemorySizingTest {

  @Test
  void theCommittedReportGivesTheCeilingRequestAndLimit() throws IOException {
    // the report of c766584: rounds max 350 and 362 MiB, 109 MiB committed, -Xmx160m
    MemorySizing sizing =
        MemorySizing.fromReport(
            Files.readString(Path.of("src/test/resources/fixtures/benchmark-report-c766584.md")));

    assertThat(sizing.ceilingMiB()).isEqualTo(362 + (160 - 109));
    assertThat(sizing.request()).isEqualTo("416Mi");
    assertThat(sizing.limit()).as("413 × 1.25 = 516.25, up to 64 MiB steps").isEqualTo("576Mi");
  }

  @Test
  void theRoundWithTheHighestRssDecidesWithItsOwnCommittedHeap() {
    MemorySizing sizing =
        MemorySizing.of(
            List.of(new MemorySizing.Round(400, 150), new MemorySizing.Round(380, 100)), 160);

    assertThat(sizing.ceilingMiB()).isEqualTo(410);
    assertThat(sizing.requestMiB()).isEqualTo(416);
    assertThat(sizing.limitMiB()).as("512.5 rounds up to 576").isEqualTo(576);
  }

  @Test
  void exactMultiplesStayAsTheyAre() {
    MemorySizing sizing = MemorySizing.of(List.of(new MemorySizing.Round(384, 128)), 128);

    assertThat(sizing.requestMiB()).isEqualTo(384);
    assertThat(sizing.limitMiB()).isEqualTo(512);
  }

  @Test
  void theLastMaxHeapWinsAsOnACommandLine() {
    assertThat(MemorySizing.maxHeapMiB("-Xms96m -Xmx160m -Xmn24m")).isEqualTo(160);
    assertThat(MemorySizing.maxHeapMiB("-Xmx160m -XX:+UseSerialGC -Xmx1g")).isEqualTo(1024);
    assertThat(MemorySizing.maxHeapMiB("-Xmx262144k")).isEqualTo(256);
    assertThat(MemorySizing.maxHeapMiB("-Xmx268435456")).isEqualTo(256);
    assertThatThrownBy(() -> MemorySizing.maxHeapMiB("-Xms96m -XX:MaxRAMPercentage=80"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReportWithoutMemoryRoundsGivesNoSizing() {
    assertThatThrownBy(
            () -> MemorySizing.fromReport("- service JVM: server `jvm.options`: `-Xmx160m`\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no memory round");
  }
}
