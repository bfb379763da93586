package com.redhat.cloudoreg.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives integration tests the running {@link Stack}: started once for the whole Failsafe run,
 * stopped when it ends. Retries are shortened so fault tests take milliseconds, not seconds; their
 * counts and the code under test are the production ones.
 */
public final class StackExtension implements ParameterResolver {
  /** MP Fault Tolerance's global overrides, through MP Config's environment variable mapping. */
  public static final Map<String, String> FAST_RETRIES =
      Map.of("RETRY_DELAY", "50", "RETRY_JITTER", "20", "CIRCUITBREAKER_DELAY", "2000");

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
            Running.class, key -> new Running(Stack.start(settings())), Running.class)
        .stack();
  }

  private static Stack.Settings settings() {
    try {
      Path work = Files.createDirectories(Path.of("target", "it-stack")).toAbsolutePath();
      return new Stack.Settings(
          work,
          Path.of(property("cloudoreg.contracts.dir")),
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

  private record Running(Stack stack) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      stack.close();
    }
  }
}
