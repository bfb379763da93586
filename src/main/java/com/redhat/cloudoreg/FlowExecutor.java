package com.redhat.cloudoreg;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.concurrent.Executor;

/**
 * The threads events are processed on: Liberty's managed executor, so that CDI, fault tolerance and
 * REST clients behave there as on any container thread, and the server stops them with itself.
 */
@ApplicationScoped
public class FlowExecutor {
  @Resource(lookup = "java:comp/DefaultManagedExecutorService")
  private ManagedExecutorService managed;

  @Produces
  Executor executor() {
    return managed;
  }
}
