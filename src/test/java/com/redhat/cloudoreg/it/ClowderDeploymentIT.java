package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.redhat.cloudoreg.stack.Certificates;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Ports;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import com.redhat.cloudoreg.stack.StatusRules;
import com.redhat.cloudoreg.stack.StsStub;
import jakarta.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A second deployment of the packaged service, configured the way Clowder configures it: Kafka, the
 * (renamed) topics and Sources come only from a generated {@code cdappconfig.json}, Sources on its
 * TLS port signed by the CA {@code tlsCAPath} names (a TLS front of the Sources stand-in); RHSM is
 * reached over mTLS at a stand-in that refuses any caller without a client certificate it trusts.
 */
@ExtendWith(StackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClowderDeploymentIT {
  private final Stack stack;
  private Path dir;
  private Certificates certificates;
  private RhsmStub rhsm;
  private WireMockServer sourcesTls;

  ClowderDeploymentIT(Stack stack) {
    this.stack = stack;
  }

  @BeforeAll
  void clowderEnvironment() throws IOException {
    dir = Files.createDirectories(Path.of("target", "it-stack", "clowder")).toAbsolutePath();
    certificates = Certificates.generate(dir.resolve("certificates"));
    rhsm = RhsmStub.mutualTls(stack.samples, certificates);
    stack.alsoCheck(rhsm);
    // Sources' TLS port: every request passed on to the stack's Sources, which judges it
    sourcesTls =
        new WireMockServer(
            options()
                .httpDisabled(true)
                .httpsPort(Ports.free())
                .keystorePath(certificates.serverKeyStore().toString())
                .keystorePassword(Certificates.PASSWORD)
                .keyManagerPassword(Certificates.PASSWORD)
                .keystoreType("PKCS12"));
    sourcesTls.start();
    sourcesTls.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(stack.sources.url())));
  }

  /** Clowder's config for one deployment: our broker, topics renamed for it, our Sources. */
  private Path cdappconfig(String name) throws IOException {
    String[] broker = stack.kafka.bootstrapServers().split(":", -1);
    String[] sources = stack.sources.url().replace("http://", "").split(":", -1);
    var topics = Json.createArrayBuilder();
    for (String requested :
        List.of(Stack.EVENT_TOPIC, Stack.STATUS_TOPIC, Stack.DEAD_LETTER_TOPIC)) {
      topics.add(
          Json.createObjectBuilder()
              .add("requestedName", requested)
              .add("name", renamed(name, requested)));
    }
    Path config = dir.resolve("cdappconfig-" + name + ".json");
    Files.writeString(
        config,
        Json.createObjectBuilder()
            .add("publicPort", 8000)
            .add("metricsPort", 9000)
            .add(
                "kafka",
                Json.createObjectBuilder()
                    .add(
                        "brokers",
                        Json.createArrayBuilder()
                            .add(
                                Json.createObjectBuilder()
                                    .add("hostname", broker[0])
                                    .add("port", Integer.parseInt(broker[1]))))
                    .add("topics", topics))
            .add(
                "endpoints",
                Json.createArrayBuilder()
                    .add(
                        Json.createObjectBuilder()
                            .add("app", "sources-api")
                            .add("name", "svc")
                            .add("hostname", sources[0])
                            .add("port", Integer.parseInt(sources[1]))
                            .add("tlsPort", sourcesTls.httpsPort())))
            .add("tlsCAPath", certificates.serverCertificate().toString())
            .build()
            .toString());
    return config;
  }

  /** As an ephemeral environment renames topics. */
  private static String renamed(String deployment, String requested) {
    return "clowder-" + deployment + "-" + requested.substring(requested.lastIndexOf('.') + 1);
  }

  @AfterAll
  void close() {
    rhsm.close();
    sourcesTls.stop();
  }

  @Test
  void withoutAClientCertificateRhsmRefusesUsAndTheCustomerIsNotBlamed() throws IOException {
    Deployment deployment = deployedWith(certificates.emptyKeyStore(), "no-cert");
    CustomerSource customer = deployment.customer();

    List<ConsumerRecord<String, String>> statuses = deployment.statuses();

    assertThat(statuses.get(0).value()).contains("\"status\":\"unavailable\",\"error\":\"CG3100: ");
    assertThat(rhsm.registrations(customer.orgId))
        .as("no request got through the TLS handshake")
        .isEmpty();
  }

  @Test
  void withTheClientCertificateAndSourcesOverTlsTrustIsEstablished() throws IOException {
    Deployment deployment = deployedWith(certificates.clientKeyStore(), "mtls");
    CustomerSource customer = deployment.customer();

    List<ConsumerRecord<String, String>> statuses = deployment.statuses();

    assertThat(statuses.get(0).value()).contains("\"status\":\"available\",\"error\":\"\"");
    assertThat(rhsm.registrations(customer.orgId)).hasSize(1);
    assertThat(
            sourcesTls.findAll(
                anyRequestedFor(anyUrl())
                    .withHeader(SourcesStub.ORG_HEADER, equalTo(customer.orgId))))
        .as("every Sources read of the flow came through Sources' TLS port")
        .extracting(request -> request.getUrl().replaceAll("\\?.*", ""))
        .contains(
            "/api/sources/v3.1/applications/" + customer.applicationId,
            "/api/sources/v3.1/applications/" + customer.applicationId + "/authentications");
  }

  /** Starts the Clowder-configured deployment, sends one create through it, and stops it. */
  private Deployment deployedWith(Path clientKeyStore, String name) throws IOException {
    Path wlp = Path.of(System.getProperty("cloudoreg.wlp.dir"));
    String serverName = "cloudoreg-clowder-" + name;
    LibertyServer.copyServer(wlp, System.getProperty("cloudoreg.server.name"), serverName);
    List<String> topics =
        List.of(Stack.EVENT_TOPIC, Stack.STATUS_TOPIC, Stack.DEAD_LETTER_TOPIC).stream()
            .map(requested -> renamed(name, requested))
            .toList();
    stack.kafka.createTopics(topics, 3);
    Map<String, String> environment = new HashMap<>(StackExtension.FAST_RETRIES);
    environment.put("ACG_CONFIG", cdappconfig(name).toString());
    environment.put("KAFKA_GROUP_ID", serverName);
    environment.put("CLOUDOREG_START_FROM", "earliest");
    environment.put("SOURCES_PSK", Stack.PSK);
    environment.put("RHSM_API_URL", rhsm.url());
    environment.put("RHSM_TRANSPORT", "mtls");
    environment.put("RHSM_KEYSTORE", clientKeyStore.toString());
    environment.put("RHSM_KEYSTORE_PASSWORD", Certificates.PASSWORD);
    environment.put("RHSM_TRUSTSTORE", certificates.clientTrustStore().toString());
    environment.put("RHSM_TRUSTSTORE_PASSWORD", Certificates.PASSWORD);
    environment.put("AWS_ENDPOINT_URL_STS", stack.sts.url());
    environment.put("AWS_REGION", StsStub.REGION);
    environment.put("AWS_ACCESS_KEY_ID", StsStub.SERVICE_ACCESS_KEY_ID);
    environment.put("AWS_SECRET_ACCESS_KEY", StsStub.SERVICE_SECRET_ACCESS_KEY);
    LibertyServer server = new LibertyServer(wlp, serverName, environment, Ports.free());
    try (Ledger ledger = new Ledger(stack.kafka.bootstrapServers(), topics.get(1), topics.get(2));
        Events events = new Events(stack.kafka.bootstrapServers(), topics.get(0))) {
      server.start();
      CustomerSource customer = new CustomerSource(stack, events).trusting();
      customer.sendCreate();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !ledger.statusesFor(customer.applicationId).isEmpty());
      List<ConsumerRecord<String, String>> statuses = ledger.statusesFor(customer.applicationId);
      assertThat(statuses).hasSize(1);
      statuses.forEach(status -> assertThat(StatusRules.violations(status)).isEmpty());
      return new Deployment(customer, statuses);
    } finally {
      // a throwaway deployment: no need to wait for a graceful quiesce
      server.kill();
    }
  }

  private record Deployment(
      CustomerSource customer, List<ConsumerRecord<String, String>> statuses) {}
}
