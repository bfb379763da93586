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
 * The image and the server the build creates run with the same JVM options and environment: both
 * take them from {@code src/main/liberty/config} ({@code jvm.options}, {@code server.env}) and
 * nothing adds others on the side.
 */
class JvmOptionsTest {
  private static final Path CONFIG = Path.of("src/main/liberty/config");
  private static final Path JVM_OPTIONS = CONFIG.resolve("jvm.options");
  private static final Path SERVER_ENV = CONFIG.resolve("server.env");

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
  void theServersEnvironmentIsInServerEnvAndTheImageAddsNone() throws IOException {
    String serverEnv = Files.readString(SERVER_ENV);
    assertThat(serverEnv)
        .as("glibc's malloc arenas capped for the server's ~100 threads")
        .containsPattern("(?m)^MALLOC_ARENA_MAX=2$");
    assertThat(serverEnv)
        .as("no default keystore: nothing serves TLS, and making one costs the start ~1 s")
        .doesNotContainPattern("(?m)^keystore_password=");
    for (String variable : SIDE_CHANNELS) {
      assertThat(serverEnv).as("server.env sets no %s", variable).doesNotContain(variable);
    }
    String containerfile = Files.readString(Path.of("_deployment/Containerfile"));
    assertThat(containerfile)
        .doesNotContain("MALLOC_ARENA_MAX")
        .doesNotContain("keystore_password");
    // the image's scripts write a default keystore into this file unless it is there already
    assertThat(Files.readString(CONFIG.resolve("configDropins/defaults/keystore.xml")))
        .as("the image's default-keystore slot is taken by an empty configuration")
        .contains("<server/>")
        .doesNotContain("<keyStore");
  }

  @Test
  void theDeploymentAddsNoJvmOptions() throws IOException {
    String template = Files.readString(Path.of("_deployment/clowdapp.yaml"));
    for (String variable : SIDE_CHANNELS) {
      assertThat(template).as("the ClowdApp sets no %s", variable).doesNotContain(variable);
    }
    for (String variable : List.of("MALLOC_ARENA_MAX", "keystore_password")) {
      assertThat(template)
          .as("the ClowdApp leaves %s to server.env", variable)
          .doesNotContainPattern("name:\\s*" + variable + "\\s");
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
