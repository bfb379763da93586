package com.redhat.cloudoreg.azure;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * Our Azure identity and where to reach Azure. The names are those Azure's own SDKs read from the
 * environment; the two URLs let tests point both calls at local stand-ins.
 *
 * @param trustStore PKCS12 store of the CAs trusted for Azure's endpoints; empty for the JVM's
 *     default CAs. Used for the Azure clients only.
 * @param spObjectId the object id of our application's service principal in our tenant: the
 *     principal the Lighthouse offer delegates to (the offer template names it)
 * @param offerName the name of our Lighthouse offer, as cloudigrade's template gave it to every
 *     delegation that exists ({@code cloudigrade-prod} in production, {@code cloudigrade-stage} in
 *     stage): the offer template names it, and only an assignment of that offer is ever removed. It
 *     is {@code AZURE_OFFER_NAME}, or else derived as cloudigrade derived it, {@code
 *     cloudigrade-<CLOUDIGRADE_ENVIRONMENT>} (the environment name cloudigrade runs with, the same
 *     value in our deployment). Empty when neither is set, or the environment is no such name: no
 *     other setting tells it (Clowder's {@code ENV_NAME} is the ClowdEnvironment, {@code
 *     insights-production}), and a wrong name would remove nothing or, served in the template,
 *     create delegations no later removal finds
 */
public record AzureSettings(
    String tenantId,
    String clientId,
    String clientSecret,
    URI authorityHost,
    URI resourceManager,
    Optional<Path> trustStore,
    String trustStorePassword,
    String spObjectId,
    String offerName) {
  public static final String OFFER_NAME = "AZURE_OFFER_NAME";

  /**
   * cloudigrade's environment names ({@code prod}, {@code stage}, an ephemeral one's): lower case,
   * digits and single dashes. {@code Prod} or {@code cloudigrade-prod} would name an offer nobody
   * deployed.
   */
  private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
  public static final String DEFAULT_RESOURCE_MANAGER = "https://management.azure.com";

  public static AzureSettings from(Config config) {
    return new AzureSettings(
        value(config, "AZURE_TENANT_ID").orElse(""),
        value(config, "AZURE_CLIENT_ID").orElse(""),
        value(config, "AZURE_CLIENT_SECRET").orElse(""),
        URI.create(value(config, "AZURE_AUTHORITY_HOST").orElse(DEFAULT_AUTHORITY_HOST)),
        URI.create(value(config, "AZURE_RESOURCE_MANAGER_URL").orElse(DEFAULT_RESOURCE_MANAGER)),
        value(config, "AZURE_TRUSTSTORE").map(Path::of),
        value(config, "AZURE_TRUSTSTORE_PASSWORD").orElse(""),
        value(config, "AZURE_SP_OBJECT_ID").orElse(""),
        value(config, OFFER_NAME)
            .or(
                () ->
                    environment(config)
                        .filter(AzureSettings::isEnvironmentName)
                        .map(env -> "cloudigrade-" + env))
            .orElse(""));
  }

  /** Whether our credentials are all present: a deployment without them does not handle Azure. */
  public boolean configured() {
    return !tenantId.isBlank() && !clientId.isBlank() && !clientSecret.isBlank();
  }

  /**
   * The settings a deployment that handles Azure cannot do without beyond its credentials: the
   * offer name (named or derived from {@code CLOUDIGRADE_ENVIRONMENT}), without which no delegation
   * could be told ours on removal. (Our principal's object id only completes the offer template:
   * without it the template is not served, which readiness shows without going DOWN.)
   */
  public List<String> missing() {
    return configured() && offerName.isBlank() ? List.of(OFFER_NAME) : List.of();
  }

  /**
   * The settings whose value cannot be right, whatever else is set: an environment name that is no
   * such name; a tenant that is no tenant id (a domain name gets a token from Entra ID all the
   * same, but Azure names the tenants managing a subscription by id, so ours would match none and
   * every customer would be told CG3005). Readiness says {@code invalid}, never the value.
   */
  public static List<String> invalid(Config config) {
    List<String> invalid = new ArrayList<>();
    if (environment(config).filter(env -> !isEnvironmentName(env)).isPresent()) {
      invalid.add("CLOUDIGRADE_ENVIRONMENT");
    }
    if (value(config, "AZURE_TENANT_ID").filter(id -> !GUID.matcher(id).matches()).isPresent()) {
      invalid.add("AZURE_TENANT_ID");
    }
    return invalid;
  }

  private static Optional<String> environment(Config config) {
    return value(config, "CLOUDIGRADE_ENVIRONMENT");
  }

  private static boolean isEnvironmentName(String environment) {
    return ENVIRONMENT.matcher(environment).matches() && !environment.startsWith("cloudigrade-");
  }

  /** Whether the offer template can be served: it names our tenant, principal and offer. */
  public boolean offersTemplate() {
    return !tenantId.isBlank() && !spObjectId.isBlank() && !offerName.isBlank();
  }

  private static Optional<String> value(Config config, String name) {
    return config.getOptionalValue(name, String.class).map(String::strip).filter(v -> !v.isEmpty());
  }

  /** Never shows the secret or the trust store password. */
  @Override
  public String toString() {
    return "AzureSettings[tenantId="
        + tenantId
        + ", clientId="
        + clientId
        + ", authorityHost="
        + authorityHost
        + ", resourceManager="
        + resourceManager
        + ", spObjectId="
        + spObjectId
        + ", offerName="
        + offerName
        + ", trustStore="
        + trustStore.map(Path::toString).orElse("JVM default")
        + "]";
  }
}
