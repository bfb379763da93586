package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every ClowdApp of {@code _deployment/clowdapp.yaml}, processed as {@code oc process} would, is
 * one the API server accepts under Clowder's CRD with strict field validation ({@code oc apply
 * --validate=strict}): no unknown field, the right types, the required fields, the enum values.
 *
 * <p>The CRD's {@code openAPIV3Schema} (src/test/resources/clowder, provenance in its header) is
 * checked as JSON Schema draft 4, of which it is a subset, after spelling out what Kubernetes reads
 * into a structural schema: an object schema without {@code additionalProperties} and without
 * {@code x-kubernetes-preserve-unknown-fields} has exactly its {@code properties} (none, for an
 * empty struct such as {@code webServices.metrics}); anything else is an unknown field.
 */
class ClowdAppSchemaTest {
  private static final Path TEMPLATE = Path.of("_deployment/clowdapp.yaml");
  private static final String SCHEMA = "/clowder/clowdapp-crd-schema.yaml";

  /** What an environment would pass for the parameters that have no default. */
  private static final Map<String, String> PLAUSIBLE =
      Map.of(
          "ENV_NAME", "env-cloudoreg-stage",
          "IMAGE_TAG", "3f2c1ab",
          "RHSM_API_URL", "https://rhsm-cloud-access.stage.internal:8443/management/v1");

  /** {@code ${NAME}} inside a string; {@code ${{NAME}}} as a whole value (replaced unquoted). */
  private static final Pattern STRING_PARAMETER = Pattern.compile("\\$\\{([a-zA-Z0-9_]+)}");

  private static final Pattern VALUE_PARAMETER = Pattern.compile("\\$\\{\\{([a-zA-Z0-9_]+)}}");

