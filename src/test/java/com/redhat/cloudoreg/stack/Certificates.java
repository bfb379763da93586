package com.redhat.cloudoreg.stack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Key and trust stores made with the JDK's {@code keytool} at test time: a server certificate for
 * localhost, a client certificate, each trusted by the other side, and a key store without any key
 * (a client that presents no certificate).
 */
public record Certificates(Path dir) {
  public static final String PASSWORD = "cloudoreg-test-store";

  public static Certificates generate(Path dir) {
    Directories.recreate(dir);
    Certificates certificates = new Certificates(dir);
    certificates.keyPair(
        "server", certificates.serverKeyStore(), "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1");
    certificates.keyPair("client", certificates.clientKeyStore(), "CN=cloudoreg,O=Red Hat", null);
    certificates.trust("server", certificates.serverKeyStore(), certificates.clientTrustStore());
    certificates.trust("client", certificates.clientKeyStore(), certificates.serverTrustStore());
    certificates.keyPair("nobody", certificates.emptyKeyStore(), "CN=nobody", null);
    certificates.keytool(
        "-delete",
        "-alias",
        "nobody",
        "-keystore",
        certificates.emptyKeyStore().toString(),
        "-storepass",
        PASSWORD);
    return certificates;
  }

  public Path serverKeyStore() {
    return dir.resolve("server.p12");
  }

  /** The server's certificate, PEM: a CA file as Clowder's {@code tlsCAPath} names one. */
  public Path serverCertificate() {
    return dir.resolve("server.crt");
  }

  public Path serverTrustStore() {
    return dir.resolve("server-trust.p12");
  }

  public Path clientKeyStore() {
    return dir.resolve("client.p12");
  }

  public Path clientTrustStore() {
    return dir.resolve("client-trust.p12");
  }

  public Path emptyKeyStore() {
    return dir.resolve("no-client-certificate.p12");
  }

  private void keyPair(String alias, Path store, String name, String extension) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "2",
                "-dname",
                name,
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD));
    if (extension != null) {
      command.addAll(List.of("-ext", extension));
    }
    keytool(command.toArray(String[]::new));
  }

  private void trust(String alias, Path from, Path into) {
    Path certificate = dir.resolve(alias + ".crt");
    keytool(
        "-exportcert",
        "-alias",
        alias,
        "-keystore",
        from.toString(),
        "-storepass",
        PASSWORD,
        "-rfc",
        "-file",
        certificate.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        alias,
        "-file",
        certificate.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        into.toString(),
        "-storepass",
        PASSWORD);
  }

  private void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    ChildProcess.start(command, Map.of(), dir.resolve("keytool.log"))
        .awaitExit("keytool " + args[0], Duration.ofSeconds(60));
  }
}
