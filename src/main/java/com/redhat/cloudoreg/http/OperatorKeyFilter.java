package com.redhat.cloudoreg.http;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * The first lock of an {@link OperatorKey} door, bound by name to the matched resource like {@link
 * PrivatePortFilter}: 404 off the private port, 401 without one of our keys.
 */
@Provider
@OperatorKey
@Priority(Priorities.AUTHENTICATION)
public class OperatorKeyFilter implements ContainerRequestFilter {
  private final Doors doors = Doors.configured();
  @Context private HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    doors
        .operator(servletRequest.getLocalPort(), request.getHeaderString(PreSharedKeys.HEADER))
        .ifPresent(request::abortWith);
  }
}
