package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.yaml.snakeyaml.Yaml;

/**
 * The Containerfile, the Konflux PipelineRuns that build it, renovate.json, the ClowdApp that
 * deploys the image and server.xml describe one image: one repository name, the Containerfile the
 * pipelines build, the ports Clowder routes, the labels Red Hat's images carry, and a runtime stage
 * that needs no network. Each rule fails on its own when one file drifts from the others.
 */
class ImageConsistencyTest {
  static final Path CONTAINERFILE = Path.of("_deployment/Containerfile");
  private static final Path TEKTON = Path.of(".tekton");
  private static final Path TEMPLATE = Path.of("_deployment/clowdapp.yaml");

  /**
   * Where Konflux releases RedHatInsights services; cloudigrade's quay.io/cloudservices retired.
   */
  private static final String REGISTRY = "quay.io/redhat-services-prod/";

  private static final String RETIRED_REGISTRY = "quay.io/cloudservices";

  /** The labels Red Hat's images carry, each describing this image (none inherited). */
  private static final List<String> REQUIRED_LABELS =
      List.of(
          "name",
          "vendor",
          "version",
          "release",
          "summary",
          "description",
          "io.k8s.description",
          "io.k8s.display-name",
          "io.openshift.tags",
          "com.redhat.component",
          "url",
          "distribution-scope");

  /** Clowder's ports: publicPort, privatePort, metricsPort (clowder.md). */
  private static final Map<String, String> CLOWDER_PORTS =
      Map.of("HTTP_PORT", "8000", "PRIVATE_PORT", "10000", "METRICS_PORT", "9000");

  /** What fetches from a network, or installs what it fetched: none of it in the runtime stage. */
  private static final Pattern FETCHES =
      Pattern.compile(
          "\\b(curl|wget|microdnf|dnf|yum|rpm|apt-get|apk|pip3?|npm|git|mvnw?|gradlew?"
              + "|features\\.sh|configure\\.sh|featureUtility|installUtility)\\b|\\w+://");

  private static Containerfile containerfile;
  private static String containerfileText;
  private static Map<String, Object> template;
  private static List<Map<String, Object>> pipelineRuns;

