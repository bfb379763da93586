package com.redhat.cloudoreg.azure;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our Lighthouse offer template is cloudigrade's: the same document for the same tenant, principal
 * and offer, so that customers deploying it again keep the one delegation they have.
 */
class LighthouseOfferTest {
  /** The example ids cloudigrade's documented answer shows. */
  private static final String TENANT = "81329282-exam-ple3-80af-f6457b5b32ad";

  private static final String PRINCIPAL = "691f0b3e-exam-ple3-b03f-6eb5120acabb";
  private static final String OFFER = "cloudigrade-rest-api-examples";

  @Test
  void isTheDocumentCloudigradeServesForTheSameIds() throws IOException {
    JsonObject ours = LighthouseOffer.template(settings(TENANT, PRINCIPAL, OFFER)).orElseThrow();

    assertThat(ours).isEqualTo(cloudigrades());
  }

  @Test
  void isValidJsonForArmsSubscriptionDeployments() {
    String served =
        LighthouseOffer.template(settings(TENANT, PRINCIPAL, OFFER)).orElseThrow().toString();

    JsonObject read;
    try (var reader = Json.createReader(new StringReader(served))) {
      read = reader.readObject();
    }
    assertThat(read.getString("$schema"))
        .isEqualTo(
            "https://schema.management.azure.com/schemas/2019-08-01/"
                + "subscriptionDeploymentTemplate.json#");
    assertThat(read.getString("contentVersion")).isEqualTo("1.0.0.0");
    assertThat(read.keySet())
        .containsExactly(
            "$schema", "contentVersion", "parameters", "variables", "resources", "outputs");
  }

  /**
   * Definition and assignment are named {@code guid(mspOfferName)}: one offer name, one delegation
   * per subscription, whoever deploys it how often.
   */
  @Test
  void bothResourcesAreNamedGuidOfTheOfferName() {
    JsonObject template =
        LighthouseOffer.template(settings(TENANT, PRINCIPAL, OFFER)).orElseThrow();
    JsonObject variables = template.getJsonObject("variables");
    JsonArray resources = template.getJsonArray("resources");
    JsonObject definition = resources.getJsonObject(0);
    JsonObject assignment = resources.getJsonObject(1);

    assertThat(variables.getString("mspRegistrationName"))
        .isEqualTo("[guid(parameters('mspOfferName'))]");
    assertThat(variables.getString("mspAssignmentName"))
        .isEqualTo("[guid(parameters('mspOfferName'))]");
    assertThat(definition.getString("type"))
        .isEqualTo("Microsoft.ManagedServices/registrationDefinitions");
    assertThat(definition.getString("name")).isEqualTo("[variables('mspRegistrationName')]");
    assertThat(definition.getJsonObject("properties").getString("registrationDefinitionName"))
        .isEqualTo("[parameters('mspOfferName')]");
    assertThat(assignment.getString("type"))
        .isEqualTo("Microsoft.ManagedServices/registrationAssignments");
    assertThat(assignment.getString("name")).isEqualTo("[variables('mspAssignmentName')]");
    assertThat(assignment.getJsonArray("dependsOn").getString(0))
        .isEqualTo(
            "[resourceId('Microsoft.ManagedServices/registrationDefinitions/',"
                + " variables('mspRegistrationName'))]")
        .isEqualTo(assignment.getJsonObject("properties").getString("registrationDefinitionId"));
    assertThat(resources.getValuesAs(JsonObject.class))
        .allSatisfy(r -> assertThat(r.getString("apiVersion")).isEqualTo("2020-02-01-preview"));
  }

  @Test
  void delegatesReadingAndTheDeletionOfTheDelegationToOurPrincipalOnly() {
    JsonObject parameters =
        LighthouseOffer.template(settings(TENANT, PRINCIPAL, OFFER))
            .orElseThrow()
            .getJsonObject("parameters");
    JsonObject authorizations = parameters.getJsonObject("authorizations");

    assertThat(authorizations.getJsonArray("defaultValue").getValuesAs(JsonObject.class))
        .extracting(
            a -> a.getString("principalId"),
            a -> a.getString("principalIdDisplayName"),
            a -> a.getString("roleDefinitionId"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                PRINCIPAL, OFFER, "acdd72a7-3385-48ef-bd42-f606fba81ae7"),
            org.assertj.core.groups.Tuple.tuple(
                PRINCIPAL, OFFER, "91c1777a-f3dc-4fae-b103-61d183457e46"));
    for (String name : parameters.keySet()) {
      JsonObject parameter = parameters.getJsonObject(name);
      assertThat(parameter.getJsonArray("allowedValues"))
          .as("%s: its default is the only value the customer may deploy", name)
          .containsExactly(parameter.get("defaultValue"));
    }
    assertThat(parameters.getJsonObject("managedByTenantId").getString("defaultValue"))
        .isEqualTo(TENANT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"tenant", "principal", "offer"})
  void withoutOurTenantPrincipalOrOfferThereIsNoTemplate(String missing) {
    AzureSettings settings =
        settings(
            missing.equals("tenant") ? "" : TENANT,
            missing.equals("principal") ? "" : PRINCIPAL,
            missing.equals("offer") ? "" : OFFER);

    assertThat(LighthouseOffer.template(settings)).isEmpty();
  }

  private static JsonObject cloudigrades() throws IOException {
    try (InputStream in =
            LighthouseOfferTest.class.getResourceAsStream(
                "/fixtures/azure-offer-template-cloudigrade.json");
        var reader = Json.createReader(in)) {
      JsonValue read = reader.readValue();
      return read.asJsonObject();
    }
  }

  private static AzureSettings settings(String tenant, String principal, String offer) {
    return new AzureSettings(
        tenant,
        "",
        "",
        URI.create(AzureSettings.DEFAULT_AUTHORITY_HOST),
        URI.create(AzureSettings.DEFAULT_RESOURCE_MANAGER),
        Optional.empty(),
        "",
        principal,
        offer);
  }
}
