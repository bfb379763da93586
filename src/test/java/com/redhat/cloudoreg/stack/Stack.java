package com.redhat.cloudoreg.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything cloudoreg talks to, for real or as faithful stand-ins, plus cloudoreg itself: a real
 * Kafka broker, WireMock stand-ins for Sources, RHSM and STS, and the packaged WAR on Liberty.
 */
public final class Stack implements AutoCloseable {
  public static final String EVENT_TOPIC = "platform.sources.event-stream";
  public static final String STATUS_TOPIC = "platform.sources.status";
  public static final String DEAD_LETTER_TOPIC = "platform.cloudoreg.dead-letter";

  /** The pre-shared key the stack configures; a secret that must never reach a log. */
  public static final String PSK = "cloudoreg-test-psk-Hx4t7LmQ";

  public final KafkaBroker kafka;
  public final SourcesStub sources;
  public final RhsmStub rhsm;
  public final StsStub sts;
  public final Samples samples;
  public final Ledger ledger;
  public final LibertyServer server;
  public final Duration serverStartup;

  private Stack(Settings settings) {
    samples = new Samples(settings.contracts().resolve("samples"));
    kafka = KafkaBroker.start(settings.work().resolve("kafka"), settings.testClasspath());
    kafka.createTopics(List.of(EVENT_TOPIC, STATUS_TOPIC, DEAD_LETTER_TOPIC), 3);
    sources = new SourcesStub(samples, settings.contracts().resolve("openapi"));
    rhsm = new RhsmStub(samples);
    sts = new StsStub();
    ledger = new Ledger(kafka.bootstrapServers());
    Map<String, String> environment = new HashMap<>();
    environment.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    environment.put("SOURCES_API_URL", sources.url());
    environment.put("SOURCES_PSK", PSK);
    environment.put("RHSM_API_URL", rhsm.url());
    environment.put("AWS_ENDPOINT_URL_STS", sts.url());
    environment.put("AWS_REGION", "us-east-1");
    environment.put("AWS_ACCESS_KEY_ID", StsStub.SERVICE_ACCESS_KEY_ID);
    environment.put("AWS_SECRET_ACCESS_KEY", StsStub.SERVICE_SECRET_ACCESS_KEY);
    environment.putAll(settings.environment());
    server = new LibertyServer(settings.wlp(), settings.serverName(), environment);
    serverStartup = server.start();
  }

  public static Stack start(Settings settings) {
    return new Stack(settings);
  }

  /** Every peer back to its default answers, between tests. */
  public void resetPeers() {
    sources.reset();
    rhsm.reset();
    sts.reset();
  }

  @Override
  public void close() {
    server.close();
    ledger.close();
    sources.close();
    rhsm.close();
    sts.close();
    kafka.close();
  }

  /** Where things are, and extra environment for the server (e.g. faster retries in tests). */
  public record Settings(
      Path work,
      Path contracts,
      Path wlp,
      String serverName,
      String testClasspath,
      Map<String, String> environment) {}
}
