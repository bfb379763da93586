package com.redhat.cloudoreg.http;

import jakarta.json.Json;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Who may pass our internal doors. Liberty serves a WAR on every port of its virtual host and
 * cannot split one WAR's resources by port, so each internal resource says which door it is ({@link
 * PrivatePort}, {@link OperatorKey}) and is refused twice over, by independent locks: a filter
 * bound by name to the matched resource, and the resource itself. Both decide on the port the
 * request reached on the socket (never a {@code Host} header) and on the key presented: off the
 * private port (Clowder's {@code privatePort}, a Service port only the cluster reaches) an internal
 * resource does not exist (404, never a 405 that tells it does); the operator's tools also want one
 * of our pre-shared keys ({@code x-rh-cloudoreg-psk}), else 401.
 */
public final class Doors {
  private final int privatePort;
  private final PreSharedKeys keys;

  Doors(int privatePort, String keys) {
    this.privatePort = privatePort;
    this.keys = new PreSharedKeys(keys);
  }

  /** The doors as configured ({@code PRIVATE_PORT}, {@code CLOUDOREG_PSKS}). */
  public static Doors configured() {
    Config config = ConfigProvider.getConfig();
    return new Doors(
        config.getOptionalValue("PRIVATE_PORT", Integer.class).orElse(10000),
        config.getOptionalValue("CLOUDOREG_PSKS", String.class).orElse(""));
  }

  /** The refusal of a private-port resource reached on {@code localPort}, if refused. */
  Optional<Response> privatePort(int localPort) {
    return localPort == privatePort
        ? Optional.empty()
        : Optional.of(error(Response.Status.NOT_FOUND, "not found"));
  }

  /** The refusal of an operator's tool, if refused: off the private port, or without our key. */
  Optional<Response> operator(int localPort, String presentedKey) {
    return privatePort(localPort)
        .or(
            () ->
                keys.accepts(presentedKey)
                    ? Optional.empty()
                    : Optional.of(
                        error(
                            Response.Status.UNAUTHORIZED,
                            "send a valid pre-shared key in " + PreSharedKeys.HEADER)));
  }

  static Response error(Response.Status status, String error) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Json.createObjectBuilder().add("error", error).build())
        .build();
  }
}
