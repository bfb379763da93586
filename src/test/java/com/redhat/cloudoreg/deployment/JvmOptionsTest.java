package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image and the server the build creates run with the same JVM options and environment: both
 * take them from {@code src/main/liberty/config} ({@code jvm.options}, {@code server.env}), nothing
 * adds others on the side, and every option is one the image's JVM (HotSpot) knows.
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
          "JAVA_OPTIONS",
          "JAVA_OPTS");

  /** {@code -XX:+Name}, {@code -XX:-Name} or {@code -XX:Name=value}. */
  private static final Pattern XX = Pattern.compile("-XX:([+-]?)([A-Za-z0-9_]+)(?:=(.+))?");

  /** A line of {@code -XX:+PrintFlagsFinal}: type, name, value. */
  private static final Pattern FLAG = Pattern.compile("^\\s*(\\S+)\\s+(\\w+)\\s+(?::)?=");

  /** HotSpot's flags and their types, as the JVM running the tests prints them. */
  private static Map<String, String> hotSpotFlags;

  @BeforeAll
  static void askTheJvm() throws IOException, InterruptedException {
    Process java =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:+PrintFlagsFinal",
                "-version")
            .redirectErrorStream(true)
            .start();
    String flags = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
    hotSpotFlags = new HashMap<>();
    flags
        .lines()
        .map(FLAG::matcher)
        .filter(Matcher::find)
        .forEach(m -> hotSpotFlags.put(m.group(2), m.group(1)));
    assertThat(hotSpotFlags).as("HotSpot's flags").containsKeys("MaxHeapSize", "UseSerialGC");
  }

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
  void everyXxOptionIsAHotSpotFlagOfItsType() throws IOException {
    List<String> xx = options().stream().filter(o -> o.startsWith("-XX:")).toList();
    assertThat(xx).isNotEmpty();
    for (String option : xx) {
      Matcher m = XX.matcher(option);
      assertThat(m.matches()).as("%s is -XX:+Name, -XX:-Name or -XX:Name=value", option).isTrue();
      String type = hotSpotFlags.get(m.group(2));
      assertThat(type).as("%s names a flag of HotSpot %s", option, javaVersion()).isNotNull();
      boolean onOff = !m.group(1).isEmpty();
      assertThat(onOff)
          .as("%s: a bool flag is set with +/-, any other with =", option)
          .isEqualTo("bool".equals(type));
    }
    assertThat(xx)
        .as("no option hides a misspelt one from HotSpot")
        .doesNotContain("-XX:+IgnoreUnrecognizedVMOptions");
  }

  @Test
  void theOtherOptionsReadTheSameOnHotSpotAndOpenJ9() throws IOException {
    assertThat(options().stream().filter(o -> !o.startsWith("-XX:")))
        .as("heap and stack sizes and system properties: both JVMs read these alike")
        .allMatch(o -> o.matches("-X(ms|mx|mn|ss)\\d+[kKmMgG]?|-D[^=]+=.*"));
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
    for (String variable : SIDE_CHANNELS) {
      assertThat(containerfile).as("the image sets no %s", variable).doesNotContain(variable);
    }
    assertThat(containerfile)
        .doesNotContain("MALLOC_ARENA_MAX")
        .doesNotContain("keystore_password")
        .as("the image takes the server's jvm.options with the server, not from elsewhere")
        .doesNotContain("jvm.options");
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
    // the Liberty Maven plugin copies src/main/liberty/config, jvm.options included, into the
    // server it creates and packages (the image's), unless told to take JVM options or another
    // configuration directory from somewhere else
    assertThat(pom).doesNotContain("<jvmOptions>").doesNotContain("<jvmOptionsFile>");
    assertThat(pom).doesNotContain("<configDirectory>").doesNotContain("<serverXmlFile>");
  }

  private static String javaVersion() {
    return System.getProperty("java.vm.version");
  }

  private static List<String> options() throws IOException {
    return Files.readAllLines(JVM_OPTIONS).stream()
        .map(String::trim)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .toList();
  }
}
