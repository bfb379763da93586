package com.redhat.cloudoreg.http;

import jakarta.annotation.Priority;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;

/**
 * The first lock of a {@link PrivatePort} door: bound by name to the resource the request matched,
 * so it decides on what matched, whatever the path looked like; 404 off the private port. JAX-RS
 * creates it (it is no CDI bean), so that its {@code @Context} request is the container's own.
 */
@Provider
@PrivatePort
@Priority(Priorities.AUTHENTICATION)
public class PrivatePortFilter implements ContainerRequestFilter {
  private final Doors doors = Doors.configured();
  @Context private HttpServletRequest servletRequest;

  @Override
  public void filter(ContainerRequestContext request) {
    doors.privatePort(servletRequest.getLocalPort()).ifPresent(request::abortWith);
  }
}
