package com.redhat.cloudoreg.policy;

import com.redhat.cloudoreg.outcome.PeerAnswer;
import com.redhat.cloudoreg.outcome.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * One circuit breaker per peer, MP Fault Tolerance's, fed by first attempts only ({@link Guard}): a
 * breaker is there so that a flood of new work fails fast while a peer is down, and new work is
 * what tells whether it is. An item that is tried again after failing (ours to finish) comes back
 * at its own growing pace and may fail for reasons of its own — one application whose read fails
 * for good must not hold the breaker open for everybody else. A customer's refusal and a peer's
 * ordinary answer (not found, already there) are no failure of the peer.
 */
@ApplicationScoped
public class Breakers {
  @CircuitBreaker(
      requestVolumeThreshold = Policy.BREAKER_WINDOW,
      failureRatio = Policy.BREAKER_FAILURE_RATIO,
      delay = Policy.BREAKER_OPEN_MS,
      skipOn = {Rejection.class, PeerAnswer.class})
  public <T> T sources(Supplier<T> call) {
    return call.get();
  }

  @CircuitBreaker(
      requestVolumeThreshold = Policy.BREAKER_WINDOW,
      failureRatio = Policy.BREAKER_FAILURE_RATIO,
      delay = Policy.BREAKER_OPEN_MS,
      skipOn = {Rejection.class, PeerAnswer.class})
  public <T> T rhsm(Supplier<T> call) {
    return call.get();
  }

  @CircuitBreaker(
      requestVolumeThreshold = Policy.BREAKER_WINDOW,
      failureRatio = Policy.BREAKER_FAILURE_RATIO,
      delay = Policy.BREAKER_OPEN_MS,
      skipOn = {Rejection.class, PeerAnswer.class})
  public <T> T sts(Supplier<T> call) {
    return call.get();
  }

  @CircuitBreaker(
      requestVolumeThreshold = Policy.BREAKER_WINDOW,
      failureRatio = Policy.BREAKER_FAILURE_RATIO,
      delay = Policy.BREAKER_OPEN_MS,
      skipOn = {Rejection.class, PeerAnswer.class})
  public <T> T azure(Supplier<T> call) {
    return call.get();
  }
}
