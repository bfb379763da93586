package com.redhat.cloudoreg.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A {@code java.util.logging} message with parameters is a {@code MessageFormat} pattern: a lone
 * apostrophe quotes the rest of it, so its {@code {0}} stays as it is and the operator never sees
 * the offset or the reason. Written {@code ''}, it prints one apostrophe.
 */
class LogMessagesTest {
  /** {@code LOG.log(Level.X, "…" + "…"} : the message of a log call, in one or more literals. */
  private static final Pattern LOG_CALL =
      Pattern.compile(
          "LOG\\.log\\(\\s*Level\\.\\w+,\\s*((?:\"(?:[^\"\\\\]|\\\\.)*\"\\s*\\+?\\s*)+)");

  private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern PARAMETER = Pattern.compile("\\{\\d");
  private static final Pattern LONE_APOSTROPHE = Pattern.compile("(?<!')'(?!')");

  @Test
  void everyMessageWithParametersDoublesItsApostrophes() throws IOException {
    List<String> quoting;
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      quoting =
          sources
              .filter(path -> path.toString().endsWith(".java"))
              .flatMap(LogMessagesTest::quotingMessages)
              .collect(Collectors.toList());
    }
    assertThat(quoting).as("messages whose parameters a lone ' hides").isEmpty();
  }

  @Test
  void theCheckFindsALoneApostrophe() {
    assertThat(quotes("LOG.log(Level.WARNING, \"Sources' list at {0}\", offset);")).isTrue();
    assertThat(quotes("LOG.log(Level.WARNING, \"Sources'' list at {0}\", offset);")).isFalse();
    assertThat(quotes("LOG.log(Level.WARNING, \"the org's \" + \"list at {0}\", x);")).isTrue();
  }

  private static Stream<String> quotingMessages(Path source) {
    try {
      String text = Files.readString(source);
      Matcher call = LOG_CALL.matcher(text);
      Stream.Builder<String> found = Stream.builder();
      while (call.find()) {
        if (quotes(call.group())) {
          int line = text.substring(0, call.start()).split("\n", -1).length;
          found.add(source + ":" + line);
        }
      }
      return found.build();
    } catch (IOException unreadable) {
      throw new UncheckedIOException(unreadable);
    }
  }

  private static boolean quotes(String logCall) {
    Matcher call = LOG_CALL.matcher(logCall);
    if (!call.find()) {
      return false;
    }
    String message =
        LITERAL.matcher(call.group(1)).results().map(m -> m.group(1)).collect(Collectors.joining());
    return PARAMETER.matcher(message).find() && LONE_APOSTROPHE.matcher(message).find();
  }
}
