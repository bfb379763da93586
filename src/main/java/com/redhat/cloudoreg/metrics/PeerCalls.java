package com.redhat.cloudoreg.metrics;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessAnnotatedType;
import jakarta.enterprise.inject.spi.WithAnnotations;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every {@link PeerCall} of the application, found as CDI discovers the beans: so that each peer
 * call's timer exists at zero from the warm-up on ({@link FlowMetrics#registerSeries}), as every
 * other series does, and so that a call without its peer and call name, or the binding on a whole
 * class (which would time every method under no name), stops the deployment instead of the first
 * call.
 */
public class PeerCalls implements Extension {
  private final Set<PeerCall> found = ConcurrentHashMap.newKeySet();
  private final List<String> malformed = new ArrayList<>();

  <T> void collect(@Observes @WithAnnotations(PeerCall.class) ProcessAnnotatedType<T> discovered) {
    var type = discovered.getAnnotatedType();
    if (type.isAnnotationPresent(PeerCall.class)
        && !type.isAnnotationPresent(jakarta.interceptor.Interceptor.class)) {
      malformed.add(type.getJavaClass().getName() + " (on the class: name each method's call)");
    }
    for (AnnotatedMethod<? super T> method : type.getMethods()) {
      PeerCall call = method.getAnnotation(PeerCall.class);
      if (call == null) {
        continue;
      }
      if (call.peer().isEmpty() || call.call().isEmpty()) {
        malformed.add(method.getJavaMember() + " (without its peer and call)");
      } else {
        found.add(call);
      }
    }
  }

  void refuseMalformed(@Observes AfterBeanDiscovery discovery) {
    malformed.forEach(
        where -> discovery.addDefinitionError(new DeploymentException("@PeerCall on " + where)));
  }

  /** Every peer and call named in the application. */
  public Set<PeerCall> all() {
    return Set.copyOf(found);
  }
}
