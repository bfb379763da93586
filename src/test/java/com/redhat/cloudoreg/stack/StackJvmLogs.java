package com.redhat.cloudoreg.stack;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The logs of the JVM that runs the stack (a Failsafe JVM, or Maven's for the local stack) go to
 * files of the stack, not to the console, where they buried what a test run or the local stack has
 * to say: its Kafka clients (producers, the ledger's consumers, the admin client) into one file,
 * the requests the WireMock stand-ins answered and everything else it logs into another. Kafka's
 * clients log from WARNING up (at INFO each client dumps its whole configuration); everything else
 * from INFO up.
 *
 * <p>The stack's JVM logs through java.util.logging, as the WAR does: SLF4J is bound to {@code
 * slf4j-jdk14} (see {@link #bindSlf4jToJul()}).
 */
final class StackJvmLogs {
  // java.util.logging holds loggers weakly: these keep the levels and handlers set here
  private static final Logger ROOT = Logger.getLogger("");
  private static final Logger KAFKA_CLIENTS = Logger.getLogger("org.apache.kafka");

  private static final String SLF4J_PROVIDER = "slf4j.provider";
  private static final String SLF4J_VERBOSITY = "slf4j.internal.verbosity";

  private StackJvmLogs() {}

  /**
   * From now on, the Kafka clients' records into {@code kafkaClients}, all others into {@code
   * rest}.
   */
  static synchronized void into(Path kafkaClients, Path rest) {
    bindSlf4jToJul();
    replaceHandlers(ROOT, fileHandler(rest));
    ROOT.setLevel(Level.INFO);
    replaceHandlers(KAFKA_CLIENTS, fileHandler(kafkaClients));
    KAFKA_CLIENTS.setLevel(Level.WARNING);
    KAFKA_CLIENTS.setUseParentHandlers(false);
  }

  /**
   * One line per request a stand-in answered: method, URL, status. WireMock's own logging goes
   * nowhere (its relocated SLF4J has no binding). No headers or bodies: they carry the PSK and
   * credentials.
   */
  static void requestsOf(String standIn, WireMockServer server) {
    Logger log = Logger.getLogger("stand-in." + standIn); // held by the listener
    server.addMockServiceRequestListener(
        (request, response) ->
            log.info(
                () ->
                    request.getMethod() + " " + request.getUrl() + " -> " + response.getStatus()));
  }

  /**
   * Binds SLF4J to java.util.logging before anything in this JVM logs through it. Two bindings are
   * on the test classpath, slf4j-jdk14 (the WAR's) and log4j's (there for the broker's child JVM),
   * and SLF4J would take the first and warn about the choice on the console. The property is set
   * only for that first look-up: WireMock's relocated copy of SLF4J reads the same name and cannot
   * load this binding. Once SLF4J is bound, this changes nothing.
   */
  private static void bindSlf4jToJul() {
    String provider = System.setProperty(SLF4J_PROVIDER, "org.slf4j.jul.JULServiceProvider");
    String verbosity = System.setProperty(SLF4J_VERBOSITY, "WARN"); // no "loading provider" line
    try {
      org.slf4j.LoggerFactory.getILoggerFactory();
    } finally {
      restore(SLF4J_PROVIDER, provider);
      restore(SLF4J_VERBOSITY, verbosity);
    }
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }

  private static void replaceHandlers(Logger logger, Handler handler) {
    for (Handler old : logger.getHandlers()) {
      logger.removeHandler(old);
      if (old instanceof FileHandler) {
        old.close(); // ours from an earlier stack; a console handler's stream is not ours to close
      }
    }
    logger.addHandler(handler);
  }

  private static Handler fileHandler(Path file) {
    try {
      Files.createDirectories(file.getParent());
      // '%' is FileHandler's pattern character; append, one file, no size limit
      FileHandler handler = new FileHandler(file.toString().replace("%", "%%"), true);
      handler.setLevel(Level.ALL);
      handler.setFormatter(new OneLine());
      return handler;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One line per record (a stack trace follows it): time, level, logger, message. */
  private static final class OneLine extends Formatter {
    @Override
    public String format(LogRecord record) {
      StringBuilder line =
          new StringBuilder()
              .append(record.getInstant())
              .append(' ')
              .append(record.getLevel())
              .append(' ')
              .append(record.getLoggerName())
              .append(": ")
              .append(formatMessage(record))
              .append(System.lineSeparator());
      if (record.getThrown() != null) {
        StringWriter trace = new StringWriter();
        record.getThrown().printStackTrace(new PrintWriter(trace));
        line.append(trace);
      }
      return line.toString();
    }
  }
}
