package com.redhat.cloudoreg;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Typed;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The threads events are processed on: Liberty's managed executor, so that CDI, fault tolerance and
 * REST clients behave there as on any container thread, and the server stops them with itself; and
 * its scheduled executor, which times the pauses between attempts (no thread waits through them).
 */
@ApplicationScoped
public class FlowExecutor {
  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  private ManagedExecutorService managed;

  @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
  private ManagedScheduledExecutorService scheduled;

  @Produces
  Executor executor() {
    return managed;
  }

  /** Only as a scheduler: it is an {@code Executor} too, and the flow's executor is the other. */
  @Produces
  @Typed(ScheduledExecutorService.class)
  ScheduledExecutorService scheduler() {
    return scheduled;
  }
}
