package com.redhat.cloudoreg;

import static jakarta.enterprise.concurrent.ContextServiceDefinition.ALL_REMAINING;
import static jakarta.enterprise.concurrent.ContextServiceDefinition.APPLICATION;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ContextServiceDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorDefinition;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorDefinition;
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
 *
 * <p>Both capture only the application's context (class loader and naming) of the thread that
 * submits a task: the flow needs nothing else, and capturing the rest costs on every task. The
 * default context service also captures the security context, whose provider reads its
 * configuration at each capture: with two tasks per event that was ~4 % of the service's CPU
 * samples in a drain (JFR, docs/benchmarks.md). Both still run on Liberty's one executor
 * (server.xml's {@code <executor>}).
 */
@ContextServiceDefinition(
    name = FlowExecutor.CONTEXT,
    propagated = APPLICATION,
    unchanged = ALL_REMAINING)
@ManagedExecutorDefinition(name = FlowExecutor.EXECUTOR, context = FlowExecutor.CONTEXT)
@ManagedScheduledExecutorDefinition(name = FlowExecutor.SCHEDULER, context = FlowExecutor.CONTEXT)
@ApplicationScoped
public class FlowExecutor {
  static final String CONTEXT = "java:module/concurrent/flowContext";
  static final String EXECUTOR = "java:module/concurrent/flow";
  static final String SCHEDULER = "java:module/concurrent/flowScheduler";

  @Resource(lookup = EXECUTOR)
  private ManagedExecutorService managed;

  @Resource(lookup = SCHEDULER)
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
