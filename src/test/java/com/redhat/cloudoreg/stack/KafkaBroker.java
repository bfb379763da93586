package com.redhat.cloudoreg.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft Kafka broker, run from the Maven Central jars on the test classpath as a
 * child JVM: formatted with {@code kafka.tools.StorageTool}, then started as {@code kafka.Kafka}.
 * It can be stopped and started again on the same port and data, as a broker restart.
 */
public final class KafkaBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private final String classpath;
  private ChildProcess process;

  private KafkaBroker(Path dir, int port, int controllerPort, String classpath) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.classpath = classpath;
  }

  /** Formats a fresh broker in {@code dir} and starts it on those ports. */
  public static KafkaBroker start(Path dir, String classpath, int port, int controllerPort) {
    KafkaBroker broker = new KafkaBroker(dir, port, controllerPort, classpath);
    broker.format();
    broker.resume();
    return broker;
  }

  /** The broker's JVM. */
  public ProcessHandle jvm() {
    return process.jvm();
  }

  /** The broker's own log. */
  public Path log() {
    return dir.resolve("kafka.log");
  }

  public String bootstrapServers() {
    return "localhost:" + port;
  }

  private void format() {
    Directories.recreate(dir);
    write(
        "server.properties",
        String.join(
            "\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@localhost:" + controllerPort,
            "listeners=PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort,
            "advertised.listeners=PLAINTEXT://localhost:" + port,
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "num.partitions=3",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=3",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            ""));
    // the broker's console is its log file (see java(...)): warnings and errors only
    write(
        "log4j2.properties",
        """
        rootLogger.level=WARN
        rootLogger.appenderRef.console.ref=console
        appender.console.type=Console
        appender.console.name=console
        appender.console.layout.type=PatternLayout
        appender.console.layout.pattern=[%d] %p %m (%c)%n
        """);
    ChildProcess formatting =
        java(
            "kafka.tools.StorageTool",
            "format",
            "-t",
            Uuid.randomUuid().toString(),
            "-c",
            dir.resolve("server.properties").toString());
    formatting.awaitExit("kafka storage format", Duration.ofSeconds(60));
  }

  /** Starts the broker (again) and waits until it answers. */
  public void resume() {
    process = java("kafka.Kafka", dir.resolve("server.properties").toString());
    process.awaitReady("kafka broker", Duration.ofSeconds(60), this::answers);
  }

  /** Stops the broker, keeping its data for {@link #resume()}. */
  public void pause() {
    process.stop(false, Duration.ofSeconds(30));
  }

  /** Every record of every topic whose name {@code wanted} accepts, read from the start. */
  public List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> everyRecord(
      java.util.function.Predicate<String> wanted) {
    List<org.apache.kafka.clients.consumer.ConsumerRecord<String, String>> records =
        new java.util.ArrayList<>();
    try (Admin admin =
            Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
        var consumer = Ledger.fromTheStart(bootstrapServers(), "every-record")) {
      List<org.apache.kafka.common.TopicPartition> partitions = new java.util.ArrayList<>();
      for (var topic :
          admin
              .describeTopics(
                  admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                      .filter(wanted)
                      .toList())
              .allTopicNames()
              .get(30, TimeUnit.SECONDS)
              .values()) {
        topic
            .partitions()
            .forEach(
                p ->
                    partitions.add(
                        new org.apache.kafka.common.TopicPartition(topic.name(), p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(java.time.Duration.ofMillis(200)).forEach(records::add);
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot read the broker's topics", e);
    }
    return records;
  }

  public void createTopics(List<String> topics, int partitions) {
    createTopics(topics, partitions, Map.of());
  }

  /** As {@link #createTopics(List, int)}, each new topic with these topic configs. */
  public void createTopics(List<String> topics, int partitions, Map<String, String> configs) {
    try (Admin admin = admin()) {
      List<NewTopic> missing = new ArrayList<>();
      var existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
      topics.stream()
          .filter(topic -> !existing.contains(topic))
          .forEach(
              topic -> missing.add(new NewTopic(topic, partitions, (short) 1).configs(configs)));
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create topics " + topics, e);
    }
  }

  /** Sets configs of an existing topic (the broker applies them to new requests at once). */
  public void alterTopic(String topic, Map<String, String> configs) {
    var resource =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    List<org.apache.kafka.clients.admin.AlterConfigOp> changes =
        configs.entrySet().stream()
            .map(
                config ->
                    new org.apache.kafka.clients.admin.AlterConfigOp(
                        new org.apache.kafka.clients.admin.ConfigEntry(
                            config.getKey(), config.getValue()),
                        org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))
            .toList();
    try (Admin admin = admin()) {
      admin.incrementalAlterConfigs(Map.of(resource, changes)).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot alter topic " + topic, e);
    }
  }

  private boolean answers() {
    if (!listening()) {
      return false; // no admin client (and its log lines) before the port is even open
    }
    try (Admin admin = admin()) {
      return !admin.describeCluster().nodes().get(2, TimeUnit.SECONDS).isEmpty();
    } catch (Exception notYet) {
      return false;
    }
  }

  private boolean listening() {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress("localhost", port), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000));
  }

  private ChildProcess java(String mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"));
    command.add("-cp");
    // the broker logs through log4j2; the WAR's JUL binding is the service's, not the broker's
    command.add(
        java.util.Arrays.stream(classpath.split(java.io.File.pathSeparator))
            .filter(jar -> !jar.contains("slf4j-jdk14"))
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator)));
    command.add(mainClass);
    command.addAll(List.of(args));
    return ChildProcess.start(command, Map.of(), dir.resolve("kafka.log"));
  }

  private void write(String name, String content) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(name), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.stop(false, Duration.ofSeconds(30));
    }
  }
}
