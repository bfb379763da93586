package com.redhat.cloudoreg.sources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.rest.client.RestClientBuilder;
import org.eclipse.microprofile.rest.client.spi.RestClientListener;

/**
 * TLS to Sources on the cluster, for the Sources client alone: with {@code SOURCES_CA_PATH} (from
 * Clowder's {@code tlsCAPath}) it trusts exactly the CA(s) in that PEM file. Runs after Liberty's
 * own listener, which would replace an earlier context (OpenLiberty/open-liberty#33537).
 */
public class SourcesTls implements RestClientListener {
  @Override
  public void onNewClient(Class<?> serviceInterface, RestClientBuilder builder) {
    if (serviceInterface == SourcesClient.class) {
      ConfigProvider.getConfig()
          .getOptionalValue("SOURCES_CA_PATH", String.class)
          .filter(path -> !path.isBlank())
          .map(Path::of)
          .ifPresent(ca -> builder.sslContext(trusting(ca)));
    }
  }

  static SSLContext trusting(Path pemCertificates) {
    try (InputStream in = Files.newInputStream(pemCertificates)) {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        trusted.setCertificateEntry("clowder-ca-" + i++, certificate);
      }
      if (i == 0) {
        throw new IllegalStateException("no certificate in " + pemCertificates);
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(
          "cannot trust the CA in " + pemCertificates + ": " + e.getClass().getSimpleName(), e);
    }
  }
}
