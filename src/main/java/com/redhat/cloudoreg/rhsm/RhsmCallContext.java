package com.redhat.cloudoreg.rhsm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Adds {@code X-RhApiPlatform-CallContext} when configured. In production a platform sidecar
 * injects it; local and test stacks have no sidecar and configure nothing.
 */
public class RhsmCallContext implements ClientRequestFilter {
  static final String HEADER = "X-RhApiPlatform-CallContext";

  @Override
  public void filter(ClientRequestContext request) {
    ConfigProvider.getConfig()
        .getOptionalValue("RHSM_CALL_CONTEXT", String.class)
        .filter(value -> !value.isBlank())
        .ifPresent(value -> request.getHeaders().putSingle(HEADER, value));
  }
}
