package com.redhat.cloudoreg.deployment;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
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
import org.yaml.snakeyaml.Yaml;

/**
 * The dashboard and the alert rules as the platform reads them, and the metric names their PromQL
 * queries name: what {@code MonitoringTest} checks statically and {@code ObservabilityIT} against a
 * scrape of the running service.
 */
public final class Monitoring {
  public static final Path DASHBOARD =
      Path.of(
          "_deployment/dashboards/grafana-dashboard-clouddot-insights-cloudoreg.configmap.yaml");
  public static final Path RULES = Path.of("_deployment/prometheus/cloudoreg.prometheusrule.yaml");

  /** PromQL's words that are not metric names where an identifier may stand. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "and",
          "or",
          "unless",
          "bool",
          "offset",
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "inf",
          "nan");

  /** A number or a duration ({@code 0.9e9}, {@code 5m}, {@code 1h30m}), or an identifier. */
  private static final Pattern TOKEN =
      Pattern.compile("\\d[\\w.]*|([A-Za-z_:][A-Za-z0-9_:]*)(\\s*\\()?");

  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([A-Za-z_:][A-Za-z0-9_:]*)\\s*,");

  private Monitoring() {}

  /** One alerting rule: its name, expression, labels and annotations. */
  public record Alert(
      String name, String expr, Map<String, String> labels, Map<String, String> annotations) {}

  /** The PrometheusRule's alerts, in file order. */
  @SuppressWarnings("unchecked")
  public static List<Alert> alerts() {
    Map<String, Object> rule = yaml(RULES);
    List<Alert> alerts = new ArrayList<>();
    Map<String, Object> spec = (Map<String, Object>) rule.get("spec");
    for (Map<String, Object> group : (List<Map<String, Object>>) spec.get("groups")) {
      for (Map<String, Object> r : (List<Map<String, Object>>) group.get("rules")) {
        alerts.add(
            new Alert(
                (String) r.get("alert"),
                String.valueOf(r.get("expr")),
                (Map<String, String>) r.getOrDefault("labels", Map.of()),
                (Map<String, String>) r.getOrDefault("annotations", Map.of())));
      }
    }
    return alerts;
  }

  /** The dashboard ConfigMap as YAML (labels, annotations, data). */
  public static Map<String, Object> dashboardConfigMap() {
    return yaml(DASHBOARD);
  }

  /** The dashboard's JSON, the one entry of the ConfigMap's data. */
  @SuppressWarnings("unchecked")
  public static JsonObject dashboard() {
    Map<String, String> data = (Map<String, String>) dashboardConfigMap().get("data");
    if (data == null || data.size() != 1) {
      throw new IllegalStateException("the dashboard ConfigMap holds one dashboard: " + data);
    }
    try (JsonReader reader = Json.createReader(new StringReader(data.values().iterator().next()))) {
      return reader.readObject();
    }
  }

  /** Every query of the dashboard (panels' targets, rows' panels) by where it is. */
  public static Map<String, String> dashboardQueries() {
    Map<String, String> queries = new LinkedHashMap<>();
    collectPanels(dashboard().getJsonArray("panels"), queries);
    return queries;
  }

  /** The metrics the dashboard's template variables query ({@code label_values(metric, …)}). */
  public static Set<String> templatingMetrics() {
    Set<String> metrics = new LinkedHashSet<>();
    for (JsonValue variable : dashboard().getJsonObject("templating").getJsonArray("list")) {
      Matcher m = LABEL_VALUES.matcher(variable.asJsonObject().getString("query", ""));
      while (m.find()) {
        metrics.add(m.group(1));
      }
    }
    return metrics;
  }

  /**
   * Every metric the dashboard and the alerts name, and where: the list a scrape must cover. Read
   * from the files, never kept as a second list.
   */
  public static Map<String, Set<String>> namedMetrics() {
    Map<String, Set<String>> where = new LinkedHashMap<>();
    dashboardQueries()
        .forEach(
            (place, query) ->
                metricNames(query)
                    .forEach(
                        name ->
                            where.computeIfAbsent(name, n -> new LinkedHashSet<>()).add(place)));
    templatingMetrics()
        .forEach(name -> where.computeIfAbsent(name, n -> new LinkedHashSet<>()).add("templating"));
    for (Alert alert : alerts()) {
      metricNames(alert.expr())
          .forEach(
              name ->
                  where
                      .computeIfAbsent(name, n -> new LinkedHashSet<>())
                      .add("alert " + alert.name()));
    }
    return where;
  }

  /**
   * The metric names a PromQL expression selects: identifiers outside strings, label matchers,
   * ranges and grouping clauses that are neither functions (followed by a parenthesis), keywords
   * nor numbers.
   */
  public static Set<String> metricNames(String promql) {
    String bare =
        promql
            .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", " ")
            .replaceAll("\\[[^]]*]", " ")
            .replaceAll("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    Set<String> names = new LinkedHashSet<>();
    Matcher token = TOKEN.matcher(bare);
    while (token.find()) {
      String word = token.group(1);
      boolean function = token.group(2) != null;
      if (word != null
          && !function
          && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
        names.add(word);
      }
    }
    return names;
  }

  private static void collectPanels(jakarta.json.JsonArray panels, Map<String, String> queries) {
    if (panels == null) {
      return;
    }
    for (JsonValue value : panels) {
      JsonObject panel = value.asJsonObject();
      collectPanels(panel.getJsonArray("panels"), queries);
      if (panel.containsKey("targets")) {
        for (JsonValue target : panel.getJsonArray("targets")) {
          JsonObject t = target.asJsonObject();
          queries.put(
              "panel \"" + panel.getString("title") + "\" " + t.getString("refId", "?"),
              t.getString("expr"));
        }
      }
    }
  }

  private static Map<String, Object> yaml(Path file) {
    try {
      return new Yaml().load(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
