package com.redhat.cloudoreg.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A peer's URL that is this pod itself — this host at a port we listen on — is invalid: the pod
 * would call itself (the local-stack default for Sources, localhost:8000, is the image's own public
 * port). Other hosts, and ports not ours, are the peer's.
 */
class ConfigurationReadinessCheckTest {
  private static final Map<String, String> IMAGE =
      Map.of(
          "SOURCES_PSK", "psk",
          "RHSM_API_URL", "https://rhsm.example.com/v1",
          "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
          "CLOUDOREG_MODE", "live",
          "HTTP_PORT", "8000",
          "PRIVATE_PORT", "10000",
          "METRICS_PORT", "9000");

  @Test
  void aSourcesUrlThatIsThisPodIsInvalid() {
    for (String self :
        List.of(
            "http://localhost:8000",
            "http://LOCALHOST:8000/api",
            "http://127.0.0.1:10000",
            "http://127.0.0.2:9000",
            "http://[::1]:8000",
            "http://[0:0:0:0:0:0:0:1]:8000",
            "http://[::ffff:127.0.0.1]:8000",
            "http://0.0.0.0:8000",
            "http://sources.localhost:8000")) {
      assertThat(invalid(self)).as(self).containsExactly("SOURCES_API_URL");
    }
  }

  @Test
  void aSourcesUrlElsewhereIsTheSources() {
    for (String peer :
        List.of(
            "http://sources-api-svc.ephemeral.svc:8000",
            "http://localhost:8001",
            "http://localhost",
            "https://localhost",
            "http://10.0.0.8:8000",
            "http://999.0.0.1:8000",
            "not a url")) {
      assertThat(invalid(peer)).as(peer).isEmpty();
    }
  }

  @Test
  void aUrlWithoutAPortIsTheSchemesDefaultPort() {
    Map<String, String> onPort80 = new HashMap<>(IMAGE);
    onPort80.put("HTTP_PORT", "80");
    onPort80.put("SOURCES_API_URL", "http://localhost");

    assertThat(check(onPort80).invalid()).containsExactly("SOURCES_API_URL");
  }

  private static List<String> invalid(String sourcesUrl) {
    Map<String, String> settings = new HashMap<>(IMAGE);
    settings.put("SOURCES_API_URL", sourcesUrl);
    return check(settings).invalid();
  }

  private static ConfigurationReadinessCheck check(Map<String, String> settings) {
    return new ConfigurationReadinessCheck(
        new SmallRyeConfigBuilder()
            .withSources(new PropertiesConfigSource(settings, "test", 100))
            .build());
  }
}
