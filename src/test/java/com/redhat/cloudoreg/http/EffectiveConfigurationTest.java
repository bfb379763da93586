package com.redhat.cloudoreg.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EffectiveConfigurationTest {
  @Test
  void showsOurSettingsWithSecretsRedacted() {
    Map<String, String> config =
        Map.ofEntries(
            Map.entry("SOURCES_API_URL", "http://sources:8000"),
            Map.entry("SOURCES_PSK", "s3cret"),
            Map.entry("CLOUDOREG_PSKS", "a,b"),
            Map.entry("AWS_SECRET_ACCESS_KEY", "k"),
            Map.entry("AWS_ACCESS_KEY_ID", "id"),
            Map.entry("AWS_SESSION_TOKEN", "t"),
            Map.entry("RHSM_KEYSTORE_PASSWORD", "p"),
            Map.entry("AZURE_CLIENT_SECRET", "c"),
            Map.entry("PRIVATE_PORT", "10000"),
            Map.entry("CLOUDIGRADE_ENVIRONMENT", "prod"),
            Map.entry(
                "mp.messaging.connector.liberty-kafka.sasl.jaas.config",
                "ScramLoginModule required username=\"u\" password=\"p\";"),
            Map.entry("mp.messaging.incoming.sources-events-in.group.id", "cloudoreg"),
            Map.entry("PATH", "/usr/bin"),
            Map.entry("HOME", "/home/default"));

    Map<String, String> shown =
        EffectiveConfiguration.of(config.keySet(), name -> Optional.ofNullable(config.get(name)));

    assertThat(shown)
        .containsEntry("SOURCES_API_URL", "http://sources:8000")
        .containsEntry("PRIVATE_PORT", "10000")
        .containsEntry("CLOUDIGRADE_ENVIRONMENT", "prod")
        .containsEntry("mp.messaging.incoming.sources-events-in.group.id", "cloudoreg")
        .containsEntry("SOURCES_PSK", EffectiveConfiguration.REDACTED)
        .containsEntry("CLOUDOREG_PSKS", EffectiveConfiguration.REDACTED)
        .containsEntry("AWS_SECRET_ACCESS_KEY", EffectiveConfiguration.REDACTED)
        .containsEntry("AWS_ACCESS_KEY_ID", EffectiveConfiguration.REDACTED)
        .containsEntry("AWS_SESSION_TOKEN", EffectiveConfiguration.REDACTED)
        .containsEntry("RHSM_KEYSTORE_PASSWORD", EffectiveConfiguration.REDACTED)
        .containsEntry("AZURE_CLIENT_SECRET", EffectiveConfiguration.REDACTED)
        .containsEntry(
            "mp.messaging.connector.liberty-kafka.sasl.jaas.config",
            EffectiveConfiguration.REDACTED)
        .doesNotContainKeys("PATH", "HOME");
  }
}
