package com.redhat.cloudoreg.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.redhat.cloudoreg.stack.SourcesStub.AuthenticationSpec;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One customer adding one AWS source (or, with {@link #inSourcesAzure}, an Azure one): unique ids
 * for the org, the application, its authentication, the AWS account and the Azure subscription, so
 * that tests sharing one stack never see each other's statuses.
 */
public final class CustomerSource {
  private static final AtomicLong IDS = new AtomicLong(1000);
  public static final Duration STATUS_WAIT = Duration.ofSeconds(45);
  public static final String ACCOUNT_NUMBER = "1234567";

  public final long applicationId = IDS.addAndGet(10);
  public final long authenticationId = applicationId + 1;
  public final long sourceId = applicationId + 2;
  public final String orgId;
  public final String awsAccount = String.format("%012d", 100_000_000_000L + applicationId);
  public final String roleArn = "arn:aws:iam::" + awsAccount + ":role/redhat-cloud-meter";
  public final String externalId =
      "a2f8ec37-6d74-4af8-9e92-" + String.format("%012d", applicationId);

  /** The Azure subscription of the source, when it is an Azure one. */
  public final String subscriptionId =
      "6f2d7c1e-8d1b-4f57-9b0e-" + String.format("%012d", applicationId);

  private final Stack stack;
  private final Events events;

  /** A source of a new org of its own. */
  public CustomerSource(Stack stack, Events events) {
    this(stack, events, null);
  }

  /** Another source of {@code sameOrgAs}'s org: its events share that org's partition. */
  public CustomerSource(Stack stack, Events events, CustomerSource sameOrgAs) {
    this.stack = stack;
    this.events = events;
    this.orgId = sameOrgAs == null ? "org" + applicationId : sameOrgAs.orgId;
  }

  /** Sources knows a Cloud Meter application with this source's ARN and external id. */
  public CustomerSource inSources() {
    stack.sources.application(orgId, applicationId, sourceId, SourcesStub.CLOUD_METER_TYPE_ID);
    stack.sources.authentication(
        orgId, authenticationId, AuthenticationSpec.arn(roleArn, externalId, applicationId));
    return this;
  }

  /**
   * Sources knows an Azure source with a Cloud Meter application whose authentication holds {@code
   * username} as the subscription id (normally {@link #subscriptionId}).
   */
  public CustomerSource inSourcesAzure(String username) {
    stack.sources.application(orgId, applicationId, sourceId, SourcesStub.CLOUD_METER_TYPE_ID);
    stack.sources.source(orgId, sourceId, "azure");
    stack.sources.authentication(
        orgId,
        authenticationId,
        new AuthenticationSpec(
            "lighthouse_subscription_id",
            username,
            "",
            null,
            "Application",
            Long.toString(applicationId)));
    return this;
  }

  /**
   * RHEL management removed from this source and added back: Sources deletes the application and
   * has a new Cloud Meter application of the same source, whose authentication {@code grant} makes
   * for its id. Returns that id.
   */
  public long addedBack(java.util.function.LongFunction<AuthenticationSpec> grant) {
    long addedBack = applicationId + 3;
    stack.sources.destroyApplication(orgId, applicationId);
    stack.sources.application(orgId, addedBack, sourceId, SourcesStub.CLOUD_METER_TYPE_ID);
    stack.sources.authentication(orgId, applicationId + 4, grant.apply(addedBack));
    return addedBack;
  }

  /** ...an Azure source whose subscription is delegated to Red Hat and enabled. */
  public CustomerSource delegating() {
    inSourcesAzure(subscriptionId);
    stack.azure.delegated(subscriptionId, "Enabled");
    return this;
  }

  /** ...and the customer's role trusts Red Hat, so the whole flow succeeds. */
  public CustomerSource trusting() {
    inSources();
    stack.sts.trusts(roleArn, externalId);
    return this;
  }

  public Map<String, String> createHeaders() {
    return Events.createHeaders(orgId, ACCOUNT_NUMBER, Identities.user(orgId, ACCOUNT_NUMBER));
  }

  public String createBody() {
    return Events.createBody(applicationId + 7, applicationId, authenticationId);
  }

  public void sendCreate() {
    events.send(orgId, createHeaders(), createBody());
  }

  /** Sends another event of this tenant, with Sources' headers and that type. */
  public void send(String eventType, String body) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(createHeaders());
    headers.put("event_type", eventType);
    events.send(orgId, headers, body);
  }

  /** The body of {@code Application.destroy/pause/unpause} for this source's application. */
  public String applicationBody(String applicationTypeId) {
    return jakarta.json.Json.createObjectBuilder(
            stack.samples.object("event-application-destroy.json").getJsonObject("value"))
        .add("id", applicationId)
        .add("source_id", sourceId)
        .add("application_type_id", Long.parseLong(applicationTypeId))
        .build()
        .toString();
  }

  /** The body of {@code Authentication.update} of this source's authentication, now that ARN. */
  public String authenticationUpdateBody(String arn) {
    return authenticationUpdateBody("cloud-meter-arn", arn);
  }

  /**
   * The body of {@code Authentication.update} of this Azure source's authentication, now that
   * subscription id.
   */
  public String azureAuthenticationUpdateBody(String subscriptionId) {
    return authenticationUpdateBody("lighthouse_subscription_id", subscriptionId);
  }

  private String authenticationUpdateBody(String authtype, String username) {
    return jakarta.json.Json.createObjectBuilder(
            stack.samples.object("event-authentication-update.json").getJsonObject("value"))
        .add("id", Long.toString(authenticationId))
        .add("authtype", authtype)
        .add("username", username)
        .add("resource_id", applicationId)
        .add("source_id", sourceId)
        .build()
        .toString();
  }

  /**
   * Sources' availability check of this source, as Sources sends it (its tenant's headers), to
   * {@code server}'s private port.
   */
  public HttpResponse<String> askAvailabilityCheck(LibertyServer server) {
    return server.postPrivate(
        "/internal/v1/availability_status",
        "{\"source_id\":\"" + sourceId + "\"}",
        Map.of(
            "x-rh-sources-org-id", orgId, "x-rh-identity", Identities.user(orgId, ACCOUNT_NUMBER)));
  }

  public List<ConsumerRecord<String, String>> statuses() {
    return stack.ledger.statusesFor(applicationId);
  }

  public List<ConsumerRecord<String, String>> awaitStatuses(int count) {
    await().atMost(STATUS_WAIT).until(() -> statuses().size() >= count);
    return statuses();
  }

  /**
   * Events of one org are handled in order, so once a later, succeeding create of the same org has
   * its status, everything sent before it has been handled: a bounded wait for "nothing happened",
   * and proof that the org's partition moved on.
   */
  public void awaitMarkerOfSameTenant() {
    CustomerSource marker = new CustomerSource(stack, events, this).trusting();
    marker.sendCreate();
    marker.awaitAvailable();
  }

  public void awaitAvailable() {
    List<ConsumerRecord<String, String>> statuses = awaitStatuses(1);
    assertThat(statuses).hasSize(1);
    assertThat(statuses.get(0).value()).contains("\"status\":\"available\",\"error\":\"\"");
  }

  /** Waits for the one status of another application of this org, {@code available}. */
  public void awaitAvailable(long otherApplicationId) {
    await()
        .atMost(STATUS_WAIT)
        .until(() -> !stack.ledger.statusesFor(otherApplicationId).isEmpty());
    assertThat(stack.ledger.statusesFor(otherApplicationId))
        .singleElement()
        .satisfies(
            status ->
                assertThat(status.value()).contains("\"status\":\"available\",\"error\":\"\""));
  }

  /** Asserts the one status is unavailable with that code; returns its error text. */
  public String awaitUnavailable(String code) {
    List<ConsumerRecord<String, String>> statuses = awaitStatuses(1);
    assertThat(statuses).hasSize(1);
    String value = statuses.get(0).value();
    assertThat(value).contains("\"status\":\"unavailable\"").contains("\"error\":\"" + code + ": ");
    return value.substring(value.indexOf("\"error\":\"") + 9);
  }

  /** Dead letters of this source's create event (matched by its body). */
  public List<ConsumerRecord<String, String>> deadLetters() {
    return stack.ledger.deadLetters().stream()
        .filter(letter -> createBody().equals(letter.value()))
        .toList();
  }
}
