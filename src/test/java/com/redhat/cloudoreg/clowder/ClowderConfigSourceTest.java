package com.redhat.cloudoreg.clowder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.redhat.cloudoreg.stack.Samples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClowderConfigSourceTest {
  private static final String KAFKA = "mp.messaging.connector.liberty-kafka.";

  @Test
  void plainKafkaTopicsSourcesAndPorts() {
    var source = new ClowderConfigSource(Optional.of(Samples.file("cdappconfig-plain.json")));

    assertThat(source.getProperties())
        .containsOnly(
            entry("KAFKA_BOOTSTRAP_SERVERS", "env-ephemeral-kafka-bootstrap.ephemeral.svc:9092"),
            entry("SOURCES_EVENT_TOPIC", "platform.sources.event-stream"),
            entry("SOURCES_STATUS_TOPIC", "platform.sources.status"),
            entry("CLOUDOREG_DEAD_LETTER_TOPIC", "platform.cloudoreg.dead-letter"),
            entry("SOURCES_API_URL", "http://sources-api-svc.ephemeral.svc:8000"),
            entry("HTTP_PORT", "8000"),
            entry("METRICS_PORT", "9000"),
            entry("PRIVATE_PORT", "10000"));
  }

  @Test
  void passwordWithQuotesAndBackslashesSurvivesTheJaasLine(@TempDir Path dir) throws IOException {
    String password = "pa\"ss\\wo\\\"rd";
    Path config = dir.resolve("cdappconfig.json");
    Files.writeString(
        config,
        "{\"kafka\":{\"brokers\":[{\"hostname\":\"k\",\"port\":9096,\"authtype\":\"sasl\","
            + "\"sasl\":{\"username\":\"u\\\"x\",\"password\":"
            + jakarta.json.Json.createValue(password)
            + ",\"saslMechanism\":\"SCRAM-SHA-512\"}}],\"topics\":[]}}");

    String line = new ClowderConfigSource(Optional.of(config)).getValue(KAFKA + "sasl.jaas.config");
    var options =
        org.apache.kafka.common.security.JaasContext.loadClientContext(
                java.util.Map.of(
                    "sasl.jaas.config", new org.apache.kafka.common.config.types.Password(line)))
            .configurationEntries()
            .get(0)
            .getOptions();

    assertThat(options.get("password")).isEqualTo(password);
    assertThat(options.get("username")).isEqualTo("u\"x");
  }

  @Test
  void saslBrokersWithCaAndRenamedTopics() {
    var source = new ClowderConfigSource(Optional.of(Samples.file("cdappconfig-sasl.json")));

    assertThat(source.getValue("KAFKA_BOOTSTRAP_SERVERS"))
        .isEqualTo("kafka-0.mq.example.internal:9096,kafka-1.mq.example.internal:9096");
    assertThat(source.getValue(KAFKA + "security.protocol")).isEqualTo("SASL_SSL");
    assertThat(source.getValue(KAFKA + "sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
    assertThat(source.getValue(KAFKA + "sasl.jaas.config"))
        .isEqualTo(
            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                + " username=\"cloudoreg-svc\" password=\"example-password\";");
    assertThat(source.getValue(KAFKA + "ssl.truststore.type")).isEqualTo("PEM");
    assertThat(source.getValue(KAFKA + "ssl.truststore.certificates"))
        .startsWith("-----BEGIN CERTIFICATE-----\nMIIB")
        .endsWith("-----END CERTIFICATE-----\n");
    assertThat(source.getValue("SOURCES_EVENT_TOPIC")).isEqualTo("platform-tmp-3c1e0d");
    assertThat(source.getValue("SOURCES_STATUS_TOPIC")).isEqualTo("platform-tmp-77ab21");
    assertThat(source.getValue("CLOUDOREG_DEAD_LETTER_TOPIC")).isEqualTo("platform-tmp-9f0c44");
    assertThat(source.getValue("SOURCES_API_URL"))
        .as("a TLS port but no tlsPath CA to check it with: the plain port")
        .isEqualTo("http://sources-api-svc.sources-prod.svc:8000");
    assertThat(source.getPropertyNames()).doesNotContain("SOURCES_CA_PATH");
    assertThat(source.getPropertyNames())
        .as("cloudwatch credentials of Clowder's logging section are not ours to take")
        .noneMatch(
            name ->
                name.toLowerCase(java.util.Locale.ROOT).contains("cloudwatch")
                    || name.contains("AWS"));
  }

  @Test
  void everyTopicOfOursTakesTheNameClowderGaveIt(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("cdappconfig.json");
    Files.writeString(
        config,
        "{\"kafka\":{\"brokers\":[],\"topics\":["
            + "{\"requestedName\":\"platform.cloudoreg.dead-letter\",\"name\":\"tmp-1\"},"
            + "{\"requestedName\":\"platform.cloudoreg.trust\",\"name\":\"tmp-2\"}]}}");

    var source = new ClowderConfigSource(Optional.of(config));

    assertThat(source.getValue("CLOUDOREG_DEAD_LETTER_TOPIC")).isEqualTo("tmp-1");
    assertThat(source.getValue("CLOUDOREG_TRUST_TOPIC"))
        .as("the reconciliation's trust ledger, renamed in ephemeral environments too")
        .isEqualTo("tmp-2");
  }

  @Test
  void sourcesOverTlsOnlyWithClowdersCa(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("cdappconfig.json");
    Files.writeString(
        config,
        "{\"tlsCAPath\":\"/cdapp/certs/service-ca.crt\",\"endpoints\":[{\"app\":\"sources-api\","
            + "\"name\":\"svc\",\"hostname\":\"sources-api-svc\",\"port\":8000,\"tlsPort\":8443}]}");

    var source = new ClowderConfigSource(Optional.of(config));

    assertThat(source.getValue("SOURCES_API_URL")).isEqualTo("https://sources-api-svc:8443");
    assertThat(source.getValue("SOURCES_CA_PATH")).isEqualTo("/cdapp/certs/service-ca.crt");
  }

  @Test
  void tlsBrokerWithoutSasl(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("cdappconfig.json");
    Files.writeString(
        config,
        "{\"kafka\":{\"brokers\":[{\"hostname\":\"kafka\",\"port\":9093,"
            + "\"securityProtocol\":\"SSL\",\"cacert\":\"-----BEGIN CERTIFICATE-----\\nX\\n-----END CERTIFICATE-----\\n\"}],"
            + "\"topics\":[]}}");

    var source = new ClowderConfigSource(Optional.of(config));

    assertThat(source.getValue(KAFKA + "security.protocol")).isEqualTo("SSL");
    assertThat(source.getValue(KAFKA + "ssl.truststore.type")).isEqualTo("PEM");
    assertThat(source.getValue(KAFKA + "sasl.jaas.config")).isNull();
  }

  @Test
  void rankedAboveDefaultsBelowEnvironment() {
    assertThat(new ClowderConfigSource(Optional.empty()).getOrdinal())
        .isGreaterThan(100) // microprofile-config.properties
        .isLessThan(300); // environment variables
  }

  @Test
  void withoutAcgConfigItIsEmpty() {
    assertThat(new ClowderConfigSource(Optional.empty()).getPropertyNames()).isEmpty();
  }

  @Test
  void partialConfigGivesWhatItHas(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("cdappconfig.json");
    Files.writeString(config, "{\"publicPort\":8000,\"kafka\":{\"brokers\":[],\"topics\":[]}}");

    assertThat(new ClowderConfigSource(Optional.of(config)).getProperties())
        .containsOnly(entry("HTTP_PORT", "8000"));
  }
}
