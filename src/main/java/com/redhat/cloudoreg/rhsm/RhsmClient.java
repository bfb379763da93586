package com.redhat.cloudoreg.rhsm;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterProvider;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** RHSM's cloud-access API as a service calls it: the customer's org in a header. */
@RegisterRestClient(configKey = "rhsm")
@RegisterProvider(RhsmErrors.class)
@RegisterProvider(RhsmCallContext.class)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public interface RhsmClient {
  String ORG_ID = "X-RhsmApi-AccountID";
  String REQUEST_ID = "x-rh-insights-request-id";

  @POST
  @Path("/cloud_access_providers/{provider}/accounts")
  void addAccounts(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("provider") String provider,
      List<ProviderAccount> accounts);

  /** Removes every provider account tied to that source. */
  @DELETE
  @Path("/cloud_access_providers/accounts")
  void removeSourceAccounts(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(REQUEST_ID) String requestId,
      @QueryParam("sourceID") String sourceId);

  /** Removes one provider account, whatever source it is tied to. */
  @DELETE
  @Path("/cloud_access_providers/{provider}/accounts")
  void removeAccount(
      @HeaderParam(ORG_ID) String orgId,
      @HeaderParam(REQUEST_ID) String requestId,
      @PathParam("provider") String provider,
      AccountId account);

  @GET
  @Path("/cloud_access_providers/enabled")
  EnabledProviders enabledProviders(
      @HeaderParam(ORG_ID) String orgId, @HeaderParam(REQUEST_ID) String requestId);
}
