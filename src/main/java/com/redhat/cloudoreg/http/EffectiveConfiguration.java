package com.redhat.cloudoreg.http;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The settings cloudoreg runs with, as an operator may see them: ours and the wiring that refers to
 * them (not the whole environment), every secret shown as {@code <redacted>}.
 */
final class EffectiveConfiguration {
  static final String REDACTED = "<redacted>";

  /** Ours: server.xml's variables, the channel and client wiring, and the SDKs' own settings. */
  private static final Pattern OURS =
      Pattern.compile(
          "(CLOUDOREG_|KAFKA_|SOURCES_|RHSM_|AWS_|AZURE_|mp\\.messaging\\.|mp\\.metrics\\.|"
              + "sources/mp-rest/|rhsm/mp-rest/).*|(HTTP|METRICS|PRIVATE)_PORT|LOG_FORMAT"
              + "|CLOUDIGRADE_ENVIRONMENT");

  /**
   * A key that names a secret. The JAAS line carries the SASL password under a name that does not
   * say so; credentials likewise.
   */
  private static final Pattern SECRET =
      Pattern.compile(".*(PSK|SECRET|PASSWORD|KEY|TOKEN|JAAS|CREDENTIAL).*");

  private EffectiveConfiguration() {}

  static Map<String, String> of(Iterable<String> names, Function<String, Optional<String>> value) {
    Map<String, String> shown = new TreeMap<>();
    for (String name : names) {
      if (OURS.matcher(name).matches()) {
        value.apply(name).ifPresent(v -> shown.put(name, isSecret(name) ? REDACTED : v));
      }
    }
    return shown;
  }

  static boolean isSecret(String name) {
    return SECRET.matcher(name.toUpperCase(Locale.ROOT)).matches();
  }
}
