package com.redhat.cloudoreg.metrics;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.metrics.Timer;

/**
 * Times every {@link PeerCall} in MP Metrics' timer of its peer and call, looked up once per
 * method. Not MP Metrics' own {@code @Timed}: Liberty's interceptor for it (SmallRye Metrics'
 * legacy API) collects every timer of the registry into a sorted map on each call to find its own,
 * 8 % of the service's CPU per create in a profile (2 × 5,000 creates at d = 0, five timed calls
 * each), a cost that grows with every metric registered, MP Fault Tolerance's included. Its
 * priority puts it outside MP Fault Tolerance's interceptor ({@code PLATFORM_AFTER + 10}), as
 * {@code @Timed}'s was, so a call's time holds its retries and backoffs.
 */
@PeerCall
@Interceptor
@Priority(Interceptor.Priority.LIBRARY_BEFORE + 10)
public class PeerCallTimer {
  private final Map<Method, Timer> timers = new ConcurrentHashMap<>();
  private final FlowMetrics metrics;

  @Inject
  public PeerCallTimer(FlowMetrics metrics) {
    this.metrics = metrics;
  }

  @AroundInvoke
  Object time(InvocationContext invocation) throws Exception {
    Timer timer =
        timers.computeIfAbsent(
            invocation.getMethod(), method -> metrics.peerCallTimer(peerCallOf(method)));
    try (Timer.Context timed = timer.time()) {
      return invocation.proceed();
    }
  }

  private static PeerCall peerCallOf(Method method) {
    PeerCall call = method.getAnnotation(PeerCall.class);
    if (call == null || call.peer().isEmpty() || call.call().isEmpty()) {
      throw new IllegalStateException(
          method + " is timed as a peer call without its peer and call");
    }
    return call;
  }
}
