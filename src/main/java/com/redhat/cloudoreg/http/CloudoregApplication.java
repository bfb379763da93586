package com.redhat.cloudoreg.http;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeIn;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * cloudoreg's few HTTP endpoints: internal ones, Sources' availability check and the operator's
 * tools, on the private port only ({@link Doors}); and one public document, the Azure Lighthouse
 * offer template ({@link AzureOfferTemplateResource}). Probes and metrics are Liberty's own.
 */
@ApplicationPath("/")
@OpenAPIDefinition(
    info =
        @Info(
            title = "cloudoreg API",
            version = "1",
            description =
                "/internal/* is served on the private port only; operator endpoints need a"
                    + " pre-shared key. The Azure offer template is public, without"
                    + " authentication."))
@SecurityScheme(
    securitySchemeName = CloudoregApplication.PSK_SCHEME,
    type = SecuritySchemeType.APIKEY,
    in = SecuritySchemeIn.HEADER,
    apiKeyName = PreSharedKeys.HEADER)
public class CloudoregApplication extends Application {
  static final String PSK_SCHEME = "psk";
}
