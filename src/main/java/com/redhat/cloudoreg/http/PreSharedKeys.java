package com.redhat.cloudoreg.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;

/**
 * The keys an operator may present in {@code x-rh-cloudoreg-psk}: {@code CLOUDOREG_PSKS}, comma
 * separated so that a new key can be rolled out before the old one is withdrawn. Compared in
 * constant time (digests of equal length, every key tried); no key ever reaches a log or a message.
 * Without keys nothing is accepted.
 */
final class PreSharedKeys {
  static final String HEADER = "x-rh-cloudoreg-psk";

  private final List<byte[]> digests;

  PreSharedKeys(String commaSeparated) {
    this.digests =
        commaSeparated == null
            ? List.of()
            : Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(key -> !key.isEmpty())
                .map(PreSharedKeys::digest)
                .toList();
  }

  boolean accepts(String presented) {
    if (presented == null || presented.isEmpty()) {
      return false;
    }
    byte[] candidate = digest(presented);
    boolean accepted = false;
    for (byte[] key : digests) {
      accepted |= MessageDigest.isEqual(key, candidate);
    }
    return accepted;
  }

  boolean isEmpty() {
    return digests.isEmpty();
  }

  /** Digests first, so that the comparison takes as long whatever the lengths. */
  private static byte[] digest(String key) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException everyJvmHasIt) {
      throw new IllegalStateException(everyJvmHasIt);
    }
  }
}
