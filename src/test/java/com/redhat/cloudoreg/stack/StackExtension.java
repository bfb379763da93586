package com.redhat.cloudoreg.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the running {@link Stack}: started once for the whole Failsafe run,
 * stopped when it ends. Retries are shortened so fault tests take milliseconds, not seconds; their
 * counts and the code under test are the production ones.
 */
public final class StackExtension implements ParameterResolver, AfterEachCallback {
  /** Every peer call's time bound in the tests. */
  public static final int TIMEOUT_MS = 2500;

  /** How long an open breaker refuses calls in the tests. */
  public static final int BREAKER_DELAY_MS = 2000;

  /** The attempts of one call: the first and MP Fault Tolerance's three retries. */
  public static final int ATTEMPTS = 4;

  /**
   * MP Fault Tolerance's global overrides, through MP Config's environment variable mapping: short
   * delays and timeouts, and breakers that open only on a full window of failures, so that a fault
   * case never trips a breaker for the next test unless a test means to; and short pauses between
   * the attempts of an unsettled step.
   */
  public static final Map<String, String> FAST_RETRIES =
      Map.of(
          "RETRY_DELAY", "50",
          "RETRY_JITTER", "20",
          "TIMEOUT_VALUE", String.valueOf(TIMEOUT_MS),
          "CIRCUITBREAKER_DELAY", String.valueOf(BREAKER_DELAY_MS),
          "CIRCUITBREAKER_REQUESTVOLUMETHRESHOLD", "12",
          "CIRCUITBREAKER_FAILURERATIO", "1.0",
          // an unsettled step (ours to finish, a removal RHSM has not confirmed) comes back in
          // tenths of a second, doubling to two seconds
          "CLOUDOREG_RETRY_PAUSE", "PT0.2S",
          "CLOUDOREG_RETRY_PAUSE_MAX", "PT2S",
          // an Azure create told "not delegated" is verified again after 1, 2 and 4 seconds
          "CLOUDOREG_AZURE_PROPAGATION_RECHECKS", "PT1S,PT2S,PT4S");

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Stack.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            Running.class,
            key ->
                new Running(Stack.start(settings(), step -> System.out.println("[stack] " + step))),
            Running.class)
        .stack();
  }

  /**
   * Fails the test after which a stand-in holds a violation: a request our service sent that the
   * real peer would refuse, or that breaks a rule of ours for calling it (see {@link Violations});
   * or after which a status on the topic breaks Sources' rules for statuses ({@link StatusRules}).
   * Runs after the test class's own {@code @AfterEach} methods, which may wait for the last ones.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    Running running =
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .get(Running.class, Running.class);
    if (running == null) {
      return;
    }
    List<String> violations = new java.util.ArrayList<>(running.stack().takeViolations());
    Stack stack = running.stack();
    stack.ledger.statuses().stream()
        .flatMap(
            status ->
                StatusRules.violations(status, stack.sources::hadApplication).stream()
                    .map(v -> v + " in " + status.value()))
        .forEach(violations::add);
    if (!violations.isEmpty()) {
      throw new AssertionError(
          "requests the peers would refuse, statuses Sources' rules forbid, or calls that break"
              + " our rules for calling the peers:\n  "
              + String.join("\n  ", violations));
    }
  }

  private static Stack.Settings settings() {
    try {
      Path work = Files.createDirectories(Path.of("target", "it-stack")).toAbsolutePath();
      return new Stack.Settings(
          work,
          Optional.of(Path.of(property("cloudoreg.wlp.dir"))),
          property("cloudoreg.server.name"),
          Files.readString(Path.of(property("cloudoreg.test.classpath"))).trim(),
          Stack.Layout.free(),
          FAST_RETRIES);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String property(String name) {
    String value = System.getProperty(name);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + name + " is set by the Failsafe configuration");
    }
    return value;
  }

  /**
   * The stack of the whole run. Before it stops, what the last tests' asynchronous work did is
   * judged too: the stand-ins' violations raised after the last test, and every status on every
   * status topic of the broker (deployments of a test's own publish to topics of their own).
   */
  private record Running(Stack stack)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      List<String> violations = new java.util.ArrayList<>();
      try {
        violations.addAll(stack.takeViolations());
        stack.kafka.everyRecord(topic -> topic.contains("status")).stream()
            .flatMap(
                status ->
                    StatusRules.violations(status).stream()
                        .map(v -> v + " in " + status.topic() + ": " + status.value()))
            .forEach(violations::add);
      } finally {
        stack.close();
      }
      if (!violations.isEmpty()) {
        throw new AssertionError(
            "after the last test: requests the peers would refuse, or statuses Sources' rules"
                + " forbid:\n  "
                + String.join("\n  ", violations));
      }
    }
  }
}
