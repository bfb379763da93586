package com.redhat.cloudoreg.stack;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stand-in for AWS STS speaking its Query protocol, as the SDK sees it: form-encoded POSTs to
 * {@code /}, XML answers. It tells our service identity from an assumed role's temporary identity
 * by the access key id in the SigV4 {@code Credential=}.
 */
public final class StsStub implements AutoCloseable {
  /** Our own (the service's) credentials, as the stack configures them. */
  public static final String SERVICE_ACCESS_KEY_ID = "AKIACLOUDOREGSERVICE";

  public static final String SERVICE_SECRET_ACCESS_KEY = "cloudoreg-test-service-secret-Zk3q9";

  /** Secrets of the temporary credentials the stub hands out; must never reach a log. */
  public static final String TEMPORARY_SECRET = "cloudoreg-test-temporary-secret-Pw7x2";

  public static final String SESSION_TOKEN = "cloudoreg-test-session-token-Qm5v8";

  private static final String NS = "https://sts.amazonaws.com/doc/2011-06-15/";

  private final WireMockServer server;

  StsStub(int port) {
    server = new WireMockServer(options().port(port).containerThreads(100));
    server.start();
  }

  public String url() {
    return server.baseUrl();
  }

  public WireMockServer server() {
    return server;
  }

  public void reset() {
    server.resetAll();
  }

  /**
   * The role trusts us: AssumeRole of {@code roleArn} (with that external id, when given) succeeds,
   * and the temporary identity it yields reports {@code callerAccount} and {@code callerArn}.
   */
  public void trusts(String roleArn, String externalId, String callerAccount, String callerArn) {
    trusts(roleArn, externalId, callerAccount, callerArn, 0);
  }

  /** The role trusts us, STS answering its AssumeRole after {@code latencyMs}. */
  public void trusts(
      String roleArn, String externalId, String callerAccount, String callerArn, int latencyMs) {
    var assume = assumeRole(roleArn);
    if (externalId != null) {
      assume = assume.withRequestBody(containing("ExternalId=" + encode(externalId)));
    }
    server.stubFor(assume.willReturn(assumedRole(roleArn, callerArn).withFixedDelay(latencyMs)));
    server.stubFor(
        post(urlEqualTo("/"))
            .withRequestBody(containing("Action=GetCallerIdentity"))
            .withHeader("Authorization", containing("Credential=" + temporaryKey(roleArn) + "/"))
            .willReturn(
                xml(
                    200,
                    "<GetCallerIdentityResponse xmlns=\""
                        + NS
                        + "\"><GetCallerIdentityResult>"
                        + "<Arn>"
                        + callerArn
                        + "</Arn>"
                        + "<UserId>AROAEXAMPLEROLEID:cloudoreg</UserId>"
                        + "<Account>"
                        + callerAccount
                        + "</Account></GetCallerIdentityResult>"
                        + "<ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef"
                        + "</RequestId></ResponseMetadata></GetCallerIdentityResponse>")));
  }

  /** The role trusts us, and STS reports exactly the identity the role's ARN names. */
  public void trusts(String roleArn, String externalId) {
    trustsAfter(roleArn, externalId, 0);
  }

  /** As {@link #trusts(String, String)}, AssumeRole answering after {@code latencyMs}. */
  public void trustsAfter(String roleArn, String externalId, int latencyMs) {
    trusts(roleArn, externalId, accountOf(roleArn), ownArn(roleArn), latencyMs);
  }

  /** STS's success answer to AssumeRole of a role that {@link #trusts} it. */
  public ResponseDefinitionBuilder assumedRole(String roleArn) {
    return assumedRole(roleArn, ownArn(roleArn));
  }

  private static ResponseDefinitionBuilder assumedRole(String roleArn, String callerArn) {
    return xml(
        200,
        "<AssumeRoleResponse xmlns=\""
            + NS
            + "\"><AssumeRoleResult><Credentials>"
            + "<AccessKeyId>"
            + temporaryKey(roleArn)
            + "</AccessKeyId>"
            + "<SecretAccessKey>"
            + TEMPORARY_SECRET
            + "</SecretAccessKey>"
            + "<SessionToken>"
            + SESSION_TOKEN
            + "</SessionToken>"
            + "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials>"
            + "<AssumedRoleUser><Arn>"
            + callerArn
            + "</Arn>"
            + "<AssumedRoleId>AROAEXAMPLEROLEID:cloudoreg</AssumedRoleId></AssumedRoleUser>"
            + "<PackedPolicySize>6</PackedPolicySize></AssumeRoleResult>"
            + "<ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>"
            + "</ResponseMetadata></AssumeRoleResponse>");
  }

  /** Temporary credentials' key id, one per role, so GetCallerIdentity can tell roles apart. */
  private static String temporaryKey(String roleArn) {
    return "ASIA" + Integer.toHexString(roleArn.hashCode()).toUpperCase();
  }

  private static String accountOf(String roleArn) {
    return roleArn.split(":")[4];
  }

  private static String ownArn(String roleArn) {
    String account = accountOf(roleArn);
    String roleName = roleArn.substring(roleArn.lastIndexOf('/') + 1);
    return "arn:aws:sts::" + account + ":assumed-role/" + roleName + "/cloudoreg-" + account;
  }

  /** AssumeRole of {@code roleArn} fails with an STS error. */
  public void refuses(String roleArn, int status, String type, String code) {
    server.stubFor(assumeRole(roleArn).willReturn(error(status, type, code)));
  }

  public static ResponseDefinitionBuilder error(int status, String type, String code) {
    return xml(
        status,
        "<ErrorResponse xmlns=\""
            + NS
            + "\"><Error><Type>"
            + type
            + "</Type><Code>"
            + code
            + "</Code><Message>"
            + code
            + " from the STS stand-in</Message></Error>"
            + "<RequestId>4fc0d3ee-efef-11e9-9282-3b7bffe54a9b</RequestId></ErrorResponse>");
  }

  public List<LoggedRequest> assumeRoleRequests(String roleArn) {
    return server.findAll(
        postRequestedFor(urlEqualTo("/"))
            .withRequestBody(containing("Action=AssumeRole"))
            .withRequestBody(containing("RoleArn=" + encode(roleArn))));
  }

  public int requestCount() {
    return server.getAllServeEvents().size();
  }

  /** The AssumeRole request of that role. */
  public static com.github.tomakehurst.wiremock.client.MappingBuilder assumeRole(String roleArn) {
    return post(urlEqualTo("/"))
        .withRequestBody(containing("Action=AssumeRole"))
        .withRequestBody(containing("RoleArn=" + encode(roleArn)));
  }

  private static ResponseDefinitionBuilder xml(int status, String body) {
    return aResponse().withStatus(status).withHeader("Content-Type", "text/xml").withBody(body);
  }

  public static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    server.stop();
  }
}
