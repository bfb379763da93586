package com.redhat.cloudoreg.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.matching.MatchResult;
import com.github.tomakehurst.wiremock.matching.ValueMatcher;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.bench.FaultPlan.Fault;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A {@link FaultPlan} served by one WireMock stand-in: three stubs above all of the stand-in's own
 * (priorities 1 to 3: a 500, a 503, a late answer) whose matcher asks the plan about each request.
 * A call the plan leaves alone matches none of them and is answered by the stand-in as if nothing
 * were stubbed (its state, its other stubs). A faulted call changes nothing in the stand-in's state
 * — the peer failed before doing anything — and still passes the stand-in's own checks of our
 * requests. Off until {@link #on()}, so that the service's start and a warm-up are not faulted.
 */
final class PeerFaults {
  private final String peer;
  private final String tenantHeader;
  private final FaultPlan plan;
  private final Duration late;
  private final IntFunction<ResponseDefinitionBuilder> error;
  private volatile boolean on;

  /** How often each request was received while faults were on. */
  private final Map<String, AtomicInteger> occurrences = new ConcurrentHashMap<>();

  /**
   * The plan's answer for a request the first stub drew it for, until a stub took it or the last
   * stub looked: WireMock asks the stubs one by one, in order of priority, for the same request.
   */
  private final Map<UUID, Fault> drawn = new ConcurrentHashMap<>();

  private final Map<Fault, AtomicLong> served = new EnumMap<>(Fault.class);
  private final AtomicLong calls = new AtomicLong();

  /**
   * @param peer the plan's name for the peer ({@code sources}, {@code rhsm})
   * @param tenantHeader the header naming the tenant, part of what a request is
   * @param late how long a slow answer takes: longer than the service's call timeout
   * @param error the peer's own error answer with that status
   */
  PeerFaults(
      String peer,
      String tenantHeader,
      FaultPlan plan,
      Duration late,
      IntFunction<ResponseDefinitionBuilder> error) {
    this.peer = peer;
    this.tenantHeader = tenantHeader;
    this.plan = plan;
    this.late = late;
    this.error = error;
    for (Fault fault : Fault.values()) {
      served.put(fault, new AtomicLong());
    }
  }

  /** Adds the stubs; call again after the stand-in was reset. */
  void install(WireMockServer server) {
    server.stubFor(
        any(anyUrl()).atPriority(1).andMatching(answers(Fault.ERROR_500)).willReturn(error(500)));
    server.stubFor(
        any(anyUrl()).atPriority(2).andMatching(answers(Fault.ERROR_503)).willReturn(error(503)));
    server.stubFor(
        any(anyUrl())
            .atPriority(3)
            .andMatching(answers(Fault.SLOW))
            .willReturn(error(503).withFixedDelay((int) late.toMillis())));
  }

  private ResponseDefinitionBuilder error(int status) {
    return error.apply(status);
  }

  void on() {
    on = true;
  }

  void off() {
    on = false;
  }

  /** Calls received while faults were on. */
  long calls() {
    return calls.get();
  }

  /** Calls answered with that fault. */
  long served(Fault fault) {
    return served.get(fault).get();
  }

  String describe() {
    return String.format(
        "%s: %,d calls while on; %,d answered 500, %,d answered 503, %,d answered after %d ms",
        peer,
        calls(),
        served(Fault.ERROR_500),
        served(Fault.ERROR_503),
        served(Fault.SLOW),
        late.toMillis());
  }

  private ValueMatcher<Request> answers(Fault mine) {
    boolean lastToLook = mine == Fault.SLOW;
    return request -> {
      if (!on) {
        return MatchResult.noMatch();
      }
      UUID id = idOf(request);
      Fault planned = drawn.computeIfAbsent(id, first -> draw(request));
      boolean taken = planned == mine;
      if (taken || lastToLook) {
        drawn.remove(id);
      }
      if (taken) {
        served.get(mine).incrementAndGet();
      }
      return MatchResult.of(taken);
    };
  }

  private Fault draw(Request request) {
    calls.incrementAndGet();
    String what =
        what(
            request.getMethod().getName(),
            request.getUrl(),
            request.getHeader(tenantHeader),
            request.getBodyAsString());
    int occurrence = occurrences.computeIfAbsent(what, w -> new AtomicInteger()).incrementAndGet();
    return plan.decide(peer, what, occurrence);
  }

  /** What a request is, to the plan: the same call of the same tenant with the same body. */
  static String what(String method, String url, String tenant, String body) {
    return method + " " + url + " " + tenant + " " + body;
  }

  /**
   * WireMock matches the request it logs, which carries an id of its own: the one thing that tells
   * two receipts of the same request apart.
   */
  private static UUID idOf(Request request) {
    if (request instanceof LoggedRequest logged && logged.getId() != null) {
      return logged.getId();
    }
    throw new IllegalStateException("WireMock matched a request without an id: " + request);
  }
}
