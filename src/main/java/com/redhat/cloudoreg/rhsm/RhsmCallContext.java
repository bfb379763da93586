package com.redhat.cloudoreg.rhsm;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import java.util.Optional;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Adds {@code X-RhApiPlatform-CallContext} when configured. In production a platform sidecar
 * injects it; local and test stacks have no sidecar and configure nothing. Read once, when the
 * client is built: the environment does not change under a running process, and a lookup per call
 * costs CPU on every event.
 */
public class RhsmCallContext implements ClientRequestFilter {
  static final String HEADER = "X-RhApiPlatform-CallContext";

  private final Optional<String> value;

  public RhsmCallContext() {
    value =
        ConfigProvider.getConfig()
            .getOptionalValue("RHSM_CALL_CONTEXT", String.class)
            .filter(configured -> !configured.isBlank());
  }

  @Override
  public void filter(ClientRequestContext request) {
    value.ifPresent(configured -> request.getHeaders().putSingle(HEADER, configured));
  }
}
