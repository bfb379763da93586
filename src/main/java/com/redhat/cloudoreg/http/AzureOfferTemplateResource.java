package com.redhat.cloudoreg.http;

import com.redhat.cloudoreg.azure.AzureSettings;
import com.redhat.cloudoreg.azure.LighthouseOffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Red Hat's Azure Lighthouse offer template ({@link LighthouseOffer}), public and without
 * authentication, where cloudigrade serves it today: {@code GET
 * /api/cloudigrade/v2/azure-offer-template/}, with or without the trailing slash. Sources' wizard
 * links Azure's portal to it ({@code azure_lighthouse_template}); the portal fetches it from the
 * customer's browser, hence {@code Access-Control-Allow-Origin: *}. The platform's gateway keeps
 * the path on its no-authentication list.
 */
@Path("/api/cloudigrade/v2")
@ApplicationScoped
@Tag(name = "public", description = "Public, without authentication")
public class AzureOfferTemplateResource {
  static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";

  /** Built once: it depends on settings alone. */
  private final Optional<JsonObject> template;

  @Inject
  public AzureOfferTemplateResource(Config config) {
    this.template = LighthouseOffer.template(AzureSettings.from(config));
  }

  protected AzureOfferTemplateResource() {
    this.template = Optional.empty();
  }

  @GET
  // a resource method's path matches with a trailing slash too (Jakarta REST's matching rule:
  // the final group may be "/"), so cloudigrade's "/azure-offer-template/" needs no regex, which
  // OpenAPI cannot express
  @Path("/azure-offer-template")
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(
      summary = "Red Hat's Azure Lighthouse offer (ARM template)",
      description =
          "The subscriptionDeploymentTemplate a customer deploys to delegate their subscription"
              + " to Red Hat (Reader, and the Registration Assignment Delete role). Public, no"
              + " authentication, CORS open; also with a trailing slash, as cloudigrade serves it.")
  @APIResponse(responseCode = "200", description = "The template")
  @APIResponse(
      responseCode = "404",
      description =
          "{\"error\":\"…\"}: this deployment has no Azure tenant, principal or offer name")
  public Response offerTemplate() {
    Response.ResponseBuilder answer =
        template
            .map(Response::ok)
            .orElseGet(
                () ->
                    Response.status(Response.Status.NOT_FOUND)
                        .entity(
                            Json.createObjectBuilder()
                                .add(
                                    "error",
                                    "no Azure Lighthouse offer here: this deployment has no Azure"
                                        + " tenant, principal or offer name configured")
                                .build()));
    return answer.type(MediaType.APPLICATION_JSON).header(ALLOW_ORIGIN, "*").build();
  }
}
