package com.redhat.cloudoreg.stack;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.ScenarioMappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.util.function.Supplier;

/** A stand-in answering the same request differently each time: the first answer, the next, … */
public final class InTurn {
  private InTurn() {}

  /**
   * The n-th matching request gets the n-th answer; the last answer stays. Stubbed above the
   * defaults, so it wins where both match.
   */
  public static void answer(
      WireMockServer server,
      Supplier<MappingBuilder> request,
      ResponseDefinitionBuilder... answers) {
    String scenario = "in-turn-" + System.nanoTime();
    for (int i = 0; i < answers.length; i++) {
      ScenarioMappingBuilder mapping =
          request
              .get()
              .atPriority(1)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "answered " + i)
              .willReturn(answers[i]);
      if (i < answers.length - 1) {
        mapping = mapping.willSetStateTo("answered " + (i + 1));
      }
      server.stubFor(mapping);
    }
  }

  /**
   * The first {@code times} matching requests get {@code failure}; every later one is answered as
   * if this was never stubbed (the stand-in's state, or its other stubs): a peer that heals.
   */
  public static void failFirst(
      WireMockServer server,
      Supplier<MappingBuilder> request,
      int times,
      ResponseDefinitionBuilder failure) {
    String scenario = "fail-first-" + System.nanoTime();
    for (int i = 0; i < times; i++) {
      server.stubFor(
          request
              .get()
              .atPriority(1)
              .inScenario(scenario)
              .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed " + i)
              .willSetStateTo("failed " + (i + 1))
              .willReturn(failure));
    }
  }
}
