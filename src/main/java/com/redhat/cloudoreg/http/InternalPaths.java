package com.redhat.cloudoreg.http;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.PathSegment;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Refuses, before any matching, what would reach an internal path where it must not: the same 404
 * and 401 as {@link Doors}, also for what matches no resource method — a wrong method (which would
 * be a 405 telling the path exists), an {@code OPTIONS} (which JAX-RS would answer 200 itself).
 * Only a refusal, never a permission: the resources' own locks decide on what matched. The path is
 * read as matching reads it — decoded segments without their matrix parameters, empty and dot
 * segments resolved — so that {@code /internal;x/…}, {@code //internal}, {@code /%69nternal} or
 * {@code /x/../internal} are internal paths here too.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class InternalPaths implements ContainerRequestFilter {
  private final Doors doors;

  @Context private HttpServletRequest servletRequest;

  /** JAX-RS creates this provider (it is no CDI bean, so its request is the container's own). */
  public InternalPaths() {
    this(Doors.configured());
  }

  InternalPaths(Doors doors) {
    this.doors = doors;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    refusal(
            request.getUriInfo().getPathSegments(true),
            servletRequest.getLocalPort(),
            request.getHeaderString(PreSharedKeys.HEADER))
        .ifPresent(refused -> request.abortWith(refused));
  }

  Optional<jakarta.ws.rs.core.Response> refusal(
      List<PathSegment> segments, int localPort, String presentedKey) {
    List<String> path = normalized(segments);
    if (path.isEmpty() || !path.get(0).equals("internal")) {
      return Optional.empty();
    }
    boolean operator =
        path.size() > 2
            && path.get(1).equals("v1")
            && (path.get(2).equals("operator") || path.get(2).equals("dead-letters"));
    return operator ? doors.operator(localPort, presentedKey) : doors.privatePort(localPort);
  }

  /** The path's segments as matching sees them. */
  static List<String> normalized(List<PathSegment> segments) {
    Deque<String> path = new ArrayDeque<>();
    for (PathSegment segment : segments) {
      for (String part : segment.getPath().split("/", -1)) {
        if (part.equals("..")) {
          path.pollLast();
        } else if (!part.isEmpty() && !part.equals(".")) {
          path.addLast(part);
        }
      }
    }
    return List.copyOf(path);
  }
}
