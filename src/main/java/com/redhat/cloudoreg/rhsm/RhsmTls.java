package com.redhat.cloudoreg.rhsm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * mTLS to RHSM, for the RHSM client alone: with {@code RHSM_TRANSPORT=mtls} it presents our client
 * certificate ({@code RHSM_KEYSTORE}) and trusts only RHSM's CA ({@code RHSM_TRUSTSTORE}).
 *
 * <p>Liberty's own listener gives every REST client the server's default SSL configuration,
 * replacing any SSL context set earlier (OpenLiberty/open-liberty#33537); application listeners run
 * after it, so this one sets the RHSM client's context last. Liberty's server-wide {@code ssl}
 * configuration is no place for it either: it reaches every REST client and the AWS SDK's
 * connections.
 */
public class RhsmTls implements RestClientListener {
  @Override
  public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
    Config config = ConfigProvider.getConfig();
    if (serviceInterface == RhsmClient.class && mutualTls(config)) {
      builder.sslContext(sslContext(config));
    }
  }

  static boolean mutualTls(Config config) {
    return config
        .getOptionalValue("RHSM_TRANSPORT", String.class)
        .filter("mtls"::equals)
        .isPresent();
  }

  static SSLContext sslContext(Config config) {
    try {
      String keyPassword = password(config, "RHSM_KEYSTORE_PASSWORD");
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store(config, "RHSM_KEYSTORE", keyPassword), keyPassword.toCharArray());
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store(config, "RHSM_TRUSTSTORE", password(config, "RHSM_TRUSTSTORE_PASSWORD")));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot set up mTLS to RHSM: " + e.getClass().getSimpleName(), e);
    }
  }

  private static String password(Config config, String name) {
    return config.getOptionalValue(name, String.class).orElse("");
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
