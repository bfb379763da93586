package com.redhat.cloudoreg.http;

import jakarta.annotation.Priority;
import jakarta.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Who may reach our endpoints. Liberty serves a WAR on every port of its virtual host and cannot
 * split one WAR's paths by port, so this filter does: {@code /internal/*} answers only on the
 * private port (Clowder's {@code privatePort}, a Service only the cluster reaches) and is a 404
 * anywhere else, as if it did not exist; the operator endpoints also want one of our pre-shared
 * keys ({@code x-rh-cloudoreg-psk}), else 401. Pre-matching, so that a wrong method or path on the
 * wrong port is a 404 too, never a 405 that tells it exists.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class InternalAccess implements ContainerRequestFilter {
  private final int privatePort;
  private final PreSharedKeys keys;

  @Context private HttpServletRequest servletRequest;

  /**
   * JAX-RS creates this provider (it is no CDI bean, so that its {@code @Context} request is the
   * container's own); the settings come from MP Config all the same.
   */
  public InternalAccess() {
    this(
        ConfigProvider.getConfig().getOptionalValue("PRIVATE_PORT", Integer.class).orElse(10000),
        ConfigProvider.getConfig().getOptionalValue("CLOUDOREG_PSKS", String.class).orElse(""));
  }

  InternalAccess(int privatePort, String keys) {
    this.privatePort = privatePort;
    this.keys = new PreSharedKeys(keys);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    String path = path(request.getUriInfo().getPath());
    refusal(path, servletRequest.getLocalPort(), request.getHeaderString(PreSharedKeys.HEADER))
        .ifPresent(
            status ->
                request.abortWith(
                    error(
                        status,
                        status == Response.Status.NOT_FOUND
                            ? "not found"
                            : "send a valid pre-shared key in " + PreSharedKeys.HEADER)));
  }

  /** The status that refuses the request, or empty to let it through. */
  Optional<Response.Status> refusal(String path, int localPort, String presentedKey) {
    if (!isInternal(path)) {
      return Optional.empty();
    }
    if (localPort != privatePort) {
      return Optional.of(Response.Status.NOT_FOUND);
    }
    if (needsKey(path) && !keys.accepts(presentedKey)) {
      return Optional.of(Response.Status.UNAUTHORIZED);
    }
    return Optional.empty();
  }

  static boolean isInternal(String path) {
    return path.equals("internal") || path.startsWith("internal/");
  }

  /** The operator's tools; the availability check is Sources', which sends no key of ours. */
  static boolean needsKey(String path) {
    return path.startsWith("internal/v1/operator") || path.startsWith("internal/v1/dead-letters");
  }

  /** Without leading slashes, so {@code /internal/x} and {@code internal/x} read alike. */
  static String path(String path) {
    String relative = path == null ? "" : path;
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    return relative;
  }

  static Response error(Response.Status status, String error) {
    return Response.status(status)
        .type(MediaType.APPLICATION_JSON)
        .entity(Json.createObjectBuilder().add("error", error).build())
        .build();
  }
}
