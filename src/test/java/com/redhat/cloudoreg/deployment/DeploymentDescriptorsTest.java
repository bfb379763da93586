package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.bench.MemorySizing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** The OpenShift template and the Containerfile say what an SRE relies on. */
class DeploymentDescriptorsTest {
  /**
   * Settings the template gives for what is being built beside this branch, which neither a
   * server.xml variable nor an MP Config read names yet: the private listener on Clowder's
   * privatePort, the run mode (live, or shadow beside cloudigrade), and the keys of the operator
   * endpoints. Remove a name once the application reads it.
   */
  private static final Set<String> READ_BY_WORK_IN_PROGRESS =
      Set.of("PRIVATE_PORT", "CLOUDOREG_MODE", "CLOUDOREG_PSKS");

  private static Map<String, Object> clowdApp;
  private static Map<String, Object> deployment;
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
    deployment = ((List<Map<String, Object>>) spec.get("deployments")).get(0);
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
            "platform.cloudoreg.dead-letter",
            "platform.cloudoreg.trust");
    assertThat(list(spec, "kafkaTopics"))
        .filteredOn(t -> "platform.cloudoreg.trust".equals(t.get("topicName")))
        .as("the trust ledger keeps one record per org: compacted, one partition")
        .singleElement()
        .satisfies(t -> assertThat(t).containsEntry("partitions", 1))
        .satisfies(t -> assertThat(map(t, "config")).containsEntry("cleanup.policy", "compact"));
  }

  @Test
  void servesPubliclyPrivatelyAndMetricsWithReplicasNotTheDeprecatedMinReplicas() {
    assertThat(deployment)
        .containsEntry("replicas", "${{MIN_REPLICAS}}")
        .doesNotContainKey("minReplicas");
    Map<String, Object> webServices = map(deployment, "webServices");
    assertThat(map(webServices, "public")).containsEntry("enabled", true);
    assertThat(map(webServices, "private"))
        .as("the availability check and operator endpoints, inside the cluster only")
        .containsEntry("enabled", true);
    assertThat(map(webServices, "metrics")).as("an empty struct in the CRD").isEmpty();
    assertThat(env()).containsEntry("PRIVATE_PORT", "10000");
  }

  @Test
  void eachEnvironmentNamesItsRhsmAndItsMode() {
    assertThat(parameter("RHSM_API_URL"))
        .as("no default: never the public API by accident")
        .containsEntry("required", true)
        .doesNotContainKey("value");
    assertThat(env()).containsEntry("RHSM_API_URL", "${RHSM_API_URL}");
    assertThat(parameter("CLOUDOREG_MODE")).containsEntry("value", "live");
    assertThat(env()).containsEntry("CLOUDOREG_MODE", "${CLOUDOREG_MODE}");
  }

  @Test
  void memoryIsWhatTheBenchmarksFiguresGive() throws IOException {
    Map<String, Object> resources = map(podSpec, "resources");
    assertThat(map(resources, "requests")).containsEntry("memory", "${MEMORY_REQUEST}");
    assertThat(map(resources, "limits")).containsEntry("memory", "${MEMORY_LIMIT}");
    MemorySizing sizing =
        MemorySizing.fromReport(Files.readString(Path.of("docs/benchmark-report.md")));
    assertThat(parameter("MEMORY_REQUEST"))
        .as("the request for the committed report's figures (MemorySizing)")
        .containsEntry("value", sizing.request());
    assertThat(parameter("MEMORY_LIMIT"))
        .as("the limit for the committed report's figures (MemorySizing)")
        .containsEntry("value", sizing.limit());
  }

  @Test
  void twoReplicasByDefaultAtMostThePartitions() {
    assertThat(parameter("MIN_REPLICAS")).containsEntry("value", "2");
    assertThat(list(map(clowdApp, "spec"), "kafkaTopics"))
        .filteredOn(t -> "platform.sources.event-stream".equals(t.get("topicName")))
        .extracting(t -> t.get("partitions"))
        .as("a replica beyond the event topic's partitions idles")
        .allMatch(partitions -> (Integer) partitions >= 2);
  }

  @Test
  void theServiceIsCloudoregServiceAndTheDocsCallItSo() throws IOException {
    // Clowder names the one Service of a deployment <app>-<deployment> (clowder.md)
    String service = map(clowdApp, "metadata").get("name") + "-" + deployment.get("name");
    assertThat(service).isEqualTo("cloudoreg-service");
    for (Path doc : List.of(Path.of("README.md"), Path.of("docs/operations.md"))) {
      assertThat(Files.readString(doc))
          .as("%s: there is no separate private Service", doc)
          .doesNotContain(service + "-private");
    }
    assertThat(Files.readString(Path.of("docs/operations.md")))
        .as("Sources reaches the availability check on the one Service's private port")
        .contains(service + ":" + env().get("PRIVATE_PORT"));
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
            "AWS_ACCOUNT_ID",
            "RHSM_KEYSTORE_PASSWORD",
            "RHSM_TRUSTSTORE_PASSWORD",
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_SP_OBJECT_ID",
            "CLOUDOREG_PSKS");
    assertThat(fromSecrets.get("AWS_ACCOUNT_ID"))
        .as("our own account, for the own-account warning: optional, static keys do not name it")
        .containsEntry("optional", true);
    assertThat(fromSecrets.get("AZURE_CLIENT_SECRET"))
        .as("without Azure credentials the service runs and leaves Azure sources alone")
        .containsEntry("optional", true);
    assertThat(list(podSpec, "env").stream().filter(e -> e.containsKey("value")))
        .extracting(e -> (String) e.get("name"))
        .as("no secret as a plain value")
        .noneMatch(name -> name.matches(".*(PSKS?|SECRET.*|PASSWORD|TOKEN|ACCESS_KEY_ID)$"));
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
    Set<String> configReads = microProfileConfigReads();
    List<String> given = list(podSpec, "env").stream().map(e -> (String) e.get("name")).toList();
    assertThat(given)
        .allSatisfy(
            name ->
                assertThat(
                        serverVariables.contains(name)
                            || configReads.contains(name)
                            || name.startsWith("AWS_")
                            || name.startsWith("AZURE_")
                            || READ_BY_WORK_IN_PROGRESS.contains(name))
                    .as(
                        "%s is a server.xml variable, an MP Config key the application reads, an"
                            + " AWS or Azure SDK setting, or listed as read by work in progress",
                        name)
                    .isTrue());
  }

  /**
   * The environment variable names of the MP Config keys the application reads: {@code
   * ConfigProperty(name = …)}, {@code getValue}/{@code getOptionalValue} (and {@code
   * AzureSettings}'s {@code value(config, …)} over it), and {@code ${…}} in
   * microprofile-config.properties. MP Config finds key {@code a.b-c} in {@code A_B_C}.
   */
  private static Set<String> microProfileConfigReads() throws IOException {
    Pattern read =
        Pattern.compile(
            "ConfigProperty\\(\\s*name\\s*=\\s*\"([^\"]+)\""
                + "|(?:get(?:Optional)?Value\\(|value\\(\\s*config\\s*,)\\s*\"([^\"]+)\"");
    Set<String> keys = new java.util.HashSet<>();
    try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher matcher = read.matcher(Files.readString(source));
        while (matcher.find()) {
          keys.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
      }
    }
    Matcher reference =
        Pattern.compile("\\$\\{([^}:]+)")
            .matcher(
                Files.readString(
                    Path.of("src/main/resources/META-INF/microprofile-config.properties")));
    while (reference.find()) {
      keys.add(reference.group(1));
    }
    return keys.stream()
        .map(key -> key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT))
        .collect(Collectors.toSet());
  }

  private static Set<String> variables(String serverXml) {
    Matcher matcher = Pattern.compile("<variable name=\"([A-Z_]+)\"").matcher(serverXml);
    Set<String> names = new java.util.HashSet<>();
    while (matcher.find()) {
      names.add(matcher.group(1));
    }
    return names;
  }

  /** The template's env: name to plain value (null for one from a secret). */
  private static Map<String, String> env() {
    Map<String, String> env = new java.util.LinkedHashMap<>();
    list(podSpec, "env").forEach(e -> env.put((String) e.get("name"), (String) e.get("value")));
    return env;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parameter(String name) {
    return ((List<Map<String, Object>>) template.get("parameters"))
        .stream().filter(p -> name.equals(p.get("name"))).findFirst().orElseThrow();
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
