package com.redhat.cloudoreg.azure;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Form;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Microsoft Entra ID's OAuth2 token endpoint (v2.0), as {@link AzureClients} builds it on {@code
 * AZURE_AUTHORITY_HOST}. Answers are read as a whole ({@link Response}): {@link AccessTokens} reads
 * success and error bodies itself, so no status turns into an exception on the way.
 */
public interface EntraIdClient {
  @POST
  @Path("/{tenant}/oauth2/v2.0/token")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.APPLICATION_JSON)
  Response token(@PathParam("tenant") String tenant, Form form);
}
