package com.redhat.cloudoreg.azure;

import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.eclipse.microprofile.rest.client.RestClientBuilder;

/**
 * Builds the typed Azure clients on the configured URLs. Each call is also bounded by the
 * verifier's {@code @Timeout}; these keep a hung socket from outliving it. Every status comes back
 * as a {@code Response} (the default exception mapper is off): the Azure classes read Azure's error
 * bodies themselves.
 */
final class AzureClients {
  static final long CONNECT_TIMEOUT_MS = 2000;
  static final long READ_TIMEOUT_MS = 4500;
  private static final String DISABLE_DEFAULT_MAPPER =
      "microprofile.rest.client.disable.default.mapper";

  private AzureClients() {}

  static EntraIdClient entraId(AzureSettings settings, SSLContext tls) {
    return build(EntraIdClient.class, settings.authorityHost(), tls);
  }

  static ResourceManagerClient resourceManager(AzureSettings settings, SSLContext tls) {
    return build(ResourceManagerClient.class, settings.resourceManager(), tls);
  }

  /**
   * A plain JAX-RS client for the absolute URLs Resource Manager hands us (an accepted operation's
   * status, a listing's next page), which no typed interface can name in advance; the same TLS and
   * time bounds. It reads every status as a {@code Response} (only the typed clients have a default
   * mapper to turn off).
   */
  static Client follower(SSLContext tls) {
    return ClientBuilder.newBuilder()
        .sslContext(tls)
        .connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .readTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .build();
  }

  private static <T> T build(Class<T> client, URI base, SSLContext tls) {
    return RestClientBuilder.newBuilder()
        .baseUri(base)
        .sslContext(tls)
        .property(AzureTls.SSL_CONTEXT, tls)
        .property(DISABLE_DEFAULT_MAPPER, Boolean.TRUE)
        .connectTimeout(CONNECT_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .readTimeout(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .build(client);
  }
}
