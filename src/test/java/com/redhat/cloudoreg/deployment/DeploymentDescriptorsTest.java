package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenShift template and the Containerfile say what an SRE relies on. */
class DeploymentDescriptorsTest {
  private static Map<String, Object> clowdApp;
  private static Map<String, Object> podSpec;
  private static Map<String, Object> template;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void parse() throws IOException {
    template = new Yaml().load(Files.readString(Path.of("_deployment/clowdapp.yaml")));
    List<Map<String, Object>> objects = (List<Map<String, Object>>) template.get("objects");
    clowdApp =
        objects.stream().filter(o -> "ClowdApp".equals(o.get("kind"))).findFirst().orElseThrow();
    Map<String, Object> spec = map(clowdApp, "spec");
    Map<String, Object> deployment = ((List<Map<String, Object>>) spec.get("deployments")).get(0);
    podSpec = map(deployment, "podSpec");
  }

  @Test
  void isAnOpenShiftTemplateOfOneClowdAppDeployment() {
    assertThat(template.get("apiVersion")).isEqualTo("template.openshift.io/v1");
    assertThat(clowdApp.get("apiVersion")).isEqualTo("cloud.redhat.com/v1alpha1");
    assertThat(map(clowdApp, "spec").get("envName")).isEqualTo("${ENV_NAME}");
    assertThat((List<?>) map(clowdApp, "spec").get("deployments")).hasSize(1);
    assertThat(parameterNames()).contains("ENV_NAME", "IMAGE", "IMAGE_TAG", "MIN_REPLICAS");
  }

  @Test
  @SuppressWarnings("unchecked")
  void dependsOnSourcesAndAsksForOurTopics() {
    Map<String, Object> spec = map(clowdApp, "spec");
    assertThat((List<Object>) spec.get("dependencies")).contains("sources-api");
    assertThat(list(spec, "kafkaTopics").stream().map(t -> t.get("topicName")))
        .containsExactlyInAnyOrder(
            "platform.sources.event-stream",
            "platform.sources.status",
            "platform.cloudoreg.dead-letter");
  }

  @Test
  void probesPointAtLibertysHealthEndpoints() {
    assertThat(map(map(podSpec, "livenessProbe"), "httpGet"))
        .containsEntry("path", "/health/live")
        .containsEntry("port", 8000);
    assertThat(map(map(podSpec, "readinessProbe"), "httpGet"))
        .containsEntry("path", "/health/ready")
        .containsEntry("port", 8000);
    assertThat(map(podSpec, "livenessProbe").get("initialDelaySeconds")).isNotNull();
    assertThat(podSpec)
        .as("Clowder's pod spec has no startupProbe")
        .doesNotContainKey("startupProbe");
  }

  @Test
  void secretsComeFromSecretsAndCertificatesAreMounted() {
    Map<String, Map<String, Object>> fromSecrets =
        list(podSpec, "env").stream()
            .filter(e -> e.containsKey("valueFrom"))
            .collect(
                Collectors.toMap(
                    e -> (String) e.get("name"), e -> map(map(e, "valueFrom"), "secretKeyRef")));
    assertThat(fromSecrets)
        .containsKeys(
            "SOURCES_PSK",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "RHSM_KEYSTORE_PASSWORD",
            "RHSM_TRUSTSTORE_PASSWORD");
    assertThat(
            list(podSpec, "env").stream()
                .filter(e -> e.containsKey("value"))
                .map(e -> e.get("name")))
        .as("no secret as a plain value")
        .doesNotContain("SOURCES_PSK", "AWS_SECRET_ACCESS_KEY", "RHSM_KEYSTORE_PASSWORD");
    Map<String, Object> volume = list(podSpec, "volumes").get(0);
    assertThat(map(volume, "secret")).containsEntry("secretName", "cloudoreg-rhsm-tls");
    assertThat(list(podSpec, "volumeMounts").get(0))
        .containsEntry("mountPath", "/etc/cloudoreg/rhsm");
    assertThat(map(podSpec, "resources")).containsKeys("requests", "limits");
  }

  @Test
  void everySettingTheTemplateGivesIsOneTheServerReads() throws IOException {
    Set<String> serverVariables =
        variables(Files.readString(Path.of("src/main/liberty/config/server.xml")));
    List<String> given = list(podSpec, "env").stream().map(e -> (String) e.get("name")).toList();
    assertThat(given)
        .allSatisfy(
            name ->
                assertThat(serverVariables.contains(name) || name.startsWith("AWS_"))
                    .as("%s is a server.xml variable or an AWS SDK setting", name)
                    .isTrue());
  }

  @Test
  void containerfileBuildsOnUbiLibertyWithFeaturesAtBuildTime() throws IOException {
    List<String> lines =
        Files.readAllLines(Path.of("_deployment/Containerfile")).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .toList();
    assertThat(lines.get(0)).matches("FROM icr\\.io/appcafe/open-liberty:.*-ubi.*");
    int config = index(lines, "COPY --chown=1001:0 src/main/liberty/config/ /config/");
    int features = index(lines, "RUN features.sh");
    int war = index(lines, "COPY --chown=1001:0 target/cloudoreg.war /config/apps/cloudoreg.war");
    int configure = index(lines, "RUN configure.sh");
    assertThat(config).isLessThan(features);
    assertThat(features).isLessThan(war);
    assertThat(configure).isEqualTo(lines.size() - 1);
    assertThat(String.join("\n", lines)).contains("HTTP_PORT=8000").contains("METRICS_PORT=9000");
  }

  private static Set<String> variables(String serverXml) {
    Matcher matcher = Pattern.compile("<variable name=\"([A-Z_]+)\"").matcher(serverXml);
    Set<String> names = new java.util.HashSet<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  private static int index(List<String> lines, String line) {
    int index = lines.indexOf(line);
    assertThat(index).as("Containerfile has: %s", line).isNotNegative();
    return index;
  }

  @SuppressWarnings("unchecked")
  private static List<String> parameterNames() {
    return ((List<Map<String, Object>>) template.get("parameters"))
        .stream().map(p -> (String) p.get("name")).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> from, String key) {
    return (Map<String, Object>) from.get(key);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> from, String key) {
    return (List<Map<String, Object>>) from.get(key);
  }
}
