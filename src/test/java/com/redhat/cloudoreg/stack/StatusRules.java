package com.redhat.cloudoreg.stack;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every rule by which Sources' status listener judges a message ({@code sources-status.md}). The
 * listener drops a bad message without a word, so our tests must judge each one themselves.
 */
public final class StatusRules {
  private static final Set<String> STATUSES =
      Set.of("available", "unavailable", "in_progress", "partially_available");
  private static final Pattern DECIMAL = Pattern.compile("\\d+");
  private static final Pattern CUSTOMER_ERROR = Pattern.compile("CG\\d{4}: \\S.*");
  private static final Pattern LEAKS =
      Pattern.compile(
          "(?i)exception|\\bat [a-z]+\\.|localhost|127\\.0\\.0\\.1|https?://|\\.svc\\b");

  private StatusRules() {}

  /**
   * The rules the record breaks, the resource's tenant included: Sources' listener looks the
   * application up in the tenant the headers name, and drops the status when it is not there.
   */
  public static List<String> violations(
      ConsumerRecord<String, String> record, BiPredicate<String, String> tenantHasApplication) {
    List<String> broken = violations(record);
    String org = values(record, "x-rh-sources-org-id").stream().findFirst().orElse("");
    try (JsonReader reader = Json.createReader(new StringReader(record.value()))) {
      JsonValue id = reader.readObject().get("resource_id");
      String resource =
          id instanceof JsonString text ? text.getString() : String.valueOf(id).replace("\"", "");
      if (!tenantHasApplication.test(org, resource)) {
        broken.add("application " + resource + " is no application of tenant " + org);
      }
    } catch (RuntimeException notAnObject) {
      // reported by the rules above
    }
    return broken;
  }

  /** The rules the record breaks; empty when Sources would store it. */
  public static List<String> violations(ConsumerRecord<String, String> record) {
    List<String> broken = new ArrayList<>();
    List<String> eventTypes = values(record, "event_type");
    if (!eventTypes.equals(List.of("availability_status"))) {
      broken.add("event_type must be exactly availability_status once, was " + eventTypes);
    }
    List<String> orgIds = values(record, "x-rh-sources-org-id");
    if (orgIds.size() != 1 || orgIds.get(0).isBlank()) {
      broken.add("one non-empty x-rh-sources-org-id header required, was " + orgIds);
    } else if (!orgIds.get(0).equals(record.key())) {
      broken.add("key must be the org id " + orgIds.get(0) + ", was " + record.key());
    }
    if (values(record, "x-rh-sources-account-number").stream().anyMatch(String::isBlank)) {
      broken.add("x-rh-sources-account-number must be left out when empty");
    }
    if (record.headers().lastHeader("x-rh-identity") != null) {
      broken.add("x-rh-identity must not be sent: it replaces the tenant headers");
    }
    JsonObject body;
    try (JsonReader reader = Json.createReader(new StringReader(record.value()))) {
      body = reader.readObject();
    } catch (RuntimeException notAnObject) {
      broken.add("body must be a JSON object: " + notAnObject.getMessage());
      return broken;
    }
    if (!"Application".equals(string(body, "resource_type"))) {
      broken.add("resource_type must be exactly Application");
    }
    JsonValue id = body.get("resource_id");
    boolean decimalId =
        (id instanceof JsonString s && DECIMAL.matcher(s.getString()).matches())
            || (id instanceof JsonNumber n && n.isIntegral() && n.longValue() > 0);
    if (!decimalId) {
      broken.add("resource_id must be a decimal id, was " + id);
    }
    String status = string(body, "status");
    if (!STATUSES.contains(status)) {
      broken.add("status must be one of " + STATUSES + ", was " + status);
    }
    if (!(body.get("error") instanceof JsonString)) {
      broken.add("error must be a string");
      return broken;
    }
    String error = body.getString("error");
    if ("available".equals(status) && !error.isEmpty()) {
      broken.add("an available status must clear the error");
    }
    if ("unavailable".equals(status) && !CUSTOMER_ERROR.matcher(error).matches()) {
      broken.add("an unavailable error must start with its CGxxxx code: " + error);
    }
    if (LEAKS.matcher(error).find()) {
      broken.add("the customer's error must not show internals: " + error);
    }
    return broken;
  }

  private static String string(JsonObject body, String field) {
    return body.get(field) instanceof JsonString value ? value.getString() : null;
  }

  private static List<String> values(ConsumerRecord<String, String> record, String name) {
    List<String> values = new ArrayList<>();
    record
        .headers()
        .headers(name)
        .forEach(h -> values.add(new String(h.value(), java.nio.charset.StandardCharsets.UTF_8)));
    return values;
  }
}