  @BeforeAll
  static void read() throws IOException {
    containerfileText = Files.readString(CONTAINERFILE);
    containerfile = Containerfile.parse(containerfileText);
    template = new Yaml().load(Files.readString(TEMPLATE));
    pipelineRuns = new ArrayList<>();
    try (Stream<Path> files = Files.list(TEKTON)) {
      for (Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object document : new Yaml().loadAll(Files.readString(file))) {
          if (document instanceof Map<?, ?> map && "PipelineRun".equals(map.get("kind"))) {
            pipelineRuns.add(cast(map));
          }
        }
      }
    }
  }

  @Test
  void oneImageRepositoryEverywhere() throws IOException {
    String repository = imageParameter();
    assertThat(repository).startsWith(REGISTRY).doesNotContain(":").doesNotContain("@");
    assertThat(pipelineRuns).as("a push and a pull-request PipelineRun").hasSize(2);
    for (Map<String, Object> run : pipelineRuns) {
      String output = param(run, "output-image");
      assertThat(output.substring(0, output.lastIndexOf(':')))
          .as("%s builds into the repository the ClowdApp deploys from", name(run))
          .isEqualTo(repository);
    }
    assertThat(containerfileText)
        .as("the Containerfile's build command tags the same repository")
        .contains(repository + ":");
    Pattern named = Pattern.compile("quay\\.io/[\\w./-]*cloudoreg[\\w-]*");
    for (Path doc : documents()) {
      String text = Files.readString(doc);
      assertThat(text).as("%s names the retired registry", doc).doesNotContain(RETIRED_REGISTRY);
      Matcher mention = named.matcher(text);
      while (mention.find()) {
        assertThat(mention.group()).as("the image as %s names it", doc).isEqualTo(repository);
      }
    }
  }

  @Test
  void thePipelineRunsBuildTheContainerfileWithKonfluxsDockerBuild() {
    Set<String> events = new LinkedHashSet<>();
    for (Map<String, Object> run : pipelineRuns) {
      Path built =
          Path.of(param(run, "path-context")).resolve(param(run, "dockerfile")).normalize();
      assertThat(built).as("the Containerfile %s builds", name(run)).isEqualTo(CONTAINERFILE);
      assertThat(map(map(run, "spec"), "pipelineRef")).containsEntry("name", "docker-build-oci-ta");
      Map<String, Object> annotations = map(map(run, "metadata"), "annotations");
      assertThat((String) annotations.get("pipelinesascode.tekton.dev/pipeline"))
          .as("the pipeline definition, at a pinned release")
          .matches(
              "https://github\\.com/RedHatInsights/konflux-pipelines/raw/v[\\d.]+/pipelines/"
                  + "docker-build-oci-ta\\.yaml");
      assertThat(map(map(run, "metadata"), "labels"))
          .containsEntry("appstudio.openshift.io/component", clowdAppName());
      String when = (String) annotations.get("pipelinesascode.tekton.dev/on-cel-expression");
      String event = when.contains("\"pull_request\"") ? "pull_request" : "push";
      events.add(event);
      assertThat(paramOrNull(run, "image-expires-after"))
          .as("%s: pull-request images expire, pushed ones are what gets deployed", name(run))
          .isEqualTo(event.equals("pull_request") ? "5d" : null);
    }
    assertThat(events).containsExactlyInAnyOrder("push", "pull_request");
  }

  @Test
  void portsAreClowdersInTheImageTheClowdAppAndServerXml() throws Exception {
    Containerfile.Stage runtime = containerfile.runtime();
    Map<String, String> env = runtime.pairs("ENV");
    Map<String, String> imagePorts = new LinkedHashMap<>();
    CLOWDER_PORTS.keySet().forEach(name -> imagePorts.put(name, env.get(name)));
    assertThat(imagePorts).as("the image's ports are Clowder's").isEqualTo(CLOWDER_PORTS);
    Set<String> exposed =
        runtime.arguments("EXPOSE").stream()
            .flatMap(a -> Stream.of(a.split("\\s+")))
            .collect(Collectors.toSet());
    assertThat(exposed).as("EXPOSE").isEqualTo(Set.copyOf(CLOWDER_PORTS.values()));

    Map<String, Object> podSpec = podSpec();
    for (String probe : List.of("livenessProbe", "readinessProbe")) {
      assertThat(String.valueOf(map(map(podSpec, probe), "httpGet").get("port")))
          .as("the ClowdApp's %s on the public port", probe)
          .isEqualTo(env.get("HTTP_PORT"));
    }
    List<Map<String, Object>> clowdAppEnv = list(podSpec, "env");
    assertThat(clowdAppEnv)
        .filteredOn(e -> "PRIVATE_PORT".equals(e.get("name")))
        .extracting(e -> e.get("value"))
        .as("the ClowdApp's PRIVATE_PORT")
        .containsExactly(env.get("PRIVATE_PORT"));

    Document serverXml = xml(Path.of("src/main/liberty/config/server.xml"));
    Map<String, String> defaults = new LinkedHashMap<>();
    var variables = serverXml.getElementsByTagName("variable");
    for (int i = 0; i < variables.getLength(); i++) {
      var variable = (org.w3c.dom.Element) variables.item(i);
      defaults.put(variable.getAttribute("name"), variable.getAttribute("defaultValue"));
    }
    Set<String> bound = new LinkedHashSet<>();
    var endpoints = serverXml.getElementsByTagName("httpEndpoint");
    for (int i = 0; i < endpoints.getLength(); i++) {
      var endpoint = (org.w3c.dom.Element) endpoints.item(i);
      assertThat(endpoint.getAttribute("httpsPort")).as("no HTTPS port").isEqualTo("-1");
      bound.add(endpoint.getAttribute("httpPort").replaceAll("^\\$\\{(.+)}$", "$1"));
    }
    assertThat(bound)
        .as("server.xml listens on exactly the ports the image sets")
        .isEqualTo(CLOWDER_PORTS.keySet());
    assertThat(defaults)
        .as("server.xml's defaults are Clowder's private and metrics ports already")
        .containsEntry("PRIVATE_PORT", CLOWDER_PORTS.get("PRIVATE_PORT"))
        .containsEntry("METRICS_PORT", CLOWDER_PORTS.get("METRICS_PORT"));
  }

  @Test
  void theImageCarriesRedHatsLabelsDescribingThisService() throws Exception {
    Map<String, String> labels = containerfile.runtime().pairs("LABEL");
    for (String label : REQUIRED_LABELS) {
      assertThat(labels.get(label)).as("label %s", label).isNotBlank();
    }
    assertThat(labels.get("version"))
        .as("the pom's version")
        .isEqualTo(pomProperty("version").replace("-SNAPSHOT", ""));
    assertThat(labels.get("com.redhat.component")).isEqualTo(clowdAppName() + "-container");
    for (String label : List.of("summary", "description", "io.k8s.description")) {
      assertThat(labels.get(label)).as("label %s", label).contains("AWS").contains("Azure");
    }
    assertThat(labels.get("description")).contains("replaces cloudigrade");
  }

  @Test
  void theRuntimeStageFetchesNothing() throws IOException {
    Containerfile.Stage runtime = containerfile.runtime();
    assertThat(runtime.arguments("ADD")).as("ADD can fetch URLs: COPY only").isEmpty();
    List<String> executed = new ArrayList<>(runtime.arguments("RUN"));
    executed.addAll(runtime.arguments("ENTRYPOINT"));
    executed.addAll(runtime.arguments("CMD"));
    for (String command : executed) {
      assertThat(command).as("runtime stage runs: %s", command).doesNotContainPattern(FETCHES);
    }
    // a script copied from the repository and run here is part of the stage
    for (String copy : runtime.arguments("COPY")) {
      if (copy.contains("--from=")) {
        continue;
      }
      String[] words = copy.replaceAll("--\\S+\\s+", "").split("\\s+");
      String destination = words[words.length - 1];
      if (runtime.arguments("RUN").stream().anyMatch(run -> run.contains(destination))) {
        for (String line : Files.readAllLines(Path.of(words[0]))) {
          if (!line.strip().startsWith("#")) {
            assertThat(line)
                .as("%s, run in the runtime stage", words[0])
                .doesNotContainPattern(FETCHES);
          }
        }
      }
    }
  }

  @Test
  void baseImagesAreRedHatsOpenJdkAndLibertyIsThePomsPackagedServer() throws Exception {
    for (Containerfile.Stage stage : containerfile.stages()) {
      assertThat(stage.image())
          .as("a Red Hat-supported base image at a named tag")
          .matches(
              "registry\\.access\\.redhat\\.com/ubi9/openjdk-17(-runtime)?:[\\w.-]+(@sha256:\\w+)?")
          .doesNotContain(":latest");
    }
    assertThat(containerfile.runtime().image())
        .as("the runtime: the JRE only, HotSpot as the benchmark measured")
        .contains("/openjdk-17-runtime:");
    Containerfile.Stage builder = containerfile.stages().get(0);
    assertThat(String.join(" ", builder.arguments("RUN")))
        .as("the builder packages the pom's Liberty server, only the features server.xml names")
        .contains("./mvnw")
        .contains("compile war:war")
        .contains("liberty:package")
        .contains("-Dinclude=minify")
        .as("tests are CI's: no lifecycle phase past compile, so none compiled or run here")
        .doesNotContainPattern("(^|\\s)(test-compile|test|package|verify|install)(\\s|$)");
    assertThat(containerfile.runtime().arguments("COPY"))
        .anyMatch(copy -> copy.startsWith("--from=" + builder.name() + " "));
    String server = pomProperty("liberty.server.name");
    assertThat(containerfile.runtime().arguments("ENTRYPOINT"))
        .containsExactly("[\"/opt/cloudoreg/wlp/bin/server\", \"run\", \"" + server + "\"]");
  }

  @Test
  void renovateMovesTogetherWhatMustAndPinsTheBaseImages() throws Exception {
    JsonObject renovate;
    try (JsonReader reader =
        Json.createReader(new StringReader(Files.readString(Path.of("renovate.json"))))) {
      renovate = reader.readObject();
    }
    String pom = Files.readString(Path.of("pom.xml"));
    Map<String, List<String>> groups = new LinkedHashMap<>();
    Set<String> pinned = new LinkedHashSet<>();
    for (JsonValue value : renovate.getJsonArray("packageRules")) {
      JsonObject rule = value.asJsonObject();
      List<String> names =
          rule.getJsonArray("matchPackageNames").getValuesAs(JsonString.class).stream()
              .map(JsonString::getString)
              .toList();
      groups.put(rule.getString("groupName"), names);
      if (rule.getBoolean("pinDigests", false)) {
        pinned.addAll(names);
      }
      for (String name : names) {
        if (name.contains(":")) {
          String[] coordinates = name.split(":");
          assertThat(pom)
              .as("renovate.json's %s is the pom's", name)
              .containsPattern(
                  "<groupId>"
                      + Pattern.quote(coordinates[0])
                      + "</groupId>\\s*<artifactId>"
                      + Pattern.quote(coordinates[1])
                      + "</artifactId>");
        }
      }
    }
    assertThat(groups.values())
        .as("the Liberty runtime and the plugin that installs it, in one group")
        .anyMatch(
            names ->
                names.containsAll(
                    List.of(
                        "io.openliberty:openliberty-runtime",
                        "io.openliberty.tools:liberty-maven-plugin")));
    Set<String> bases =
        containerfile.stages().stream()
            .map(stage -> stage.image().replaceAll("[:@].*$", ""))
            .collect(Collectors.toSet());
    assertThat(pinned).as("the Containerfile's base images, digests pinned").isEqualTo(bases);
    assertThat(groups.values())
        .as("builder and runtime base images move together")
        .anyMatch(names -> names.containsAll(bases));
  }

  /** The documents that could name the image: the deployment, the pipelines, the docs. */
  private static List<Path> documents() throws IOException {
    List<Path> documents = new ArrayList<>(List.of(Path.of("README.md")));
    for (Path dir : List.of(Path.of("_deployment"), TEKTON, Path.of("docs"))) {
      try (Stream<Path> files = Files.walk(dir)) {
        documents.addAll(files.filter(Files::isRegularFile).toList());
      }
    }
    return documents;
  }

  private static String imageParameter() {
    return parameters().stream()
        .filter(p -> "IMAGE".equals(p.get("name")))
        .map(p -> (String) p.get("value"))
        .findFirst()
        .orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> parameters() {
    return (List<Map<String, Object>>) template.get("parameters");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> clowdApp() {
    return ((List<Map<String, Object>>) template.get("objects"))
        .stream().filter(o -> "ClowdApp".equals(o.get("kind"))).findFirst().orElseThrow();
  }

  private static String clowdAppName() {
    return (String) map(clowdApp(), "metadata").get("name");
  }

  private static Map<String, Object> podSpec() {
    return map(list(map(clowdApp(), "spec"), "deployments").get(0), "podSpec");
  }

  private static String name(Map<String, Object> run) {
    return (String) map(run, "metadata").get("name");
  }

  private static String param(Map<String, Object> run, String name) {
    String value = paramOrNull(run, name);
    assertThat(value).as("%s param %s", name(run), name).isNotNull();
    return value;
  }

  private static String paramOrNull(Map<String, Object> run, String name) {
    return list(map(run, "spec"), "params").stream()
        .filter(p -> name.equals(p.get("name")))
        .map(p -> String.valueOf(p.get("value")))
        .findFirst()
        .orElse(null);
  }

  private static String pomProperty(String name) throws Exception {
    Document pom = xml(Path.of("pom.xml"));
    if (name.equals("version")) {
      return pom.getDocumentElement()
          .getElementsByTagName("version")
          .item(0)
          .getTextContent()
          .trim();
    }
    return pom.getElementsByTagName(name).item(0).getTextContent().trim();
  }

  private static Document xml(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
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
