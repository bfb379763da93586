package com.redhat.cloudoreg.azure;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The Azure Resource Manager calls we make, with our bearer token, on {@code
 * AZURE_RESOURCE_MANAGER_URL}. Answers are read as a whole, like {@link EntraIdClient}'s. Each call
 * names its API version: Resource Manager refuses a call without one.
 */
@Produces(MediaType.APPLICATION_JSON)
public interface ResourceManagerClient {
  String SUBSCRIPTIONS_API_VERSION = "2022-12-01";
  String MANAGED_SERVICES_API_VERSION = "2022-10-01";
  String ASSIGNMENTS =
      "/subscriptions/{subscriptionId}/providers/Microsoft.ManagedServices/registrationAssignments";

  /** The subscription as our principal sees it: 200 only while it is delegated to us. */
  @GET
  @Path("/subscriptions/{subscriptionId}")
  Response subscription(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("subscriptionId") String subscriptionId,
      @QueryParam("api-version") String apiVersion);

  /** The Lighthouse registration assignments of the subscription, with their definitions. */
  @GET
  @Path(ASSIGNMENTS)
  Response registrationAssignments(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("subscriptionId") String subscriptionId,
      @QueryParam("api-version") String apiVersion,
      @QueryParam("$expandRegistrationDefinition") boolean expandDefinition);

  @DELETE
  @Path(ASSIGNMENTS + "/{name}")
  Response removeRegistrationAssignment(
      @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
      @PathParam("subscriptionId") String subscriptionId,
      @PathParam("name") String name,
      @QueryParam("api-version") String apiVersion);
}