  /** How the CRD's descriptions mark a deprecated field ("Deprecated: …", "(DEPRECATED, …)"). */
  private static final Pattern DEPRECATED = Pattern.compile("\\bDeprecated[:.]|\\(DEPRECATED\\b");

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Map<String, Object> crdSchema;
  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = ClowdAppSchemaTest.class.getResourceAsStream(SCHEMA)) {
      crdSchema = new Yaml().load(in);
    }
    Map<String, Object> structural = structural(deepCopy(crdSchema));
    map(structural, "properties").put("metadata", objectMeta());
    schema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
            .getSchema(JSON.valueToTree(structural));
  }

  @Test
  void everyClowdAppOfTheTemplateIsValidUnderTheCrd() throws IOException {
    List<Map<String, Object>> clowdApps = clowdApps(processedTemplate());
    assertThat(clowdApps).isNotEmpty();
    for (Map<String, Object> clowdApp : clowdApps) {
      assertThat(errors(clowdApp))
          .as("ClowdApp %s", map(clowdApp, "metadata").get("name"))
          .isEmpty();
    }
  }

  @Test
  void usesNoFieldTheCrdCallsDeprecated() throws IOException {
    for (Map<String, Object> clowdApp : clowdApps(processedTemplate())) {
      List<String> deprecated = new ArrayList<>();
      deprecatedFields(crdSchema, clowdApp, "$", deprecated);
      assertThat(deprecated).as("deprecated fields (e.g. minReplicas: use replicas)").isEmpty();
    }
  }

  @Test
  void flagsTheDeprecatedMinReplicas() throws IOException {
    Map<String, Object> clowdApp = clowdApps(processedTemplate()).get(0);
    Map<String, Object> deployment = list(map(clowdApp, "spec"), "deployments").get(0);
    deployment.put("minReplicas", deployment.remove("replicas"));
    List<String> deprecated = new ArrayList<>();
    deprecatedFields(crdSchema, clowdApp, "$", deprecated);
    assertThat(deprecated).containsExactly("$.spec.deployments[0].minReplicas");
    assertThat(errors(clowdApp)).as("still valid, only deprecated").isEmpty();
  }

  @Test
  void everyParameterTheTemplateUsesIsDeclaredAndEveryDeclaredOneIsUsed() throws IOException {
    Map<String, Object> template = new Yaml().load(Files.readString(TEMPLATE));
    Set<String> used = new LinkedHashSet<>();
    collectReferences(template.get("objects"), used);
    assertThat(parameters(template).keySet()).containsExactlyInAnyOrderElementsOf(used);
  }

  @Test
  void refusesTheTemplateWithAMisspeltField() throws IOException {
    String text = Files.readString(TEMPLATE);
    String misspelt = text.replace("\n            public:\n", "\n            pubilc:\n");
    assertThat(misspelt).isNotEqualTo(text);
    assertThat(errors(clowdApps(processed(misspelt)).get(0)))
        .containsExactly("/spec/deployments/0/webServices: unknown field 'pubilc'");
  }

  static Stream<Arguments> mistakes() {
    return Stream.of(
        Arguments.of(
            "a field of an empty struct (webServices.metrics.enabled)",
            (Consumer<Map<String, Object>>)
                d ->
                    map(d, "webServices")
                        .put("metrics", new LinkedHashMap<>(Map.of("enabled", true))),
            "/spec/deployments/0/webServices/metrics: unknown field 'enabled'"),
        Arguments.of(
            "an unknown pod spec field (startupProbe)",
            (Consumer<Map<String, Object>>)
                d -> map(d, "podSpec").put("startupProbe", map(map(d, "podSpec"), "livenessProbe")),
            "/spec/deployments/0/podSpec: unknown field 'startupProbe'"),
        Arguments.of(
            "a string where an integer belongs (replicas)",
            (Consumer<Map<String, Object>>) d -> d.put("replicas", "2"),
            "/spec/deployments/0/replicas: string found, integer expected"),
        Arguments.of(
            "a value outside an enum (k8sAccessLevel)",
            (Consumer<Map<String, Object>>) d -> d.put("k8sAccessLevel", "admin"),
            "/spec/deployments/0/k8sAccessLevel: not one of [\"default\", \"view\", \"\", \"edit\"]"),
        Arguments.of(
            "a missing required field (podSpec)",
            (Consumer<Map<String, Object>>) d -> d.remove("podSpec"),
            "/spec/deployments/0: missing required field 'podSpec'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mistakes")
  void refusesATemplateWith(String mistake, Consumer<Map<String, Object>> makeIt, String error)
      throws IOException {
    Map<String, Object> clowdApp = clowdApps(processedTemplate()).get(0);
    assertThat(errors(clowdApp)).as("the template as it is").isEmpty();
    makeIt.accept(list(map(clowdApp, "spec"), "deployments").get(0));
    assertThat(errors(clowdApp)).as(mistake).containsExactly(error);
  }

  private static List<String> errors(Map<String, Object> clowdApp) {
    List<Error> errors = schema.validate(JSON.valueToTree(clowdApp));
    return errors.stream().map(ClowdAppSchemaTest::describe).toList();
  }

  /**
   * Worded here rather than by {@link Error#getMessage()}: wiremock-standalone, earlier on the test
   * class path, carries an older copy of the validator's message bundle under the same name, whose
   * placeholders do not match this version's arguments.
   */
  private static String describe(Error error) {
    String where = error.getInstanceLocation() + ": ";
    Object[] arguments = error.getArguments();
    return where
        + switch (error.getKeyword()) {
          case "additionalProperties" -> "unknown field '" + error.getProperty() + "'";
          case "required" -> "missing required field '" + error.getProperty() + "'";
          case "type" -> arguments[0] + " found, " + arguments[1] + " expected";
          case "enum" -> "not one of " + arguments[0];
          default -> error.getKeyword() + " " + Arrays.toString(arguments);
        };
  }

  /** The template's objects with every parameter replaced, as {@code oc process} does it. */
  static Map<String, Object> processedTemplate() throws IOException {
    return processed(Files.readString(TEMPLATE));
  }

  private static Map<String, Object> processed(String templateText) {
    Map<String, Object> template = new Yaml().load(templateText);
    Map<String, String> values = new LinkedHashMap<>();
    parameters(template)
        .forEach(
            (name, parameter) -> {
              Object value = parameter.containsKey("value") ? parameter.get("value") : null;
              if (value == null) {
                assertThat(PLAUSIBLE).as("a plausible value for %s", name).containsKey(name);
                value = PLAUSIBLE.get(name);
              }
              values.put(name, String.valueOf(value));
            });
    template.put("objects", substitute(template.get("objects"), values));
    return template;
  }

  @SuppressWarnings("unchecked")
  private static Object substitute(Object node, Map<String, String> values) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> result = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> result.put(k, substitute(v, values)));
      return result;
    }
    if (node instanceof List<?> list) {
      return list.stream().map(v -> substitute(v, values)).toList();
    }
    if (node instanceof String string) {
      Matcher whole = VALUE_PARAMETER.matcher(string);
      if (whole.matches()) {
        String value = value(values, whole.group(1));
        try {
          return JSON.readValue(value, Object.class);
        } catch (RuntimeException notJson) {
          return value;
        }
      }
      return STRING_PARAMETER
          .matcher(string)
          .replaceAll(m -> Matcher.quoteReplacement(value(values, m.group(1))));
    }
    return node;
  }

  private static String value(Map<String, String> values, String name) {
    assertThat(values).as("parameter %s is declared", name).containsKey(name);
    return values.get(name);
  }

  private static void collectReferences(Object node, Set<String> names) {
    if (node instanceof Map<?, ?> map) {
      map.values().forEach(v -> collectReferences(v, names));
    } else if (node instanceof List<?> list) {
      list.forEach(v -> collectReferences(v, names));
    } else if (node instanceof String string) {
      Matcher matcher = Pattern.compile("\\$\\{\\{?([a-zA-Z0-9_]+)}}?").matcher(string);
      while (matcher.find()) {
        names.add(matcher.group(1));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> parameters(Map<String, Object> template) {
    Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
    for (Map<String, Object> p : (List<Map<String, Object>>) template.get("parameters")) {
      byName.put((String) p.get("name"), p);
    }
    return byName;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> clowdApps(Map<String, Object> template) {
    return ((List<Map<String, Object>>) template.get("objects"))
        .stream()
            .filter(o -> "ClowdApp".equals(o.get("kind")))
            .map(o -> (Map<String, Object>) deepCopy(o))
            .toList();
  }

  /**
   * The CRD schema as Kubernetes reads it. Structural schemas prune (and under strict validation
   * refuse) every field an object schema does not declare, unless it says {@code
   * x-kubernetes-preserve-unknown-fields}; {@code x-kubernetes-int-or-string} takes an integer or a
   * string; {@code nullable} admits null; {@code x-kubernetes-list-type: set} has unique items.
   * ({@code x-kubernetes-list-type: map}, unique by key, is in the CRD only for {@code
   * resources.claims}, which we do not use, and is not checked here.)
   */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> structural(Map<String, Object> node) {
    if (Boolean.TRUE.equals(node.get("x-kubernetes-int-or-string")) && !node.containsKey("anyOf")) {
      node.put(
          "anyOf",
          List.of(
              new LinkedHashMap<>(Map.of("type", "integer")),
              new LinkedHashMap<>(Map.of("type", "string"))));
    }
    if (Boolean.TRUE.equals(node.get("nullable")) && node.get("type") instanceof String type) {
      node.put("type", List.of(type, "null"));
    }
    if ("set".equals(node.get("x-kubernetes-list-type"))) {
      node.put("uniqueItems", true);
    }
    boolean object =
        "object".equals(node.get("type"))
            || node.get("type") instanceof List<?> t && t.contains("object");
    if (object
        && !node.containsKey("additionalProperties")
        && !Boolean.TRUE.equals(node.get("x-kubernetes-preserve-unknown-fields"))) {
      node.put("additionalProperties", false);
    }
    if (node.get("properties") instanceof Map<?, ?> properties) {
      ((Map<String, Object>) properties).values().forEach(p -> structural((Map<String, Object>) p));
    }
    for (String key : List.of("items", "additionalProperties", "not")) {
      if (node.get(key) instanceof Map<?, ?> sub) {
        structural((Map<String, Object>) sub);
      }
    }
    for (String key : List.of("anyOf", "allOf", "oneOf")) {
      if (node.get(key) instanceof List<?> subs) {
        subs.forEach(s -> structural((Map<String, Object>) s));
      }
    }
    return node;
  }

  /**
   * The API server checks {@code metadata} as ObjectMeta, not against the CRD's bare {@code type:
   * object}: its usual fields, nothing else.
   */
  private static Map<String, Object> objectMeta() {
    Map<String, Object> stringMap =
        Map.of("type", "object", "additionalProperties", Map.of("type", "string"));
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", Map.of("type", "string"));
    properties.put("generateName", Map.of("type", "string"));
    properties.put("namespace", Map.of("type", "string"));
    properties.put("labels", stringMap);
    properties.put("annotations", stringMap);
    properties.put("finalizers", Map.of("type", "array", "items", Map.of("type", "string")));
    properties.put("ownerReferences", Map.of("type", "array", "items", Map.of("type", "object")));
    return Map.of("type", "object", "properties", properties, "additionalProperties", false);
  }

  @SuppressWarnings("unchecked")
  private static void deprecatedFields(
      Map<String, Object> schemaNode, Object instance, String path, List<String> found) {
    if (schemaNode.get("description") instanceof String d && DEPRECATED.matcher(d).find()) {
      found.add(path);
    }
    if (instance instanceof Map<?, ?> object) {
      Map<String, Object> properties =
          schemaNode.get("properties") instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of();
      ((Map<String, Object>) object)
          .forEach(
              (name, value) -> {
                Object sub =
                    properties.containsKey(name)
                        ? properties.get(name)
                        : schemaNode.get("additionalProperties");
                if (sub instanceof Map<?, ?> subSchema) {
                  deprecatedFields(
                      (Map<String, Object>) subSchema, value, path + "." + name, found);
                }
              });
    } else if (instance instanceof List<?> items
        && schemaNode.get("items") instanceof Map<?, ?> itemSchema) {
      for (int i = 0; i < items.size(); i++) {
        deprecatedFields(
            (Map<String, Object>) itemSchema, items.get(i), path + "[" + i + "]", found);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> T deepCopy(T node) {
    if (node instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      ((Map<String, Object>) map).forEach((k, v) -> copy.put(k, deepCopy(v)));
      return (T) copy;
    }
    if (node instanceof List<?> list) {
      List<Object> copy = new ArrayList<>();
      list.forEach(v -> copy.add(deepCopy(v)));
      return (T) copy;
    }
    return node;
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
