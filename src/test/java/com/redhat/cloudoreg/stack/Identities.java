package com.redhat.cloudoreg.stack;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** {@code x-rh-identity} header values as the platform's gateway and Sources build them. */
public final class Identities {
  private Identities() {}

  public static String user(String orgId, String accountNumber) {
    return encode(
        "{\"identity\":{\"account_number\":\""
            + accountNumber
            + "\",\"org_id\":\""
            + orgId
            + "\",\"type\":\"User\",\"auth_type\":\"jwt-auth\",\"internal\":{\"org_id\":\""
            + orgId
            + "\"},\"user\":{\"username\":\"jdoe\",\"email\":\"jdoe@example.com\","
            + "\"is_org_admin\":true,\"user_id\":\"55555555\"}},\"entitlements\":{}}");
  }

  /**
   * The identity Sources generates for its own calls (its availability monitor): {@code type:
   * System}, the tenant's org id, no user.
   */
  public static String system(String orgId) {
    return encode(
        "{\"identity\":{\"org_id\":\""
            + orgId
            + "\",\"type\":\"System\",\"auth_type\":\"uhc-auth\",\"internal\":{\"org_id\":\""
            + orgId
            + "\"},\"system\":{\"cluster_id\":\"sources-availability-monitor\"}},"
            + "\"entitlements\":{}}");
  }

  public static String encode(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
