package com.redhat.cloudoreg.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TenantResolverTest {
  private static final String USER_IDENTITY =
      "eyJpZGVudGl0eSI6eyJhY2NvdW50X251bWJlciI6IjEyMzQ1NjciLCJvcmdfaWQiOiI3NjU0MzIxIiwidHlwZSI6IlVzZXIiLCJhdXRoX3R5cGUiOiJqd3QtYXV0aCIsImludGVybmFsIjp7Im9yZ19pZCI6Ijc2NTQzMjEifSwidXNlciI6eyJ1c2VybmFtZSI6Impkb2UiLCJlbWFpbCI6Impkb2VAZXhhbXBsZS5jb20iLCJpc19vcmdfYWRtaW4iOnRydWUsInVzZXJfaWQiOiI1NTU1NTU1NSJ9fSwiZW50aXRsZW1lbnRzIjp7fX0=";

  @Test
  void orgHeaderWins() {
    var tenant =
        TenantResolver.resolve(
            headers("111", "222", identity("{\"identity\":{\"org_id\":\"999\"}}")));

    assertThat(tenant).contains(new Tenant("111", Optional.of("222")));
  }

  @Test
  void identityOrgOnlyFromAWellFormedIdentity() {
    assertThat(TenantResolver.identityOrgId(headers("111", null, USER_IDENTITY)))
        .contains("7654321");
    assertThat(TenantResolver.identityOrgId(headers("111", null, null))).isEmpty();
    assertThat(TenantResolver.identityOrgId(headers("111", null, "not base64!"))).isEmpty();
    assertThat(TenantResolver.identityOrgId(headers("111", null, identity("[1]")))).isEmpty();
    assertThat(TenantResolver.identityOrgId(headers(null, null, identity("{\"identity\":{}}"))))
        .isEmpty();
  }

  @Test
  void anIdentityPastTheJsonReadersLimitsIsNoIdentity() {
    String deep =
        "{\"identity\":{\"org_id\":\"1\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}}";
    String longNumber = "{\"identity\":{\"org_id\":\"1\",\"n\":1" + "0".repeat(1100) + "}}";

    assertThat(TenantResolver.identityOrgId(headers(null, null, identity(deep)))).isEmpty();
    assertThat(TenantResolver.resolve(headers(null, null, identity(longNumber)))).isEmpty();
  }

  @Test
  void identityGivesOrgAndAccountWhenHeadersAreMissing() {
    var tenant = TenantResolver.resolve(headers(null, null, USER_IDENTITY));

    assertThat(tenant).contains(new Tenant("7654321", Optional.of("1234567")));
  }

  @Test
  void emptyHeadersCountAsAbsent() {
    var tenant = TenantResolver.resolve(headers("", "", USER_IDENTITY));

    assertThat(tenant).contains(new Tenant("7654321", Optional.of("1234567")));
  }

  @Test
  void emptyAccountIsLeftOut() {
    var tenant =
        TenantResolver.resolve(
            headers("7654321", "", identity("{\"identity\":{\"org_id\":\"7654321\"}}")));

    assertThat(tenant).contains(new Tenant("7654321", Optional.empty()));
  }

  @Test
  void noTenantWithoutOrgAnywhere() {
    assertThat(
            TenantResolver.resolve(
                headers(null, "1234567", identity("{\"identity\":{\"account_number\":\"1\"}}"))))
        .isEmpty();
    assertThat(
            TenantResolver.resolve(headers("", null, identity("{\"identity\":{\"org_id\":\"\"}}"))))
        .isEmpty();
    assertThat(TenantResolver.resolve(Map.of())).isEmpty();
  }

  @Test
  void brokenIdentitiesGiveNoTenant() {
    assertThat(TenantResolver.resolve(headers(null, null, "%%% not base64"))).isEmpty();
    assertThat(TenantResolver.resolve(headers(null, null, identity("not json")))).isEmpty();
    assertThat(TenantResolver.resolve(headers(null, null, identity("[1,2]")))).isEmpty();
    assertThat(TenantResolver.resolve(headers(null, null, identity("{\"identity\":\"x\"}"))))
        .isEmpty();
    assertThat(
            TenantResolver.resolve(
                headers(null, null, identity("{\"identity\":{\"org_id\":7654321}}"))))
        .isEmpty();
  }

  @Test
  void theIdentityIsDecodedAsUtf8WhateverThePlatformCharset() {
    var tenant =
        TenantResolver.resolve(
            headers(null, null, identity("{\"identity\":{\"org_id\":\"org-\u00fc\u00df-7\"}}")));

    assertThat(tenant.map(Tenant::orgId)).contains("org-\u00fc\u00df-7");
  }

  private static String identity(String json) {
    return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static Map<String, String> headers(String org, String account, String identity) {
    Map<String, String> headers = new HashMap<>();
    if (org != null) headers.put(TenantResolver.ORG_ID_HEADER, org);
    if (account != null) headers.put(TenantResolver.ACCOUNT_NUMBER_HEADER, account);
    if (identity != null) headers.put(TenantResolver.IDENTITY_HEADER, identity);
    return headers;
  }
}
