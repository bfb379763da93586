package com.redhat.cloudoreg.health;

import com.redhat.cloudoreg.azure.AzureSettings;
import com.redhat.cloudoreg.mode.Mode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only with the settings production cannot do without (without the PSK every Sources call
 * fails) and a mode it knows ({@code live} or {@code shadow}). Names what is missing or invalid,
 * never a value. Also says whether Azure is configured: a deployment without Azure credentials is
 * ready, but skips Azure sources (no status from it), and the report says so; one with them also
 * needs our principal's object id (the offer template names it) and the offer name ({@code
 * AZURE_OFFER_NAME}, or {@code CLOUDIGRADE_ENVIRONMENT} to derive it), which decides which
 * delegation is ours to remove; an environment that is no such name is invalid. The peers' URLs
 * have no default (server.xml): a missing one is named here, never taken for localhost.
 */
@Readiness
@ApplicationScoped
public class ConfigurationReadinessCheck implements HealthCheck {
  static final List<String> REQUIRED =
      List.of("SOURCES_PSK", "SOURCES_API_URL", "RHSM_API_URL", "KAFKA_BOOTSTRAP_SERVERS");
  static final List<String> REQUIRED_FOR_MTLS = List.of("RHSM_KEYSTORE", "RHSM_TRUSTSTORE");

  private final Config config;

  /**
   * Reads the settings themselves, never a bean built from them: a bean whose settings are invalid
   * fails to build, and the report must name the setting, not fail with it.
   */
  @Inject
  public ConfigurationReadinessCheck(Config config) {
    this.config = config;
  }

  protected ConfigurationReadinessCheck() {
    this(null);
  }

  @Override
  public HealthCheckResponse call() {
    boolean mtls =
        config.getOptionalValue("RHSM_TRANSPORT", String.class).filter("mtls"::equals).isPresent();
    List<String> required =
        mtls
            ? java.util.stream.Stream.concat(REQUIRED.stream(), REQUIRED_FOR_MTLS.stream()).toList()
            : REQUIRED;
    AzureSettings azure = AzureSettings.from(config);
    List<String> missing =
        java.util.stream.Stream.concat(
                required.stream()
                    .filter(
                        name ->
                            config
                                .getOptionalValue(name, String.class)
                                .filter(v -> !v.isBlank())
                                .isEmpty()),
                azure.missing().stream())
            .toList();
    List<String> invalid = new ArrayList<>();
    try {
      Mode.of(config.getOptionalValue(Mode.PROPERTY, String.class).orElse(""));
    } catch (IllegalArgumentException unknown) {
      invalid.add(Mode.PROPERTY);
    }
    invalid.addAll(AzureSettings.invalid(config));
    return HealthCheckResponse.named("configuration")
        .status(missing.isEmpty() && invalid.isEmpty())
        .withData("missing", missing.isEmpty() ? "none" : String.join(",", missing))
        .withData("invalid", invalid.isEmpty() ? "none" : String.join(",", invalid))
        .withData("azure", azure.configured() ? "configured" : "not configured")
        .build();
  }
}
