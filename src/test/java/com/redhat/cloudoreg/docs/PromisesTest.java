package com.redhat.cloudoreg.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * Every promise the README makes (a {@code ###} heading under "What it promises") is held by tests
 * on the real stack, named in docs/promises.md: each promise has a row, each row a promise, and
 * each test named there exists as an integration test (a {@code *IT} class's {@code @Test} or
 * {@code @TestFactory} method).
 */
class PromisesTest {
  private static final Path README = Path.of("README.md");
  private static final Path TABLE = Path.of("docs", "promises.md");
  private static final String SECTION = "## What it promises";
  private static final Pattern TEST = Pattern.compile("`([A-Za-z0-9]+IT)\\.([A-Za-z0-9_]+)`");
  private static final List<String> IT_PACKAGES =
      List.of("com.redhat.cloudoreg.it", "com.redhat.cloudoreg.arquillian");

  @Test
  void everyPromiseOfTheReadmeHasARowAndEveryRowAPromise() throws IOException {
    List<String> promises = promises(Files.readString(README));
    Map<String, List<String>> rows = rows(Files.readString(TABLE));

    assertThat(promises).as("the README's promises").isNotEmpty();
    assertThat(rows.keySet())
        .as("docs/promises.md's rows, in the README's order")
        .containsExactlyElementsOf(promises);
  }

  @Test
  void everyTestNamedIsAnIntegrationTestThatExists() throws IOException {
    Map<String, List<String>> rows = rows(Files.readString(TABLE));
    List<String> missing = new ArrayList<>();
    rows.forEach(
        (promise, tests) -> {
          if (tests.isEmpty()) {
            missing.add(promise + ": no test named");
          }
          for (String test : tests) {
            if (!exists(test)) {
              missing.add(promise + ": " + test);
            }
          }
        });

    assertThat(missing).as("promises without their tests").isEmpty();
  }

  @Test
  void theCheckFindsAPromiseWithoutARowAndATestThatDoesNotExist() {
    String readme = "# x\n\n" + SECTION + "\n\n### Kept\ntext\n\n### Forgotten\ntext\n\n## Next\n";
    String table =
        "| Promise | Tests |\n|---|---|\n| Kept | `CreateFlowIT.noSuchTest`, `CreateFlowIT.verifiedRoleBecomesTrustAndAvailable` |\n";

    assertThat(promises(readme)).containsExactly("Kept", "Forgotten");
    assertThat(rows(table)).containsOnlyKeys("Kept");
    assertThat(exists("CreateFlowIT.noSuchTest")).isFalse();
    assertThat(exists("CreateFlowIT.verifiedRoleBecomesTrustAndAvailable")).isTrue();
    assertThat(exists("PromisesTest.everyTestNamedIsAnIntegrationTestThatExists"))
        .as("a unit test is no promise on the real stack")
        .isFalse();
  }

  /** The {@code ###} headings of the README's promise section. */
  static List<String> promises(String readme) {
    int start = readme.indexOf(SECTION);
    assertThat(start).as("the README's section " + SECTION).isNotNegative();
    String section = readme.substring(start + SECTION.length());
    Matcher next = Pattern.compile("(?m)^## ").matcher(section);
    if (next.find()) {
      section = section.substring(0, next.start());
    }
    return section
        .lines()
        .filter(line -> line.startsWith("### "))
        .map(line -> line.substring(4).trim())
        .toList();
  }

  /** The table's rows: promise, then the tests its second cell names. */
  static Map<String, List<String>> rows(String table) {
    Map<String, List<String>> rows = new LinkedHashMap<>();
    table
        .lines()
        .filter(line -> line.startsWith("| ") && !line.startsWith("| Promise |"))
        .forEach(
            line -> {
              String[] cells = line.split("\\|", -1);
              List<String> tests = new ArrayList<>();
              Matcher named = TEST.matcher(cells[2]);
              while (named.find()) {
                tests.add(named.group(1) + "." + named.group(2));
              }
              rows.put(cells[1].trim(), tests);
            });
    return rows;
  }

  /** Whether {@code Class.method} is a test method of an integration test class. */
  static boolean exists(String test) {
    String[] parts = test.split("\\.", 2);
    if (!parts[0].endsWith("IT")) {
      return false;
    }
    for (String pkg : IT_PACKAGES) {
      try {
        Class<?> type = Class.forName(pkg + "." + parts[0]);
        return Arrays.stream(type.getDeclaredMethods())
            .filter(method -> method.getName().equals(parts[1]))
            .anyMatch(PromisesTest::isTest);
      } catch (ClassNotFoundException elsewhere) {
        // try the next package
      }
    }
    return false;
  }

  private static boolean isTest(Method method) {
    return method.isAnnotationPresent(Test.class)
        || method.isAnnotationPresent(TestFactory.class)
        || method.isAnnotationPresent(ParameterizedTest.class);
  }
}
