package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The bad-input corpus ({@code src/test/resources/bad-input}): each file an event as it could reach
 * us, with the answer it must get — a dead letter with its reason where nobody can be told, an
 * {@code unavailable} status the customer can act on where the application is known, or nothing at
 * all for events that are not ours. After every case a good event of the same tenant must still be
 * processed: no poison message stops its partition.
 */
@ExtendWith(StackExtension.class)
class BadInputIT {
  private static final Path CORPUS = Path.of("src/test/resources/bad-input");
  private static final String CASE_HEADER = "x-test-case";

  private final Stack stack;
  private final Events events;

  BadInputIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @TestFactory
  Stream<DynamicTest> everyBadInputGetsAClearAnswer() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(CORPUS)) {
      files = listing.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(30);
    return files.stream().map(file -> DynamicTest.dynamicTest(name(file), () -> run(file)));
  }

  @AfterEach
  void closeProducer() {
    events.close();
  }

  private void run(Path file) throws IOException {
    stack.resetPeers();
    JsonObject spec = read(Files.readString(file));
    CustomerSource customer = new CustomerSource(stack, events);
    Map<String, String> values =
        Map.of(
            "$ORG",
            customer.orgId,
            "$APP",
            Long.toString(customer.applicationId),
            "$AUTH",
            Long.toString(customer.authenticationId),
            "$IDENTITY",
            Identities.user(customer.orgId, CustomerSource.ACCOUNT_NUMBER),
            "$ACCOUNT",
            customer.awsAccount,
            "$ROLE_ARN",
            customer.roleArn);
    customer.trusting();
    if (spec.containsKey("authentication")) {
      stack.sources.authentication(
          customer.orgId,
          customer.authenticationId,
          authentication(customer, spec.getJsonObject("authentication"), values));
    }

    List<Map.Entry<String, String>> headers =
        spec.containsKey("headers")
            ? spec.getJsonArray("headers").stream()
                .map(JsonValue::asJsonArray)
                .map(pair -> entry(pair.getString(0), fill(pair.getString(1), values)))
                .toList()
            : customer.createHeaders().entrySet().stream()
                .map(h -> entry(h.getKey(), h.getValue()))
                .toList();
    List<Map.Entry<String, String>> tagged =
        Stream.concat(headers.stream(), Stream.of(entry(CASE_HEADER, name(file)))).toList();
    events.send(customer.orgId, tagged, body(spec, customer, values));

    JsonObject expect = spec.getJsonObject("expect");
    switch (expect.getString("outcome")) {
      case "dead-letter" -> {
        await().atMost(CustomerSource.STATUS_WAIT).until(() -> deadLetter(file) != null);
        var letter = deadLetter(file);
        assertThat(Ledger.header(letter, "cloudoreg-error"))
            .get()
            .asString()
            .contains(expect.getString("reason"));
        assertThat(Ledger.header(letter, "cloudoreg-source-topic")).contains(Stack.EVENT_TOPIC);
        assertThat(Ledger.header(letter, "cloudoreg-source-offset"))
            .get()
            .asString()
            .matches("\\d+");
        assertThat(letter.key()).isEqualTo(customer.orgId);
        customer.awaitMarkerOfSameTenant();
        assertThat(customer.statuses()).isEmpty();
      }
      case "unavailable" -> {
        customer.awaitUnavailable(expect.getString("code"));
        if (!expect.getBoolean("awsCalled")) {
          assertThat(stack.sts.requestCount())
              .as("no AWS call for input we can judge ourselves")
              .isZero();
        }
        customer.awaitMarkerOfSameTenant();
      }
      case "available" -> {
        customer.awaitAvailable();
        customer.awaitMarkerOfSameTenant();
      }
      case "none" -> {
        customer.awaitMarkerOfSameTenant();
        assertThat(customer.statuses()).isEmpty();
        assertThat(deadLetter(file)).isNull();
      }
      default -> throw new IllegalArgumentException("unknown expected outcome in " + file);
    }
  }

  private AuthenticationSpec authentication(
      CustomerSource customer, JsonObject overrides, Map<String, String> values) {
    AuthenticationSpec base =
        AuthenticationSpec.arn(customer.roleArn, customer.externalId, customer.applicationId);
    return new AuthenticationSpec(
        field(overrides, "authtype", base.authtype(), values),
        field(overrides, "username", base.username(), values),
        field(overrides, "password", base.password(), values),
        field(overrides, "external_id", base.externalId(), values),
        field(overrides, "resource_type", base.resourceType(), values),
        base.resourceId());
  }

  private static String field(
      JsonObject overrides, String name, String fallback, Map<String, String> values) {
    return overrides.containsKey(name) ? fill(overrides.getString(name), values) : fallback;
  }

  private static String body(JsonObject spec, CustomerSource customer, Map<String, String> values) {
    if (!spec.containsKey("body")) {
      String body = customer.createBody();
      if (spec.containsKey("padToBytes")) {
        int padding = spec.getInt("padToBytes") - body.length() - 16;
        body =
            body.substring(0, body.length() - 1) + ",\"padding\":\"" + "x".repeat(padding) + "\"}";
      }
      return body;
    }
    JsonValue body = spec.get("body");
    return body.getValueType() == JsonValue.ValueType.NULL
        ? null
        : fill(((JsonString) body).getString(), values);
  }

  private org.apache.kafka.clients.consumer.ConsumerRecord<String, String> deadLetter(Path file) {
    return stack.ledger.deadLetters().stream()
        .filter(letter -> Ledger.header(letter, CASE_HEADER).filter(name(file)::equals).isPresent())
        .findFirst()
        .orElse(null);
  }

  private static String fill(String template, Map<String, String> values) {
    String filled = template;
    for (var value : values.entrySet()) {
      filled = filled.replace(value.getKey(), value.getValue());
    }
    return filled;
  }

  private static Map.Entry<String, String> entry(String name, String value) {
    return new SimpleEntry<>(name, value);
  }

  private static String name(Path file) {
    return file.getFileName().toString().replace(".json", "");
  }

  private static JsonObject read(String json) {
    try (JsonReader reader = Json.createReader(new StringReader(json))) {
      return reader.readObject();
    }
  }
}
