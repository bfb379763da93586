package com.redhat.cloudoreg.stack;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The realistic messages and responses of {@code shared/contracts/samples}. */
public record Samples(Path dir) {
  public String text(String name) {
    try {
      return Files.readString(dir.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public JsonObject object(String name) {
    try (JsonReader reader = Json.createReader(new StringReader(text(name)))) {
      return reader.readObject();
    }
  }
}
