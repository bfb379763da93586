package com.redhat.cloudoreg.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Which peer calls fail, and how, fixed in advance by a seed: the {@code n}-th time a peer receives
 * a given request (method, URL, tenant, body) it answers with an error, answers too late, or
 * answers as itself, as the seed decides for that request and that {@code n}. The plan depends on
 * nothing else — not on the order in which the service's threads happen to send requests — so a
 * run's faults can be told from its seed and its requests alone.
 *
 * @param seed printed in the report; the same seed, the same faults for the same requests
 * @param errorRate the share of calls answered with a 5xx at once
 * @param slowRate the share of calls answered only after the service's call timeout
 */
record FaultPlan(long seed, double errorRate, double slowRate) {
  FaultPlan {
    if (errorRate < 0 || slowRate < 0 || errorRate + slowRate > 1) {
      throw new IllegalArgumentException("rates must be shares of the calls");
    }
  }

  /** How a peer answers one call. */
  enum Fault {
    NONE,
    /** 500 at once: a peer's bug or a crashed pod behind its route. */
    ERROR_500,
    /** 503 at once: a peer overloaded or restarting. */
    ERROR_503,
    /** An answer that comes after the caller gave up: a hung peer. */
    SLOW
  }

  /**
   * The fault for the {@code occurrence}-th (from 1) receipt of {@code request} by {@code peer}.
   */
  Fault decide(String peer, String request, int occurrence) {
    SplittableRandom draw = new SplittableRandom(mix(peer, request, occurrence));
    double u = draw.nextDouble();
    if (u < errorRate) {
      return draw.nextBoolean() ? Fault.ERROR_500 : Fault.ERROR_503;
    }
    return u < errorRate + slowRate ? Fault.SLOW : Fault.NONE;
  }

  private long mix(String peer, String request, int occurrence) {
    // a name-based UUID is a stable 128-bit hash of the request, the same in every JVM
    UUID hash = UUID.nameUUIDFromBytes((peer + '\n' + request).getBytes(StandardCharsets.UTF_8));
    return seed
        ^ hash.getMostSignificantBits()
        ^ Long.rotateLeft(hash.getLeastSignificantBits(), 17)
        ^ (occurrence * 0x9E3779B97F4A7C15L);
  }
}
