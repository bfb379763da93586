package com.redhat.cloudoreg.clowder;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Clowder's {@code cdappconfig.json} (named by {@code ACG_CONFIG}) as configuration: Kafka's
 * brokers, SASL credentials and CA certificate, the real names of the topics we asked for, the
 * {@code sources-api} endpoint, and the public, private and metrics ports (for MP Config: Liberty
 * listens on the ports of its environment, which the image and the ClowdApp set to Clowder's). It
 * ranks above the defaults and below environment variables, so an explicit variable still wins.
 * Without {@code ACG_CONFIG} it is empty.
 */
public class ClowderConfigSource implements ConfigSource {
  static final int ORDINAL = 270;
  private static final String KAFKA = "mp.messaging.connector.liberty-kafka.";
  private static final Map<String, String> TOPICS =
      Map.of(
          "platform.sources.event-stream", "SOURCES_EVENT_TOPIC",
          "platform.sources.status", "SOURCES_STATUS_TOPIC",
          "platform.cloudoreg.dead-letter", "CLOUDOREG_DEAD_LETTER_TOPIC",
          "platform.cloudoreg.trust", "CLOUDOREG_TRUST_TOPIC");

  private final Map<String, String> properties;

  public ClowderConfigSource() {
    this(Optional.ofNullable(System.getenv("ACG_CONFIG")).filter(p -> !p.isBlank()).map(Path::of));
  }

  ClowderConfigSource(Optional<Path> cdappconfig) {
    this.properties = cdappconfig.map(ClowderConfigSource::read).orElse(Map.of());
  }

  static Map<String, String> read(Path cdappconfig) {
    try (Reader file = Files.newBufferedReader(cdappconfig, StandardCharsets.UTF_8);
        JsonReader reader = Json.createReader(file)) {
      return Collections.unmodifiableMap(properties(reader.readObject()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Clowder's config " + cdappconfig, e);
    }
  }

  static Map<String, String> properties(JsonObject config) {
    Map<String, String> properties = new HashMap<>();
    port(config, "publicPort").ifPresent(port -> properties.put("HTTP_PORT", port));
    port(config, "metricsPort").ifPresent(port -> properties.put("METRICS_PORT", port));
    port(config, "privatePort").ifPresent(port -> properties.put("PRIVATE_PORT", port));
    JsonObject kafka = config.getJsonObject("kafka");
    if (kafka != null) {
      kafka(kafka, properties);
    }
    objects(config.getJsonArray("endpoints")).stream()
        .filter(
            e ->
                "sources-api".equals(e.getString("app", ""))
                    && "svc".equals(e.getString("name", "")))
        .findFirst()
        .ifPresent(
            sources -> {
              String caPath = config.getString("tlsCAPath", "");
              boolean tls = sources.getInt("tlsPort", 0) != 0 && !caPath.isBlank();
              properties.put("SOURCES_API_URL", url(sources, tls));
              if (tls) {
                properties.put("SOURCES_CA_PATH", caPath);
              }
            });
    return properties;
  }

  /**
   * Clowder's TLS port when it offers one and gives the CA that signs it ({@code tlsCAPath}, then
   * trusted by the Sources client alone), else the plain port: never TLS against a CA we cannot
   * check.
   */
  private static String url(JsonObject endpoint, boolean tls) {
    return tls
        ? "https://" + endpoint.getString("hostname") + ":" + endpoint.getInt("tlsPort")
        : "http://" + endpoint.getString("hostname") + ":" + endpoint.getInt("port");
  }

  private static void kafka(JsonObject kafka, Map<String, String> properties) {
    List<JsonObject> brokers = objects(kafka.getJsonArray("brokers"));
    if (!brokers.isEmpty()) {
      properties.put(
          "KAFKA_BOOTSTRAP_SERVERS",
          brokers.stream()
              .map(b -> b.getString("hostname") + ":" + b.getInt("port"))
              .collect(Collectors.joining(",")));
      JsonObject broker = brokers.get(0);
      String protocol = broker.getString("securityProtocol", "");
      if (!protocol.isBlank()) {
        properties.put(KAFKA + "security.protocol", protocol);
      }
      JsonObject sasl = broker.getJsonObject("sasl");
      if ("sasl".equals(broker.getString("authtype", "")) && sasl != null) {
        String mechanism = sasl.getString("saslMechanism", "SCRAM-SHA-512");
        properties.put(
            KAFKA + "security.protocol",
            sasl.getString("securityProtocol", protocol.isBlank() ? "SASL_SSL" : protocol));
        properties.put(KAFKA + "sasl.mechanism", mechanism);
        properties.put(
            KAFKA + "sasl.jaas.config",
            loginModule(mechanism)
                + " required username=\""
                + jaasQuoted(sasl.getString("username"))
                + "\" password=\""
                + jaasQuoted(sasl.getString("password"))
                + "\";");
      }
      String caCertificate = broker.getString("cacert", "");
      if (!caCertificate.isBlank()) {
        properties.put(KAFKA + "ssl.truststore.type", "PEM");
        properties.put(KAFKA + "ssl.truststore.certificates", caCertificate);
      }
    }
    for (JsonObject topic : objects(kafka.getJsonArray("topics"))) {
      String variable = TOPICS.get(topic.getString("requestedName", ""));
      if (variable != null) {
        properties.put(variable, topic.getString("name"));
      }
    }
  }

  /**
   * A value inside the JAAS line's double quotes: Kafka's parser reads backslash escapes there, so
   * a password with a quote or a backslash must not end the value early or lose a character.
   */
  static String jaasQuoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String loginModule(String mechanism) {
    return mechanism.startsWith("SCRAM")
        ? "org.apache.kafka.common.security.scram.ScramLoginModule"
        : "org.apache.kafka.common.security.plain.PlainLoginModule";
  }

  private static Optional<String> port(JsonObject config, String name) {
    return config.containsKey(name) && config.get(name).getValueType() == JsonValue.ValueType.NUMBER
        ? Optional.of(Integer.toString(config.getInt(name)))
        : Optional.empty();
  }

  private static List<JsonObject> objects(JsonArray array) {
    return array == null ? List.of() : array.getValuesAs(JsonObject.class);
  }

  @Override
  public Set<String> getPropertyNames() {
    return properties.keySet();
  }

  @Override
  public String getValue(String name) {
    return properties.get(name);
  }

  @Override
  public String getName() {
    return "Clowder cdappconfig.json";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
