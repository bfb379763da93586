package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.stack.AzureStubs;
import com.redhat.cloudoreg.stack.Certificates;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs last: every line the service (and the broker) logged during the whole suite is searched for
 * every secret the suite used — the PSK, our AWS secret key, the temporary credentials STS handed
 * out, our Azure client secret and the token Entra ID issued, the trust store password, and every
 * identity header produced (read back from the event topic), decoded too.
 */
@ExtendWith(StackExtension.class)
@Order(Integer.MAX_VALUE)
class LogScanIT {
  private final Stack stack;

  LogScanIT(Stack stack) {
    this.stack = stack;
  }

  @Test
  void noSecretReachesALogLine() throws IOException {
    Set<String> secrets = new HashSet<>(identityHeadersProduced());
    assertThat(secrets).as("identity headers produced by the suite").hasSizeGreaterThan(10);
    List<String> decoded = secrets.stream().map(LogScanIT::decode).toList();
    secrets.add("jdoe@example.com");
    secrets.add(Stack.PSK);
    secrets.add(StsStub.SERVICE_SECRET_ACCESS_KEY);
    secrets.add(StsStub.TEMPORARY_SECRET);
    secrets.add(StsStub.SESSION_TOKEN);
    secrets.add(AzureStubs.CLIENT_SECRET);
    secrets.add(AzureStubs.ISSUED_TOKEN);
    secrets.add(Certificates.PASSWORD);
    secrets.addAll(decoded);

    List<Path> logs = new ArrayList<>(files(stack.server().logs()));
    logs.add(stack.kafka.log());
    long lines = 0;
    List<String> hits = new ArrayList<>();
    for (Path log : logs) {
      List<String> content = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
      lines += content.size();
      for (String line : content) {
        secrets.stream()
            .filter(line::contains)
            .forEach(
                secret ->
                    hits.add(log.getFileName() + ": a secret starting " + secret.substring(0, 6)));
      }
    }
    System.out.printf(
        "[log scan] files=%d lines=%d secrets=%d hits=%d%n",
        logs.size(), lines, secrets.size(), hits.size());
    assertThat(lines).isPositive();
    assertThat(hits).isEmpty();
  }

  private Set<String> identityHeadersProduced() {
    Set<String> identities = new HashSet<>();
    try (var consumer = Ledger.fromTheStart(stack.kafka.bootstrapServers(), "log-scan")) {
      consumer.subscribe(List.of(Stack.EVENT_TOPIC));
      int emptyPolls = 0;
      while (emptyPolls < 3) {
        var records = consumer.poll(Duration.ofSeconds(1));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        records.forEach(
            record ->
                record
                    .headers()
                    .headers("x-rh-identity")
                    .forEach(h -> identities.add(new String(h.value(), StandardCharsets.UTF_8))));
      }
    }
    identities.removeIf(value -> value.length() < 16);
    return identities;
  }

  private static String decode(String identity) {
    try {
      return new String(Base64.getDecoder().decode(identity), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return identity;
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).toList();
    }
  }
}
