package com.redhat.cloudoreg.health;

import com.redhat.cloudoreg.azure.AzureSettings;
import com.redhat.cloudoreg.mode.Mode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only with the settings production cannot do without (without the PSK every Sources call
 * fails) and a mode it knows ({@code live} or {@code shadow}). Names what is missing or invalid,
 * never a value. Also says whether Azure is configured: a deployment without Azure credentials is
 * ready, but skips Azure sources (no status from it), and the report says so; one with them also
 * needs the offer name ({@code AZURE_OFFER_NAME}, or {@code CLOUDIGRADE_ENVIRONMENT} to derive it),
 * which decides which delegation is ours to remove; an environment that is no such name is invalid.
 * Whether the offer template is served is shown, without going DOWN for it. A peer's URL on this
 * host at one of our own ports is invalid: the pod would call itself (server.xml's local-stack
 * default for Sources is port 8000, the image's {@code HTTP_PORT}).
 */
@Readiness
@ApplicationScoped
public class ConfigurationReadinessCheck implements HealthCheck {
  static final List<String> REQUIRED =
      List.of("SOURCES_PSK", "SOURCES_API_URL", "RHSM_API_URL", "KAFKA_BOOTSTRAP_SERVERS");
  static final List<String> REQUIRED_FOR_MTLS = List.of("RHSM_KEYSTORE", "RHSM_TRUSTSTORE");
  static final List<String> PEER_URLS = List.of("SOURCES_API_URL", "RHSM_API_URL");
  private static final List<String> OUR_PORTS =
      List.of("HTTP_PORT", "PRIVATE_PORT", "METRICS_PORT");

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
    List<String> invalid = invalid();
    return HealthCheckResponse.named("configuration")
        .status(missing.isEmpty() && invalid.isEmpty())
        .withData("missing", missing.isEmpty() ? "none" : String.join(",", missing))
        .withData("invalid", invalid.isEmpty() ? "none" : String.join(",", invalid))
        .withData("azure", azure.configured() ? "configured" : "not configured")
        .withData("offer-template", azure.offersTemplate() ? "served" : "not served")
        .build();
  }

  /** The settings whose value cannot be right, whatever else is set. */
  List<String> invalid() {
    List<String> invalid = new ArrayList<>();
    try {
      Mode.of(config.getOptionalValue(Mode.PROPERTY, String.class).orElse(""));
    } catch (IllegalArgumentException unknown) {
      invalid.add(Mode.PROPERTY);
    }
    invalid.addAll(AzureSettings.invalid(config));
    PEER_URLS.stream().filter(this::isThisPod).forEach(invalid::add);
    return invalid;
  }

  /**
   * Whether the URL setting names this host (localhost, or a loopback or wildcard address) at one
   * of the ports we listen on (the scheme's default port when it names none).
   */
  private boolean isThisPod(String urlSetting) {
    try {
      Optional<URI> url =
          config.getOptionalValue(urlSetting, String.class).map(String::strip).map(URI::create);
      if (url.isEmpty() || url.get().getHost() == null || !isThisHost(url.get().getHost())) {
        return false;
      }
      int port =
          url.get().getPort() != -1
              ? url.get().getPort()
              : "https".equalsIgnoreCase(url.get().getScheme()) ? 443 : 80;
      return OUR_PORTS.stream()
          .map(ours -> config.getOptionalValue(ours, Integer.class))
          .flatMap(Optional::stream)
          .anyMatch(ours -> ours == port);
    } catch (IllegalArgumentException unreadable) {
      // not a URL, or a port setting that is no number: other checks and the clients say so
      return false;
    }
  }

  private static boolean isThisHost(String host) {
    String bare = host.replaceAll("^\\[|\\]$", "").toLowerCase(Locale.ROOT);
    if (bare.equals("localhost") || bare.endsWith(".localhost") || bare.equals("localhost.")) {
      return true;
    }
    boolean ipv4 =
        bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
            && Arrays.stream(bare.split("\\.")).allMatch(octet -> Integer.parseInt(octet) < 256);
    if (!ipv4 && !bare.contains(":")) {
      return false; // a name: never looked up here
    }
    try {
      InetAddress address = InetAddress.getByName(bare); // an address literal: no lookup
      return address.isLoopbackAddress() || address.isAnyLocalAddress();
    } catch (UnknownHostException notAnAddress) {
      return false;
    }
  }
}
