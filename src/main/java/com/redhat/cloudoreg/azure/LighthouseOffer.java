package com.redhat.cloudoreg.azure;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Optional;

/**
 * Red Hat's Azure Lighthouse offer, the ARM subscription deployment template the customer deploys
 * from Sources' wizard: it delegates the Reader role on their subscription, and the role that lets
 * us delete that delegation again, to our principal in our tenant.
 *
 * <p>The structure and the names are those of the template cloudigrade serves (its {@code
 * util/azure} {@code ARM_TEMPLATE}): the registration definition and assignment are both named
 * {@code guid(mspOfferName)}, the definition {@code registrationDefinitionName} is the offer name.
 * With cloudigrade's offer name, tenant and principal, a customer deploying it again updates the
 * delegation they have instead of adding a second one, and every delegation deployed from
 * cloudigrade's template stays one our removal recognises.
 */
public final class LighthouseOffer {
  static final String SCHEMA =
      "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#";
  static final String API_VERSION = "2020-02-01-preview";

  /** Azure's built-in Reader role: what we read to verify, nothing more. */
  static final String READER_ROLE = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

  /** Managed Services Registration Assignment Delete Role: to end the delegation on removal. */
  static final String ASSIGNMENT_DELETE_ROLE = "91c1777a-f3dc-4fae-b103-61d183457e46";

  static final String DEFINITIONS = "Microsoft.ManagedServices/registrationDefinitions";
  static final String ASSIGNMENTS = "Microsoft.ManagedServices/registrationAssignments";
  private static final String DEFINITION_ID =
      "[resourceId('" + DEFINITIONS + "/', variables('mspRegistrationName'))]";

  private LighthouseOffer() {}

  /**
   * The template for our tenant, principal and offer; empty when this deployment lacks one of them
   * ({@link AzureSettings#offersTemplate}).
   */
  public static Optional<JsonObject> template(AzureSettings settings) {
    if (!settings.offersTemplate()) {
      return Optional.empty();
    }
    JsonArray authorizations =
        Json.createArrayBuilder()
            .add(authorization(settings, READER_ROLE))
            .add(authorization(settings, ASSIGNMENT_DELETE_ROLE))
            .build();
    JsonObject parameters =
        Json.createObjectBuilder()
            .add("mspOfferName", onlyValue("string", Json.createValue(settings.offerName())))
            .add("mspOfferDescription", onlyValue("string", Json.createValue("")))
            .add("managedByTenantId", onlyValue("string", Json.createValue(settings.tenantId())))
            .add("authorizations", onlyValue("array", authorizations))
            .build();
    JsonObject variables =
        Json.createObjectBuilder()
            .add("mspRegistrationName", "[guid(parameters('mspOfferName'))]")
            .add("mspAssignmentName", "[guid(parameters('mspOfferName'))]")
            .build();
    JsonObject definition =
        Json.createObjectBuilder()
            .add("type", DEFINITIONS)
            .add("apiVersion", API_VERSION)
            .add("name", "[variables('mspRegistrationName')]")
            .add(
                "properties",
                Json.createObjectBuilder()
                    .add("registrationDefinitionName", "[parameters('mspOfferName')]")
                    .add("description", "[parameters('mspOfferDescription')]")
                    .add("managedByTenantId", "[parameters('managedByTenantId')]")
                    .add("authorizations", "[parameters('authorizations')]"))
            .build();
    JsonObject assignment =
        Json.createObjectBuilder()
            .add("type", ASSIGNMENTS)
            .add("apiVersion", API_VERSION)
            .add("name", "[variables('mspAssignmentName')]")
            .add("dependsOn", Json.createArrayBuilder().add(DEFINITION_ID))
            .add(
                "properties",
                Json.createObjectBuilder().add("registrationDefinitionId", DEFINITION_ID))
            .build();
    JsonObject outputs =
        Json.createObjectBuilder()
            .add(
                "mspOfferName",
                Json.createObjectBuilder()
                    .add("type", "string")
                    .add("value", "[concat('Managed by', ' ', parameters('mspOfferName'))]"))
            .add(
                "authorizations",
                Json.createObjectBuilder()
                    .add("type", "array")
                    .add("value", "[parameters('authorizations')]"))
            .build();
    return Optional.of(
        Json.createObjectBuilder()
            .add("$schema", SCHEMA)
            .add("contentVersion", "1.0.0.0")
            .add("parameters", parameters)
            .add("variables", variables)
            .add("resources", Json.createArrayBuilder().add(definition).add(assignment))
            .add("outputs", outputs)
            .build());
  }

  /** Our principal in a role, shown under the offer's name in the customer's portal. */
  private static JsonObject authorization(AzureSettings settings, String role) {
    return Json.createObjectBuilder()
        .add("principalId", settings.spObjectId())
        .add("principalIdDisplayName", settings.offerName())
        .add("roleDefinitionId", role)
        .build();
  }

  /** A parameter whose default is its only allowed value: the customer cannot change it. */
  private static JsonObjectBuilder onlyValue(String type, jakarta.json.JsonValue value) {
    JsonArrayBuilder allowed = Json.createArrayBuilder().add(value);
    return Json.createObjectBuilder()
        .add("type", type)
        .add("defaultValue", value)
        .add("allowedValues", allowed);
  }
}
