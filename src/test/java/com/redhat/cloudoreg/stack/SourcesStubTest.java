package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Sources stand-in's OpenAPI check must catch what real Sources would refuse. */
class SourcesStubTest {
  private static SourcesStub sources;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    sources = new SourcesStub(new Samples(), Ports.free());
  }

  @AfterAll
  static void stop() {
    sources.close();
  }

  @BeforeEach
  void reset() {
    sources.reset();
  }

  @Test
  void requestsAsTheSpecDescribesThemPass() throws Exception {
    get("/api/sources/v3.1/applications/101");
    get("/internal/v2.0/authentications/202?expose_encrypted_attribute[]=password");

    assertThat(sources.violations()).isEmpty();
  }

  @Test
  void nonNumericIdIsAViolation() throws Exception {
    get("/api/sources/v3.1/applications/abc");

    assertThat(sources.violations()).hasSize(1).first().asString().contains("applications/abc");
  }

  @Test
  void unknownPathIsAViolation() throws Exception {
    get("/api/sources/v3.1/no_such_thing/1");

    assertThat(sources.violations()).isNotEmpty();
  }

  private void get(String path) throws Exception {
    http.send(
        HttpRequest.newBuilder(URI.create(sources.url() + path.replace("[]", "%5B%5D")))
            .header("x-rh-sources-org-id", "7654321")
            .header("x-rh-sources-psk", "psk")
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }
}
