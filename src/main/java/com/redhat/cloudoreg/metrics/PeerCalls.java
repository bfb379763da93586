package com.redhat.cloudoreg.metrics;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@link PeerCall} of the application, found as CDI discovers the beans: so that each peer
 * call's timer exists at zero from the warm-up on ({@link FlowMetrics#registerSeries}), as every
 * other series does.
 */
public class PeerCalls implements Extension {
  private final Set<PeerCall> found = ConcurrentHashMap.newKeySet();

  <T> void collect(@Observes @WithAnnotations(PeerCall.class) ProcessAnnotatedType<T> discovered) {
    discovered.getAnnotatedType().getMethods().stream()
        .map(method -> method.getAnnotation(PeerCall.class))
        .filter(Objects::nonNull)
        .forEach(found::add);
  }

  /** Every peer and call named in the application. */
  public Set<PeerCall> all() {
    return Set.copyOf(found);
  }
}
