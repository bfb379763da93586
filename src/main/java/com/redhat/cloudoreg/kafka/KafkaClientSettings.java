package com.redhat.cloudoreg.kafka;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * The settings the liberty-kafka connector connects with (brokers, and SASL/TLS where Clowder gives
 * them), for the few Kafka clients of our own: the dead-letter replay and the health probe.
 */
@ApplicationScoped
public class KafkaClientSettings {
  private static final String CONNECTOR_PREFIX = "mp.messaging.connector.liberty-kafka.";

  private final Config config;

  @Inject
  public KafkaClientSettings(Config config) {
    this.config = config;
  }

  protected KafkaClientSettings() {
    this(null);
  }

  /** A fresh, mutable copy for one client. */
  public Map<String, Object> connection() {
    Map<String, Object> settings = new HashMap<>();
    for (String name : config.getPropertyNames()) {
      if (name.startsWith(CONNECTOR_PREFIX)) {
        config
            .getOptionalValue(name, String.class)
            .ifPresent(value -> settings.put(name.substring(CONNECTOR_PREFIX.length()), value));
      }
    }
    return settings;
  }

  public String value(String name) {
    return config.getValue(name, String.class);
  }
}
