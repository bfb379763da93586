package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image and the server the build creates run with the same JVM options: both take them from
 * {@code src/main/liberty/config/jvm.options} and nothing adds others on the side.
 */
class JvmOptionsTest {
  private static final Path CONFIG = Path.of("src/main/liberty/config");
  private static final Path JVM_OPTIONS = CONFIG.resolve("jvm.options");

  /** Environment variables through which a JVM would take options besides jvm.options. */
  private static final List<String> SIDE_CHANNELS =
      List.of(
          "JVM_ARGS",
          "JAVA_TOOL_OPTIONS",
          "JDK_JAVA_OPTIONS",
          "_JAVA_OPTIONS",
          "OPENJ9_JAVA_OPTIONS",
          "IBM_JAVA_OPTIONS",
          "JAVA_OPTIONS");

  @Test
  void theProductionSettingsAreInJvmOptions() throws IOException {
    List<String> options = options();
    assertThat(options).anyMatch(o -> o.startsWith("-Xmx"));
    assertThat(options).anyMatch(o -> o.startsWith("-Xms"));
    assertThat(options).anyMatch(o -> o.startsWith("-XX:MaxMetaspaceSize="));
    assertThat(options)
        .as("one line per option, as Liberty reads jvm.options")
        .allMatch(o -> o.startsWith("-") && !o.contains(" "));
  }

  @Test
  void theImageCopiesTheServerConfigurationDirectoryAsItsConfig() throws IOException {
    String containerfile = Files.readString(Path.of("_deployment/Containerfile"));
    Matcher copy =
        Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*src/main/liberty/config/?\\s+/config/?\\s*$")
            .matcher(containerfile);
    assertThat(copy.find())
        .as("the Containerfile copies %s (jvm.options included) to the image's /config", CONFIG)
        .isTrue();
    assertThat(containerfile).doesNotContain("jvm.options");
    for (String variable : SIDE_CHANNELS) {
      assertThat(containerfile).as("the image sets no %s", variable).doesNotContain(variable);
    }
  }

  @Test
  void theImageAndTheTestsServerRunWithTheSameProcessEnvironment() throws IOException {
    String containerfile = Files.readString(Path.of("_deployment/Containerfile"));
    com.redhat.cloudoreg.stack.LibertyServer.IMAGE_PROCESS_ENVIRONMENT.forEach(
        (name, value) ->
            assertThat(containerfile)
                .as("the image sets %s=%s as the tests' server runs", name, value)
                .containsPattern("(?m)^ENV\\s+" + name + "=" + value + "\\s*$"));
  }

  @Test
  void theDeploymentAddsNoJvmOptions() throws IOException {
    String template = Files.readString(Path.of("_deployment/clowdapp.yaml"));
    for (String variable : SIDE_CHANNELS) {
      assertThat(template).as("the ClowdApp sets no %s", variable).doesNotContain(variable);
    }
  }

  @Test
  void theBuildsServerTakesTheSameFile() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"));
    // the Liberty Maven plugin copies src/main/liberty/config, jvm.options included, unless told
    // to take JVM options or another configuration directory from somewhere else
    assertThat(pom).doesNotContain("<jvmOptions>").doesNotContain("<jvmOptionsFile>");
    assertThat(pom).doesNotContain("<configDirectory>").doesNotContain("<serverXmlFile>");
  }

  private static List<String> options() throws IOException {
    return Files.readAllLines(JVM_OPTIONS).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }
}
