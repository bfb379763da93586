package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.stack.AzureStubs;
import com.redhat.cloudoreg.stack.Certificates;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StsStub;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
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
 * Runs last: every line every server of the suite (the stack's, the Clowder deployments', any other
 * instance) and the broker logged is searched for every secret the suite used — the PSK, our AWS
 * secret key (and the wrong one a deployment was given), the temporary credentials STS handed out,
 * our Azure client secret and the token Entra ID issued, the key and trust store password, and
 * every identity header produced (read back from the event topic), decoded too, with the personal
 * fields of its user.
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
    decoded.forEach(identity -> secrets.addAll(personalFields(identity)));
    secrets.add("jdoe@example.com");
    secrets.add(Certificates.PASSWORD);
    secrets.add(Stack.PSK);
    secrets.add(Stack.OPERATOR_PSK);
    secrets.add(StsStub.SERVICE_SECRET_ACCESS_KEY);
    secrets.add(StsCredentialsIT.WRONG_SECRET);
    secrets.add(StsStub.TEMPORARY_SECRET);
    secrets.add(StsStub.SESSION_TOKEN);
    secrets.add(AzureStubs.CLIENT_SECRET);
    secrets.add(AzureStubs.ISSUED_TOKEN);
    secrets.add(Certificates.PASSWORD);
    secrets.addAll(decoded);

    List<Path> serverLogs = serverLogDirectories();
    assertThat(serverLogs)
        .as("the stack's server among those scanned")
        .contains(stack.server().logs());
    List<Path> logs = new ArrayList<>();
    for (Path dir : serverLogs) {
      logs.addAll(files(dir));
    }
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
                    hits.add(
                        log.getParent().getFileName()
                            + "/"
                            + log.getFileName()
                            + ": a secret starting "
                            + secret.substring(0, Math.min(6, secret.length()))));
      }
    }
    System.out.printf(
        "[log scan] servers=%s files=%d lines=%d secrets=%d hits=%d%n",
        serverLogs.stream().map(dir -> dir.getParent().getFileName().toString()).toList(),
        logs.size(),
        lines,
        secrets.size(),
        hits.size());
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

  /** The logs of every server the suite created in the Liberty installation. */
  private List<Path> serverLogDirectories() throws IOException {
    Path servers = stack.server().logs().getParent().getParent();
    try (Stream<Path> each = Files.list(servers)) {
      return each.map(server -> server.resolve("logs"))
          .filter(Files::isDirectory)
          .sorted()
          .toList();
    }
  }

  /** The user's e-mail and name in a decoded identity: personal data, never to be logged. */
  private static List<String> personalFields(String decodedIdentity) {
    try (var reader = Json.createReader(new StringReader(decodedIdentity))) {
      JsonObject user = reader.readObject().getJsonObject("identity").getJsonObject("user");
      if (user == null) {
        return List.of();
      }
      return Stream.of("email", "username")
          .map(field -> user.getString(field, ""))
          .filter(value -> value.length() >= 4)
          .toList();
    } catch (RuntimeException notAnIdentity) {
      return List.of();
    }
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
