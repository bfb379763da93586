package com.redhat.cloudoreg.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * cloudoreg's few HTTP endpoints, all internal: Sources' availability check and the operator's
 * tools, on the private port only ({@link Doors}); probes and metrics are Liberty's own.
 */
@ApplicationPath("/")
@OpenAPIDefinition(
    info =
        @Info(
            title = "cloudoreg internal API",
            version = "1",
            description =
                "Served on the private port only. Operator endpoints need a pre-shared key."))
@SecurityScheme(
    securitySchemeName = CloudoregApplication.PSK_SCHEME,
    type = SecuritySchemeType.APIKEY,
    in = SecuritySchemeIn.HEADER,
    apiKeyName = PreSharedKeys.HEADER)
public class CloudoregApplication extends Application {
  static final String PSK_SCHEME = "psk";
}
