package com.redhat.cloudoreg.azure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * TLS for the Azure clients alone: the CAs of {@code AZURE_TRUSTSTORE}, else the JVM's default CAs
 * (never Liberty's server-wide trust, which holds other peers' CAs).
 *
 * <p>Liberty's own listener replaces the SSL context a builder was given with the server's default
 * SSL configuration (OpenLiberty/open-liberty#33537); application listeners run after it. So {@link
 * AzureClients} hands the context to the builder twice: through {@code sslContext}, for a plain
 * MicroProfile runtime, and as the property {@link #SSL_CONTEXT}, which this listener puts back
 * last. The listener reads nothing else: no configuration, no state of its own.
 */
public class AzureTls implements RestClientListener {
  static final String SSL_CONTEXT = "com.redhat.cloudoreg.azure.sslContext";

  @Override
  public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
    if (serviceInterface == EntraIdClient.class
        || serviceInterface == ResourceManagerClient.class) {
      Object context = builder.getConfiguration().getProperty(SSL_CONTEXT);
      if (context instanceof SSLContext azure) {
        builder.sslContext(azure);
      }
    }
  }

  /** The context trusting {@code settings}' trust store, or the JVM's default CAs without one. */
  static SSLContext sslContext(AzureSettings settings) {
    try {
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(
          settings
              .trustStore()
              .map(path -> load(path, settings.trustStorePassword()))
              .orElse(null));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot set up TLS to Azure: " + e.getClass().getSimpleName(), e);
    }
  }

  private static KeyStore load(Path location, String password) {
    try (InputStream in = Files.newInputStream(location)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, password.toCharArray());
      return store;
    } catch (IOException | GeneralSecurityException e) {
      // the location is configuration, not a secret; the password never appears here
      throw new IllegalStateException(
          "cannot load AZURE_TRUSTSTORE from " + location + ": " + e.getClass().getSimpleName(), e);
    }
  }
}
