package com.redhat.cloudoreg.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;
import org.junit.jupiter.api.Test;

/**
 * The offer's name as azure-lighthouse.md has it: {@code AZURE_OFFER_NAME}, default {@code
 * cloudigrade-<env>}; and what a deployment with Azure credentials cannot do without.
 */
class AzureSettingsTest {
  private static final String UUID = "8f3a4c2e-1b5d-4e7f-9a0b-2c4d6e8f0a1b";
  private static final Map<String, String> CREDENTIALS =
      Map.of(
          "AZURE_TENANT_ID", "5b1c3a9e-0f4d-4e2a-9c7b-1d8e6f2a4b30",
          "AZURE_CLIENT_ID", "c0ffee00-1234-4abc-8def-0123456789ab",
          "AZURE_CLIENT_SECRET", "not-a-real-secret",
          "AZURE_SP_OBJECT_ID", "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d");

  @Test
  void theOfferIsNamedAfterCloudigradesEnvironmentAsCloudigradeNamedIt() {
    AzureSettings settings = settings(Map.of("CLOUDIGRADE_ENVIRONMENT", "stage"));

    assertThat(settings.offerName()).isEqualTo("cloudigrade-stage");
    assertThat(settings.missing()).isEmpty();
  }

  @Test
  void aNamedOfferWinsOverTheDerivedOne() {
    AzureSettings settings =
        settings(
            Map.of("CLOUDIGRADE_ENVIRONMENT", "stage", "AZURE_OFFER_NAME", "cloudigrade-stage-2"));

    assertThat(settings.offerName()).isEqualTo("cloudigrade-stage-2");
  }

  @Test
  void theTemplatesEmptyOfferNameLeavesTheDerivedOne() {
    AzureSettings settings =
        settings(Map.of("CLOUDIGRADE_ENVIRONMENT", "prod", "AZURE_OFFER_NAME", "  "));

    assertThat(settings.offerName()).isEqualTo("cloudigrade-prod");
  }

  @Test
  void anEnvironmentThatIsNoSuchNameIsInvalidAndNamesNoOffer() {
    for (String wrong : List.of("Prod", "cloudigrade-prod", "pr od", "prod-", "-prod", "st--age")) {
      Map<String, String> offer = Map.of("CLOUDIGRADE_ENVIRONMENT", wrong);

      assertThat(settings(offer).offerName()).as(wrong).isEmpty();
      assertThat(settings(offer).missing()).as(wrong).containsExactly("AZURE_OFFER_NAME");
      assertThat(AzureSettings.invalid(config(offer)))
          .as(wrong)
          .containsExactly("CLOUDIGRADE_ENVIRONMENT");
    }
    for (String right : List.of("prod", "stage", "ephemeral-2x9k4")) {
      assertThat(AzureSettings.invalid(config(Map.of("CLOUDIGRADE_ENVIRONMENT", right))))
          .as(right)
          .isEmpty();
    }
    assertThat(AzureSettings.invalid(config(Map.of()))).isEmpty();
  }

  @Test
  void aTenantThatIsNoTenantIdIsInvalid() {
    for (String wrong : List.of("redhat.onmicrosoft.com", "organizations", "{" + UUID + "}")) {
      assertThat(AzureSettings.invalid(config(Map.of("AZURE_TENANT_ID", wrong))))
          .as(wrong)
          .containsExactly("AZURE_TENANT_ID");
    }
    assertThat(AzureSettings.invalid(config(Map.of("AZURE_TENANT_ID", UUID)))).isEmpty();
    assertThat(AzureSettings.invalid(config(Map.of("AZURE_TENANT_ID", UUID.toUpperCase()))))
        .isEmpty();
  }

  @Test
  void withNeitherOrBlankOnesTheOfferNameIsMissing() {
    assertThat(settings(Map.of()).missing()).containsExactly("AZURE_OFFER_NAME");
    AzureSettings blank = settings(Map.of("CLOUDIGRADE_ENVIRONMENT", "  ", "AZURE_OFFER_NAME", ""));
    assertThat(blank.offerName()).as("never 'cloudigrade-'").isEmpty();
    assertThat(blank.missing()).containsExactly("AZURE_OFFER_NAME");
  }

  /** Our principal only completes the offer template: without it, no template, but ready. */
  @Test
  void withoutOurPrincipalTheOfferTemplateIsNotServedAndNothingIsMissing() {
    AzureSettings settings =
        settings(Map.of("AZURE_OFFER_NAME", "cloudigrade-stage", "AZURE_SP_OBJECT_ID", " "));

    assertThat(settings.offersTemplate()).isFalse();
    assertThat(settings.missing()).isEmpty();
    assertThat(settings(Map.of("AZURE_OFFER_NAME", "cloudigrade-stage")).offersTemplate()).isTrue();
  }

  @Test
  void withoutCredentialsNothingIsMissing() {
    Map<String, String> nothing = new HashMap<>();
    for (String name : CREDENTIALS.keySet()) {
      nothing.put(name, "");
    }
    assertThat(settings(nothing).configured()).isFalse();
    assertThat(settings(nothing).missing()).as("Azure simply not handled").isEmpty();
  }

  private static AzureSettings settings(Map<String, String> offer) {
    return AzureSettings.from(config(offer));
  }

  private static Config config(Map<String, String> offer) {
    Map<String, String> all = new HashMap<>(CREDENTIALS);
    all.putAll(offer);
    return new SmallRyeConfigBuilder()
        .withSources(new PropertiesConfigSource(all, "test", 100))
        .build();
  }
}
