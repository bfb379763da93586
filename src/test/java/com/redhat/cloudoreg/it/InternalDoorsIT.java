package com.redhat.cloudoreg.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Identities;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The internal doors against crafted requests: every internal and operator endpoint, on every port,
 * reached by every spelling of its path a client can send (matrix parameters on each segment,
 * percent-encoding, double slashes, dot segments, a trailing slash, case, an encoded slash or
 * semicolon, a query) and by its own method, HEAD and OPTIONS. Off the private port the answer is a
 * 404 (or Liberty's own 400 for a path it refuses to read), on the private port without our key a
 * 401 (or 404/400 likewise) — and never a 2xx, 3xx or 405. Each request is one a working door would
 * let through on the private port with the key: a door that failed would answer 2xx.
 */
@ExtendWith(StackExtension.class)
class InternalDoorsIT {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  /** Our operator key as a raw header line. */
  private static final String OPERATOR_KEY_LINE =
      Stack.OPERATOR.entrySet().stream()
          .map(header -> header.getKey() + ": " + header.getValue() + "\r\n")
          .findFirst()
          .orElseThrow();

  private final Stack stack;
  private final LibertyServer server;

  InternalDoorsIT(Stack stack) {
    this.stack = stack;
    this.server = stack.server();
  }

  /** One endpoint: its method, canonical path, body, and whether it is an operator's tool. */
  private record Door(String method, String path, String body, boolean operator) {}

  @Test
  void noCraftedPathOpensAnInternalDoorOffThePrivatePortOrWithoutTheKey() {
    CustomerSource customer = new CustomerSource(stack, null).trusting();
    String check = "{\"source_id\":\"" + customer.sourceId + "\"}";
    List<Door> doors =
        List.of(
            new Door("POST", "/internal/v1/availability_status", check, false),
            new Door("POST", "/internal/api/cloudigrade/v1/availability_status", check, false),
            new Door(
                "POST",
                "/internal/v1/operator/verify-role",
                "{\"arn\":\""
                    + customer.roleArn
                    + "\",\"external_id\":\""
                    + customer.externalId
                    + "\"}",
                true),
            new Door(
                "POST",
                "/internal/v1/operator/recheck",
                "{\"org_id\":\""
                    + customer.orgId
                    + "\",\"source_id\":\""
                    + customer.sourceId
                    + "\"}",
                true),
            new Door(
                "POST",
                "/internal/v1/operator/reconcile",
                "{\"org_id\":\"" + customer.orgId + "\"}",
                true),
            new Door("GET", "/internal/v1/operator/config", "", true),
            new Door("POST", "/internal/v1/dead-letters/replay", "", true));
    Map<String, String> tenant =
        Map.of(
            "x-rh-sources-org-id",
            customer.orgId,
            "x-rh-identity",
            Identities.user(customer.orgId, CustomerSource.ACCOUNT_NUMBER));

    List<String> opened = new ArrayList<>();
    int requests = 0;
    for (Door door : doors) {
      // the canonical path opens on the private port with what the door wants: the table's
      // refusals are the doors' doing, not a broken request
      Map<String, String> allowed = new HashMap<>(tenant);
      if (door.operator()) {
        allowed.putAll(Stack.OPERATOR);
      }
      assertThat(
              send(door.method(), base(server.privateUri("/")), door.path(), door.body(), allowed))
          .as("%s %s on the private port with the key", door.method(), door.path())
          .isBetween(200, 299);
      for (String path : variants(door.path())) {
        for (String method : List.of(door.method(), "HEAD", "OPTIONS")) {
          Map<String, String> withKey = new HashMap<>(tenant);
          withKey.putAll(Stack.OPERATOR);
          for (String port : List.of(base(server.uri("/")), base(server.metricsUri("/")))) {
            requests++;
            int status = send(method, port, path, door.body(), withKey);
            if (status != 404 && status != 400) {
              opened.add(status + " " + method + " " + port + path);
            }
          }
          if (door.operator()) {
            requests++;
            int status = send(method, base(server.privateUri("/")), path, door.body(), tenant);
            if (status != 401 && status != 404 && status != 400) {
              opened.add(status + " " + method + " private, no key, " + path);
            }
          }
        }
      }
    }
    assertThat(requests).isGreaterThan(6 * 30 * 3);
    assertThat(opened).as("answers that are neither 404/400 nor 401").isEmpty();
  }

  @Test
  void theDoorIsTheSocketsPortNeverAHostHeader() throws IOException {
    int privatePort = server.privateUri("/").getPort();
    String request =
        "GET /internal/v1/operator/config HTTP/1.1\r\n"
            + "Host: localhost:"
            + privatePort
            + "\r\n"
            + OPERATOR_KEY_LINE
            + "Connection: close\r\n\r\n";
    try (Socket socket = new Socket("localhost", server.uri("/").getPort())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer).as("the public port, whatever Host says").startsWith("HTTP/1.1 404");
    }
  }

  /** At least 30 spellings of the path that a client can send and a server may match. */
  static Set<String> variants(String path) {
    Set<String> variants = new LinkedHashSet<>();
    String[] segments = path.substring(1).split("/");
    variants.add(path);
    variants.add(path + "/");
    variants.add(path + "?x=1");
    variants.add(path + ";x");
    variants.add(path + "/.");
    variants.add("/" + path);
    variants.add("/./" + path.substring(1));
    variants.add("/x/.." + path);
    variants.add("/internal/x/.." + path.substring("/internal".length()));
    variants.add(path.toUpperCase(java.util.Locale.ROOT));
    variants.add("/Internal" + path.substring("/internal".length()));
    variants.add("/%69nternal" + path.substring("/internal".length()));
    variants.add("/%49nternal" + path.substring("/internal".length()));
    variants.add("/internal%2F" + path.substring("/internal/".length()));
    variants.add("/internal%3Bx" + path.substring("/internal".length()));
    variants.add("/internal;a=b;c=d" + path.substring("/internal".length()));
    variants.add("/internal;" + path.substring("/internal".length()));
    for (int i = 0; i < segments.length; i++) {
      variants.add(join(segments, i, segments[i] + ";x"));
      variants.add(join(segments, i, segments[i] + ";jsessionid=1"));
      variants.add(join(segments, i, encodeFirst(segments[i])));
      variants.add(join(segments, i, segments[i] + "/"));
      variants.add(join(segments, i, "./" + segments[i]));
    }
    return variants;
  }

  private static String join(String[] segments, int replaced, String with) {
    StringBuilder path = new StringBuilder();
    for (int i = 0; i < segments.length; i++) {
      path.append('/').append(i == replaced ? with : segments[i]);
    }
    return path.toString();
  }

  private static String encodeFirst(String segment) {
    return String.format("%%%02X", (int) segment.charAt(0)) + segment.substring(1);
  }

  /**
   * {@code http://host:port}: paths are appended as sent, never resolved (which would clean them).
   */
  private static String base(URI root) {
    return root.getScheme() + "://" + root.getAuthority();
  }

  private static int send(
      String method, String base, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .method(
                method,
                method.equals("HEAD") || method.equals("OPTIONS") || body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    headers.forEach(request::header);
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
