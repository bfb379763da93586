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

  public static String encode(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
