package com.redhat.cloudoreg.sources;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Puts the pre-shared key on every call to Sources. Read once, when the client is built (the key
 * comes from a secret in the environment, which only a restart changes): a {@code
 * ClientHeaderParam} compute method read the configuration on each call, and RESTEasy invokes such
 * a method reflectively (MethodHandle.invokeWithArguments): 3 % of the service's CPU samples at
 * three Sources calls per create (JFR, docs/benchmarks.md).
 */
public class SourcesPsk implements ClientRequestFilter {
  static final String HEADER = "x-rh-sources-psk";

  private final String psk;

  public SourcesPsk() {
    psk = ConfigProvider.getConfig().getOptionalValue("SOURCES_PSK", String.class).orElse("");
  }

  @Override
  public void filter(ClientRequestContext request) {
    request.getHeaders().putSingle(HEADER, psk);
  }
}
