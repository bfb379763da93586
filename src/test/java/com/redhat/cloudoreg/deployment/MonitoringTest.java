package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The dashboard and the alerts are what the platform takes (a labelled ConfigMap, a
 * PrometheusRule), every alert leads to a runbook section that exists and every runbook section to
 * an alert, and the query parser that ObservabilityIT relies on finds exactly the metrics a query
 * names. Whether those metrics exist is ObservabilityIT's to prove, against the running service.
 */
class MonitoringTest {
  private static final Path OPERATIONS = Path.of("docs/operations.md");
  private static final String RUNBOOK =
      "https://github.com/RedHatInsights/cloudoreg/blob/main/docs/operations.md#";

  @Test
  void theParserFindsTheMetricsAndNothingElse() {
    assertThat(
            Monitoring.metricNames(
                "histogram_quantile(0.95, sum by (le, peer, call)"
                    + " (rate(cloudoreg_peer_call_duration_seconds_bucket{namespace=\"$namespace\"}[5m])))"))
        .containsExactly("cloudoreg_peer_call_duration_seconds_bucket");
    assertThat(
            Monitoring.metricNames(
                "sum(increase(cloudoreg_events_consumed_total[15m])) == 0"
                    + " and max(delta(cloudoreg_consumer_lag[15m])) > 0"))
        .containsExactly("cloudoreg_events_consumed_total", "cloudoreg_consumer_lag");
    assertThat(
            Monitoring.metricNames(
                "max by (method) (rate(ft_circuitbreaker_state_total_nanoseconds{method=~\"a.b"
                    + " or c\",state=\"open\"}[5m])) > 0.9e9 unless on (method) up offset 5m"))
        .containsExactly("ft_circuitbreaker_state_total_nanoseconds", "up");
    assertThat(Monitoring.metricNames("time() - max(x_seconds) > 1e5 or vector(0)"))
        .containsExactly("x_seconds");
  }

  @Test
  void everyAlertHasItsLabelsTextAndARunbookSectionThatExists() throws IOException {
    Set<String> anchors = alertAnchors();
    List<Monitoring.Alert> alerts = Monitoring.alerts();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
    for (Monitoring.Alert alert : alerts) {
      assertThat(alert.name()).matches("Cloudoreg[A-Z][A-Za-z]+");
      assertThat(alert.labels()).containsEntry("service", "cloudoreg");
      assertThat(alert.labels().get("severity")).isIn("warning", "critical");
      assertThat(alert.annotations()).containsKeys("summary", "description");
      assertThat(alert.annotations().get("runbook_url"))
          .as("alert %s", alert.name())
          .startsWith(RUNBOOK);
      String anchor = alert.annotations().get("runbook_url").substring(RUNBOOK.length());
      assertThat(anchors)
          .as("a section of docs/operations.md for %s", alert.name())
          .contains(anchor);
      assertThat(anchor).isEqualTo(alert.name().toLowerCase(Locale.ROOT));
      assertThat(Monitoring.metricNames(alert.expr())).as("alert %s", alert.name()).isNotEmpty();
    }
    assertThat(anchors)
        .as("every alert section of the runbook is an alert's")
        .isEqualTo(
            alerts.stream()
                .map(a -> a.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet()));
  }

  @Test
  void theUnacknowledgedAlertFiresAtFourFifthsOfTheServersBound() throws IOException {
    Matcher bound =
        Pattern.compile("<variable name=\"CLOUDOREG_MAX_UNACKED\" defaultValue=\"(\\d+)\"/>")
            .matcher(Files.readString(Path.of("src/main/liberty/config/server.xml")));
    assertThat(bound.find()).isTrue();
    Monitoring.Alert alert =
        Monitoring.alerts().stream()
            .filter(a -> a.name().equals("CloudoregUnacknowledgedNearBound"))
            .findFirst()
            .orElseThrow();
    Matcher threshold = Pattern.compile(">\\s*(\\d+)\\s*$").matcher(alert.expr().strip());
    assertThat(threshold.find()).isTrue();
    assertThat(Long.parseLong(threshold.group(1)) * 5)
        .isEqualTo(Long.parseLong(bound.group(1)) * 4);
  }

  @Test
  @SuppressWarnings("unchecked")
  void theDashboardIsAConfigMapTheInsightsGrafanaTakes() {
    Map<String, Object> configMap = Monitoring.dashboardConfigMap();
    assertThat(configMap).containsEntry("kind", "ConfigMap");
    Map<String, Object> metadata = (Map<String, Object>) configMap.get("metadata");
    assertThat((Map<String, String>) metadata.get("labels"))
        .containsEntry("grafana_dashboard", "true");
    assertThat((Map<String, String>) metadata.get("annotations"))
        .containsEntry("grafana-folder", "/grafana-dashboard-definitions/Insights");
    assertThat(Monitoring.DASHBOARD.getFileName().toString())
        .isEqualTo(metadata.get("name") + ".configmap.yaml");

    JsonObject dashboard = Monitoring.dashboard();
    assertThat(dashboard.getString("uid")).isEqualTo("cloudoreg");
    Set<String> variables = new LinkedHashSet<>();
    for (JsonValue variable : dashboard.getJsonObject("templating").getJsonArray("list")) {
      variables.add(variable.asJsonObject().getString("name"));
    }
    assertThat(variables).contains("datasource", "namespace");
    Map<String, String> queries = Monitoring.dashboardQueries();
    assertThat(queries).isNotEmpty();
    queries.forEach(
        (place, query) ->
            assertThat(query)
                .as("%s: one namespace's series", place)
                .satisfiesAnyOf(
                    q -> assertThat(q).contains("namespace=\"$namespace\""),
                    q -> assertThat(Monitoring.metricNames(q)).isEmpty()));
  }

  /** The runbook's alert sections, as GitHub anchors: "### CloudoregX" is #cloudoregx. */
  private static Set<String> alertAnchors() throws IOException {
    String text = Files.readString(OPERATIONS);
    String alerts = text.substring(text.indexOf("\n## Alerts"));
    return alerts
        .lines()
        .filter(line -> line.startsWith("### "))
        .map(line -> line.substring(4).strip().toLowerCase(Locale.ROOT).replace(' ', '-'))
        .collect(Collectors.toSet());
  }
}
