package com.redhat.cloudoreg.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Working directories of the stack, fresh for every run. */
final class Directories {
  private Directories() {}

  /** Deletes {@code dir} with all it holds, and creates it empty. */
  static Path recreate(Path dir) {
    try {
      if (Files.exists(dir)) {
        try (var paths = Files.walk(dir)) {
          for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(path);
          }
        }
      }
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
