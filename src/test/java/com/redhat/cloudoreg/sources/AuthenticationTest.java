package com.redhat.cloudoreg.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthenticationTest {
  private static final String SECRET_ARN = "arn:aws:iam::123456789012:role/kept-in-password";

  @Test
  void printingAnAuthenticationNeverPrintsItsPassword() {
    Authentication authentication =
        new Authentication(
            "202",
            Authentication.CLOUD_METER_ARN,
            "",
            SECRET_ARN,
            new Authentication.Extra("external-id-1"),
            "Application",
            "101");

    assertThat(authentication.toString())
        .doesNotContain(SECRET_ARN)
        .doesNotContain("external-id-1")
        .contains("202", "Application", "101");
  }

  @Test
  void thePasswordIsNeededOnlyWhenUsernameHoldsNoGrant() {
    assertThat(
            new Authentication("1", "cloud-meter-arn", "arn:x", null, null, "Application", "2")
                .grantOnlyInPassword())
        .isFalse();
    assertThat(
            new Authentication("1", "cloud-meter-arn", " ", null, null, "Application", "2")
                .grantOnlyInPassword())
        .isTrue();
  }
}
