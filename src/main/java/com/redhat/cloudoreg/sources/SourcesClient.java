package com.redhat.cloudoreg.sources;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Sources API, public and internal, as a service calls it: with the pre-shared key and the
 * tenant headers, never with the customer's identity (which would send the call through RBAC).
 */
@RegisterRestClient(configKey = "sources")
@RegisterProvider(SourcesErrors.class)
@RegisterProvider(SourcesPsk.class)
@Produces(MediaType.APPLICATION_JSON)
public interface SourcesClient {
  String ORG_ID = "x-rh-sources-org-id";
  String ACCOUNT_NUMBER = "x-rh-sources-account-number";
  String REQUEST_ID = "x-rh-insights-request-id";

  @GET
  @Path("/api/sources/v3.1/application_types")
  Page<ApplicationType> applicationTypes(@QueryParam("filter[name]") String name);

  @GET
  @Path("/api/sources/v3.1/applications/{id}")
  Application application(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long id);

  @GET
  @Path("/api/sources/v3.1/applications/{id}/authentications")
  Page<Authentication> applicationAuthentications(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long applicationId);

  @GET
  @Path("/api/sources/v3.1/sources/{id}/applications")
  Page<Application> sourceApplications(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long sourceId);

  @GET
  @Path("/api/sources/v3.1/sources/{id}")
  Source source(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long id);

  @GET
  @Path("/api/sources/v3.1/source_types/{id}")
  SourceType sourceType(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long id);

  /** A page of every source, across tenants: the PSK alone, no tenant. */
  @GET
  @Path("/internal/v2.0/sources")
  Page<ListedSource> everySource(@QueryParam("limit") int limit, @QueryParam("offset") int offset);

  /** The authentication without its secret fields. */
  @GET
  @Path("/api/sources/v3.1/authentications/{id}")
  Authentication authentication(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long id);

  /** The authentication with its {@code password}: older sources keep the ARN there. */
  default Authentication authenticationWithPassword(
      String orgId, String accountNumber, String requestId, long id) {
    return internalAuthentication(orgId, accountNumber, requestId, id, "password");
  }

  @GET
  @Path("/internal/v2.0/authentications/{id}")
  Authentication internalAuthentication(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(ACCOUNT_NUMBER) String accountNumber,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("id") long id,
      @QueryParam("expose_encrypted_attribute[]") String exposedAttribute);
}
