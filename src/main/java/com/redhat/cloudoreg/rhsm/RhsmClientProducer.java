package com.redhat.cloudoreg.rhsm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * The RHSM client. With {@code RHSM_TRANSPORT=mtls} it presents our client certificate ({@code
 * RHSM_KEYSTORE}) and trusts only RHSM's CA ({@code RHSM_TRUSTSTORE}). The key stores are given to
 * this client alone through MP Rest Client's own API: Liberty's server-wide TLS configuration would
 * also reach the Sources client and the AWS SDK's connections.
 */
@ApplicationScoped
public class RhsmClientProducer {
  static final long CONNECT_TIMEOUT_MS = 2000;
  static final long READ_TIMEOUT_MS = 4500;

  @Produces
  @ApplicationScoped
  RhsmClient rhsmClient(Config config) {
    RestClientBuilder builder =
        RestClientBuilder.newBuilder()
            .baseUri(URI.create(config.getValue("RHSM_API_URL", String.class)))
            .connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
            .readTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    if (mutualTls(config)) {
      String keyPassword =
          config.getOptionalValue("RHSM_KEYSTORE_PASSWORD", String.class).orElse("");
      builder
          .keyStore(store(config, "RHSM_KEYSTORE", keyPassword), keyPassword)
          .trustStore(
              store(
                  config,
                  "RHSM_TRUSTSTORE",
                  config.getOptionalValue("RHSM_TRUSTSTORE_PASSWORD", String.class).orElse("")));
    }
    return builder.build(RhsmClient.class);
  }

  static boolean mutualTls(Config config) {
    return config
        .getOptionalValue("RHSM_TRANSPORT", String.class)
        .filter("mtls"::equals)
        .isPresent();
  }

  private static KeyStore store(Config config, String name, String password) {
    Path location = Path.of(config.getValue(name, String.class));
    String type = config.getOptionalValue(name + "_TYPE", String.class).orElse("PKCS12");
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // the location is configuration, not a secret; the password never appears here
      throw new IllegalStateException(
          "cannot load " + name + " from " + location + ": " + e.getClass().getSimpleName(), e);
    }
  }
}
