package com.redhat.cloudoreg.stack;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The realistic messages and answers of {@code src/test/resources/fixtures}, and the peers'
 * published API documents of {@code src/test/resources/contracts/openapi}: the repository's own
 * copies, read from the test classpath.
 */
public final class Samples {
  private static final String FIXTURES = "/fixtures/";
  private static final String OPENAPI = "/contracts/openapi/";

  public String text(String name) {
    try (InputStream in = resource(FIXTURES + name).openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonObject object(String name) {
    try (JsonReader reader = Json.createReader(new StringReader(text(name)))) {
      return reader.readObject();
    }
  }

  /** A fixture as a file, for code that reads a path (e.g. Clowder's {@code ACG_CONFIG}). */
  public static Path file(String name) {
    try {
      return Path.of(resource(FIXTURES + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The URL of a peer's API document, for the OpenAPI validators. */
  public static String openapi(String name) {
    return resource(OPENAPI + name).toString();
  }

  private static URL resource(String name) {
    URL url = Samples.class.getResource(name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + name);
    }
    return url;
  }
}
