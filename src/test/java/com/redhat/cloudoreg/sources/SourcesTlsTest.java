package com.redhat.cloudoreg.sources;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.redhat.cloudoreg.stack.Certificates;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Sources client trusts exactly the CA of Clowder's {@code tlsCAPath}, over real TLS. */
class SourcesTlsTest {
  @TempDir Path dir;
  private Certificates certificates;
  private WireMockServer sources;

  @BeforeEach
  void sourcesOverTls() {
    certificates = Certificates.generate(dir.resolve("certs"));
    sources =
        new WireMockServer(
            options()
                .dynamicHttpsPort()
                .httpDisabled(true)
                .keystorePath(certificates.serverKeyStore().toString())
                .keystorePassword(Certificates.PASSWORD)
                .keyManagerPassword(Certificates.PASSWORD)
                .keystoreType("PKCS12"));
    sources.start();
  }

  @AfterEach
  void stop() {
    sources.stop();
  }

  @Test
  void theCaOfClowdersPemFileIsTrusted() throws Exception {
    Path pem = pem(certificates.clientTrustStore(), dir.resolve("service-ca.crt"));

    HttpResponse<String> answer = get(SourcesTls.trusting(pem));

    assertThat(answer.statusCode()).as("TLS held; the stand-in has no stub").isEqualTo(404);
  }

  @Test
  void anyOtherCaIsNot() throws Exception {
    Path otherCa = pem(certificates.serverTrustStore(), dir.resolve("other-ca.crt"));

    assertThatThrownBy(() -> get(SourcesTls.trusting(otherCa)))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void aFileWithoutCertificateIsAClearError() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.crt"), "");

    assertThatThrownBy(() -> SourcesTls.trusting(empty)).hasMessageContaining("empty.crt");
  }

  private HttpResponse<String> get(SSLContext tls) throws Exception {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .build()
        .send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + sources.httpsPort() + "/x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** The one certificate of a trust store, as Clowder's PEM file has it. */
  private static Path pem(Path trustStore, Path pem) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(trustStore)) {
      store.load(in, Certificates.PASSWORD.toCharArray());
    }
    Certificate certificate = store.getCertificate(store.aliases().nextElement());
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded());
    return Files.writeString(
        pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
  }
}
