package com.redhat.cloudoreg.it;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import com.redhat.cloudoreg.events.EventTypes;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.policy.Policy;
import com.redhat.cloudoreg.stack.AzureStubs;
import com.redhat.cloudoreg.stack.CustomerSource;
import com.redhat.cloudoreg.stack.Events;
import com.redhat.cloudoreg.stack.Ledger;
import com.redhat.cloudoreg.stack.LibertyServer;
import com.redhat.cloudoreg.stack.RhsmStub;
import com.redhat.cloudoreg.stack.SourcesStub;
import com.redhat.cloudoreg.stack.Stack;
import com.redhat.cloudoreg.stack.StackExtension;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Azure sources end to end: the real broker, the packaged service on Liberty, and the Azure
 * stand-ins (Entra ID and Resource Manager over TLS) beside Sources' and RHSM's. A subscription the
 * customer delegated to Red Hat through the Lighthouse offer becomes trust at RHSM as provider
 * {@code MSAZ}; what the customer must fix is said with cloudigrade's codes; what is ours is never
 * the customer's fault.
 */
@ExtendWith(StackExtension.class)
class AzureIT {
  private static final String MSAZ_ACCOUNTS = "/v1/cloud_access_providers/MSAZ/accounts";
  private static final String TEMPLATE_PATH = "/api/cloudigrade/v2/azure-offer-template/";

  private final Stack stack;
  private final Events events;

  AzureIT(Stack stack) {
    this.stack = stack;
    this.events = new Events(stack.kafka.bootstrapServers());
  }

  @BeforeEach
  void freshPeers() {
    stack.resetPeers();
  }

  @AfterEach
  void closeProducer() {
    events.close();
  }

  private CustomerSource customer() {
    return new CustomerSource(stack, events);
  }

  @Test
  void delegatedSubscriptionIsAvailableAndRegisteredAsMsaz() {
    CustomerSource customer = customer().delegating();

    customer.sendCreate();

    ConsumerRecord<String, String> status = customer.awaitStatuses(1).get(0);
    assertThat(status.value())
        .isEqualTo(
            "{\"resource_type\":\"Application\",\"resource_id\":\""
                + customer.applicationId
                + "\",\"status\":\"available\",\"error\":\"\"}");
    stack
        .rhsm
        .server()
        .verify(
            1,
            postRequestedFor(urlEqualTo(MSAZ_ACCOUNTS))
                .withHeader(RhsmStub.ORG_HEADER, equalTo(customer.orgId))
                .withHeader("Content-Type", containing("application/json"))
                .withoutHeader("X-RhApiPlatform-CallContext")
                .withoutHeader("Authorization")
                .withRequestBody(
                    equalToJson(
                        "[{\"id\":\""
                            + customer.subscriptionId
                            + "\",\"nickname\":\"\",\"verified\":true,\"sourceId\":\""
                            + customer.sourceId
                            + "\"}]")));
    assertThat(stack.rhsm.registrations(customer.orgId)).as("nothing as AWS").isEmpty();
    assertThat(stack.rhsm.holdings(customer.orgId))
        .singleElement()
        .satisfies(
            held -> {
              assertThat(held.provider()).isEqualTo("MSAZ");
              assertThat(held.id()).isEqualTo(customer.subscriptionId);
              assertThat(held.sourceId()).isEqualTo(Long.toString(customer.sourceId));
            });
    List<LoggedRequest> reads = stack.azure.subscriptionRequests(customer.subscriptionId);
    assertThat(reads).hasSize(1);
    assertThat(reads.get(0).getHeader("Authorization"))
        .startsWith("Bearer " + AzureStubs.ISSUED_TOKEN);
    assertThat(reads.get(0).queryParameter("api-version").firstValue()).isEqualTo("2022-12-01");
    assertThat(stack.sts.requestCount()).as("an Azure source never reaches STS").isZero();
  }

  @Test
  void subscriptionNotFoundIsNotDelegatedCg3005() {
    // the stand-in answers 404 SubscriptionNotFound for a subscription it was not told about
    CustomerSource customer = customer();
    String subscription = customer.subscriptionId;
    customer.inSourcesAzure(subscription);

    customer.sendCreate();

    assertThat(customer.awaitUnavailable("CG3005"))
        .startsWith(Outcome.SUBSCRIPTION_NOT_DELEGATED.error());
    assertThat(readsBeforeTheFirstStatus(customer, subscription)).hasSize(1);
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
    assertThat(stack.rhsm.server().findAll(postRequestedFor(urlEqualTo(MSAZ_ACCOUNTS)))).isEmpty();
  }

  /**
   * A 404 that does not come from Resource Manager (a misrouted URL: a page, no ARM error) says
   * nothing about the customer's delegation: never CG3005, our outage (CG3100), tried again.
   */
  @Test
  void aNotFoundThatIsNotResourceManagersIsOursNeverCg3005() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.answeredByAnotherServer(customer.subscriptionId, 404);

    customer.sendCreate();

    assertThat(customer.awaitUnavailable("CG3100"))
        .isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE.error() + "\"}");
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
  }

  @Test
  void subscriptionForbiddenIsNotDelegatedCg3005() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.forbidden(customer.subscriptionId);

    customer.sendCreate();

    customer.awaitUnavailable("CG3005");
    assertThat(readsBeforeTheFirstStatus(customer, customer.subscriptionId))
        .as("a refusal is not retried")
        .hasSize(1);
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
  }

  /**
   * The offer not deployed: Resource Manager answers our token 401 for a subscription at home in
   * the customer's tenant. The customer's to act on, told at once, never an outage of ours.
   */
  @Test
  void subscriptionAtHomeElsewhereAndNotDelegatedIsCg3005NeverOurOutage() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.atHomeElsewhereNotDelegated(customer.subscriptionId);
    double before =
        stack.server().metric("cloudoreg_azure_verifications_total", "result", "other_tenant");

    customer.sendCreate();

    customer.awaitUnavailable("CG3005");
    // (the stack's propagation re-checks, from a second on, may have asked and counted again)
    assertThat(
            stack.server().metric("cloudoreg_azure_verifications_total", "result", "other_tenant"))
        .as("counted for the alert that nothing at all is visible to us")
        .isGreaterThanOrEqualTo(before + 1);
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"Warned", "PastDue"})
  void subscriptionAzureStillServesIsAvailable(String state) {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.delegated(customer.subscriptionId, state);

    customer.sendCreate();

    customer.awaitAvailable();
    assertThat(stack.rhsm.holdings(customer.orgId)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"Disabled", "Deleted"})
  void subscriptionAzureNoLongerServesIsCg3005(String state) {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.delegated(customer.subscriptionId, state);

    customer.sendCreate();

    customer.awaitUnavailable("CG3005");
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
  }

  /**
   * Red Hat's principal sees the subscription through a plain role assignment (as Red Hat's own
   * test subscriptions): a 200, but no delegation of the customer's, so never registered.
   */
  @Test
  void subscriptionVisibleThroughPlainRbacIsNotDelegatedCg3005() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.visible(customer.subscriptionId, AzureStubs.CUSTOMER_TENANT, "Enabled");

    customer.sendCreate();

    String error = customer.awaitUnavailable("CG3005");
    assertThat(error)
        .startsWith(Outcome.SUBSCRIPTION_NOT_DELEGATED.error())
        .doesNotContain(AzureStubs.TENANT_ID, AzureStubs.CUSTOMER_TENANT);
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
  }

  @Test
  void subscriptionOfOurOwnTenantIsCg3005() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.visible(
        customer.subscriptionId, AzureStubs.TENANT_ID, "Enabled", AzureStubs.TENANT_ID);

    customer.sendCreate();

    assertThat(customer.awaitUnavailable("CG3005")).doesNotContain(AzureStubs.TENANT_ID);
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
  }

  /**
   * Sources accepts every form Go's uuid.Parse accepts, after Go's strings.TrimSpace, and stores it
   * untrimmed; each is asked about, and registered, in the canonical lower-case form.
   */
  @ParameterizedTest
  @ValueSource(strings = {"braces", "urn", "no-dashes", "pasted with spaces around"})
  void everyFormSourcesAcceptsIsRegisteredInTheCanonicalForm(String form) {
    CustomerSource customer = customer();
    String id = customer.subscriptionId;
    String upper = id.toUpperCase(Locale.ROOT);
    customer.inSourcesAzure(
        switch (form) {
          case "braces" -> "{" + upper + "}";
          case "urn" -> "URN:uuid:" + id;
          case "pasted with spaces around" -> "\u00a0 " + id + "\n";
          default -> upper.replace("-", "");
        });
    stack.azure.delegated(id, "Enabled");

    customer.sendCreate();

    customer.awaitAvailable();
    assertThat(stack.rhsm.holdings(customer.orgId))
        .singleElement()
        .satisfies(held -> assertThat(held.id()).isEqualTo(id));
    assertThat(stack.azure.subscriptionRequests(id)).hasSize(1);
  }

  /**
   * Our cached token expires (a short {@code expires_in}): the next source is verified with a new
   * one, fetched before Resource Manager would refuse the old one.
   */
  @Test
  void anExpiredTokenIsReplacedAndSourcesStayAvailable() {
    stack.azure.tokenLifetime(Duration.ofSeconds(4));
    int tokensBefore = stack.azure.tokenRequests();
    // a first source whose first read Resource Manager refuses drops whatever token the service
    // held: its second attempt gets a short-lived one
    CustomerSource first = customer().delegating();
    stack.azure.tokenRevokedOnceFor(first.subscriptionId);
    first.sendCreate();
    assertThat(first.awaitStatuses(2).get(1).value())
        .contains("\"status\":\"available\",\"error\":\"\"");
    await().atMost(Duration.ofSeconds(10)).until(stack.azure::lastTokenExpired);

    CustomerSource second = customer().delegating();
    second.sendCreate();

    second.awaitAvailable();
    assertThat(stack.azure.tokenRequests() - tokensBefore)
        .as("a token each, the second after the first expired")
        .isGreaterThanOrEqualTo(2);
    assertThat(stack.azure.expiredTokensRefused())
        .as("the expired token was never offered")
        .isZero();
  }

  @Test
  void subscriptionIdThatIsNotAUuidIsCg1006WithoutAnyCallToAzure() {
    CustomerSource customer = customer();
    customer.inSourcesAzure("my-production-subscription");

    customer.sendCreate();

    assertThat(customer.awaitUnavailable("CG1006"))
        .startsWith(Outcome.INVALID_SUBSCRIPTION_ID.error());
    customer.awaitMarkerOfSameTenant();
    assertThat(stack.azure.entraId().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    assertThat(stack.azure.resourceManager().findAll(anyRequestedFor(anyUrl()))).isEmpty();
    assertThat(stack.rhsm.holdings(customer.orgId))
        .as("only the marker's AWS account")
        .allSatisfy(held -> assertThat(held.provider()).isEqualTo(RhsmStub.AWS));
  }

  @Test
  void subscriptionHeldByAnotherOrgIsCg1005AndTheOtherOrgKeepsIt() {
    CustomerSource customer = customer().delegating();
    stack.rhsm.holds(
        "org-elsewhere-" + customer.applicationId, "MSAZ", customer.subscriptionId, "9");

    customer.sendCreate();

    String error = customer.awaitUnavailable("CG1005");
    assertThat(error)
        .startsWith(Outcome.SUBSCRIPTION_HELD_ELSEWHERE.error())
        .doesNotContain("org-elsewhere");
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
    assertThat(stack.rhsm.holdings("org-elsewhere-" + customer.applicationId)).hasSize(1);
  }

  @Test
  void subscriptionHeldByAnotherSourceOfTheOrgIsCg1005() {
    CustomerSource customer = customer().delegating();
    stack.rhsm.holds(customer.orgId, "MSAZ", customer.subscriptionId, "9");

    customer.sendCreate();

    customer.awaitUnavailable("CG1005");
    assertThat(stack.rhsm.holdings(customer.orgId))
        .singleElement()
        .satisfies(held -> assertThat(held.sourceId()).isEqualTo("9"));
  }

  @Test
  void ourSecretRefusedIsNeverTheCustomersFault() {
    CustomerSource revoked = customer();
    revoked.inSourcesAzure(revoked.subscriptionId);
    stack.azure.delegated(revoked.subscriptionId, "Enabled");
    stack.azure.tokenRevokedFor(revoked.subscriptionId);
    CustomerSource customer = new CustomerSource(stack, events).delegating();
    stack.azure.refusingOurSecret();

    // the first drops the token the service may hold (Resource Manager refuses it), so that the
    // second needs a new one, which Entra ID refuses: both are ours (two orgs: each waits for its
    // own verdict in its own lane)
    revoked.sendCreate();
    assertThat(revoked.awaitUnavailable("CG3100"))
        .as("CG3100's own text: nothing is wrong with the customer's settings")
        .isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE.error() + "\"}");
    customer.sendCreate();
    assertThat(customer.awaitUnavailable("CG3100"))
        .isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE.error() + "\"}");
    assertThat(stack.azure.subscriptionRequests(customer.subscriptionId))
        .as("without a token nothing is asked about the customer's subscription")
        .isEmpty();
    assertThat(
            stack
                .azure
                .entraId()
                .findAll(postRequestedFor(anyUrl()).withRequestBody(containing("client_secret"))))
        .as("Entra ID was asked, and refused")
        .isNotEmpty();
    assertThat(stack.rhsm.holdings(customer.orgId)).isEmpty();
    assertThat(stack.rhsm.server().findAll(postRequestedFor(urlEqualTo(MSAZ_ACCOUNTS)))).isEmpty();

    // ours to finish: once our secret works again, both are verified without anyone's help
    stack.azure.reset();
    stack.azure.delegated(revoked.subscriptionId, "Enabled");
    stack.azure.delegated(customer.subscriptionId, "Enabled");
    for (CustomerSource source : List.of(revoked, customer)) {
      await()
          .atMost(CustomerSource.STATUS_WAIT)
          .untilAsserted(
              () ->
                  assertThat(source.statuses())
                      .extracting(ConsumerRecord::value)
                      .hasSize(2)
                      .last()
                      .asString()
                      .contains("\"status\":\"available\",\"error\":\"\""));
      assertThat(source.deadLetters()).as("no operator needed").isEmpty();
      assertThat(stack.rhsm.holdings(source.orgId)).hasSize(1);
    }
  }

  @Test
  void throttledOnceWithRetryAfterOneSecondThenAvailable() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    stack.azure.throttledOnce(customer.subscriptionId, "1");

    customer.sendCreate();

    customer.awaitAvailable();
    List<LoggedRequest> reads =
        new ArrayList<>(stack.azure.subscriptionRequests(customer.subscriptionId));
    reads.sort(Comparator.comparing(LoggedRequest::getLoggedDate));
    assertThat(reads).hasSize(2);
    assertThat(
            Duration.between(
                reads.get(0).getLoggedDate().toInstant(), reads.get(1).getLoggedDate().toInstant()))
        .as("asked again no sooner than Retry-After said")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(customer.deadLetters()).isEmpty();
    assertThat(stack.rhsm.holdings(customer.orgId)).hasSize(1);
  }

  @Test
  void oneTokenServesManySources() {
    // a first source whose first read Resource Manager refuses drops whatever token the service
    // held; it is tried again with a new one (ours to finish), which the five then share
    int tokensBefore = stack.azure.tokenRequests();
    CustomerSource first = customer().delegating();
    stack.azure.tokenRevokedOnceFor(first.subscriptionId);
    first.sendCreate();
    first.awaitUnavailable("CG3100");
    assertThat(first.awaitStatuses(2).get(1).value())
        .contains("\"status\":\"available\",\"error\":\"\"");

    List<CustomerSource> many = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      many.add(new CustomerSource(stack, events).delegating());
    }
    many.forEach(CustomerSource::sendCreate);
    many.forEach(CustomerSource::awaitAvailable);

    assertThat(stack.azure.tokenRequests() - tokensBefore)
        .as("one token for the first's second attempt and the five")
        .isEqualTo(1);
    for (CustomerSource source : many) {
      assertThat(stack.azure.subscriptionRequests(source.subscriptionId)).hasSize(1);
    }
  }

  /**
   * The subscription also holds another offer of our tenant and another provider's delegation: only
   * our offer's assignment is deleted.
   */
  @Test
  void destroyRemovesTheTrustAndOnlyOurOffersAssignment() {
    CustomerSource customer = customer().delegating();
    String ours = assignmentName("1c2d3e4f", customer);
    String otherOffer = assignmentName("5d6e7f8a", customer);
    String otherProvider = assignmentName("9a8b7c6d", customer);
    stack.azure.assignments(
        customer.subscriptionId,
        list(
            assignment(customer, ours, AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME),
            assignment(customer, otherOffer, AzureStubs.TENANT_ID, AzureStubs.ANOTHER_OFFER),
            assignment(
                customer, otherProvider, AzureStubs.OTHER_PROVIDER_TENANT, AzureStubs.OFFER_NAME)));
    customer.sendCreate();
    customer.awaitAvailable();
    double removedBefore = removals("removed");

    destroy(customer);

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
    assertThat(stack.rhsm.holdings(customer.orgId))
        .as("only the marker's AWS account")
        .allSatisfy(held -> assertThat(held.provider()).isEqualTo(RhsmStub.AWS));
    assertThat(stack.azure.deletions(customer.subscriptionId))
        .as("another offer of ours, another provider's delegation: none of this removal's business")
        .singleElement()
        .satisfies(deletion -> assertThat(deletion.getUrl()).contains("/" + ours + "?"));
    assertThat(removals("removed") - removedBefore).isEqualTo(1);
    assertThat(customer.statuses()).as("a destroyed application gets no status").hasSize(1);
  }

  /**
   * RHEL management removed from the source and added back, with the same subscription, before the
   * destroy is handled: the destroy's removal finds, once landed, the application added back. The
   * delegation its grant names is not ended, and it is verified again: trusted, and told so.
   */
  @Test
  void aDestroyKeepsTheDelegationOfTheApplicationAddedBackAndVerifiesIt() {
    CustomerSource customer = customer().delegating();
    String ours = assignmentName("3c4d5e6f", customer);
    stack.azure.assignments(
        customer.subscriptionId,
        list(assignment(customer, ours, AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME)));
    customer.sendCreate();
    customer.awaitAvailable();
    long addedBack =
        customer.addedBack(
            id ->
                new SourcesStub.AuthenticationSpec(
                    "lighthouse_subscription_id",
                    customer.subscriptionId,
                    "",
                    null,
                    "Application",
                    Long.toString(id)));

    destroy(customer);

    customer.awaitAvailable(addedBack);
    // an end is begun asynchronously: none may come for a while after the verdict either
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> stack.azure.deletions(customer.subscriptionId).isEmpty());
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
    assertThat(holdsSubscription(customer)).as("trusted again after the removal").isTrue();
  }

  /** Resource Manager lists a long listing in pages: ours is on the second. */
  @Test
  void destroyFindsOurOffersAssignmentOnALaterPageOfTheListing() {
    CustomerSource customer = customer().delegating();
    String ours = assignmentName("2b3c4d5e", customer);
    String otherOffer = assignmentName("6e7f8a9b", customer);
    stack.azure.assignmentsInPages(
        customer.subscriptionId,
        list(assignment(customer, otherOffer, AzureStubs.TENANT_ID, AzureStubs.ANOTHER_OFFER)),
        list(assignment(customer, ours, AzureStubs.TENANT_ID, AzureStubs.OFFER_NAME)));
    customer.sendCreate();
    customer.awaitAvailable();
    double removedBefore = removals("removed");

    destroy(customer);

    assertThat(stack.azure.deletions(customer.subscriptionId))
        .singleElement()
        .satisfies(deletion -> assertThat(deletion.getUrl()).contains("/" + ours + "?"));
    assertThat(removals("removed") - removedBefore).isEqualTo(1);
  }

  /**
   * The second page cannot be read: ours on the first may not be the only one, so none is touched,
   * and the removal counts as failed, never as done or "none found".
   */
  @Test
  void destroyTouchesNoneWhenALaterPageCannotBeRead() {
    CustomerSource customer = customer().delegating();
    ourAssignmentThenAnotherPage(customer, "4d5e6f7a");
    stack.azure.assignmentsPageFailing(customer.subscriptionId, 1);
    assertDestroyTouchesNoneAndFails(customer);
  }

  /** A later page answered without its list says nothing of what it holds: as unread. */
  @Test
  void destroyTouchesNoneWhenALaterPageHasNoList() {
    CustomerSource customer = customer().delegating();
    ourAssignmentThenAnotherPage(customer, "8a9b0c1d");
    stack.azure.assignmentsPageWithoutList(customer.subscriptionId, 1);
    assertDestroyTouchesNoneAndFails(customer);
  }

  /** A next page named by something that is not a URL cannot be read: as unread. */
  @Test
  void destroyTouchesNoneWhenTheNextPageIsNamedByNoUrl() {
    CustomerSource customer = customer().delegating();
    stack.azure.assignments(
        customer.subscriptionId,
        list(
                assignment(
                    customer,
                    assignmentName("6f7a8b9c", customer),
                    AzureStubs.TENANT_ID,
                    AzureStubs.OFFER_NAME))
            + ",\"nextLink\":42");
    assertDestroyTouchesNoneAndFails(customer);
  }

  /** An assignment listed without its definition cannot be told ours or not: as unread. */
  @Test
  void destroyTouchesNoneWhenAnAssignmentComesWithoutItsDefinition() {
    CustomerSource customer = customer().delegating();
    stack.azure.assignments(
        customer.subscriptionId,
        list(
            "{\"name\":\""
                + assignmentName("5e6f7a8b", customer)
                + "\",\"type\":\"Microsoft.ManagedServices/registrationAssignments\","
                + "\"properties\":{\"provisioningState\":\"Succeeded\"}}"));
    assertDestroyTouchesNoneAndFails(customer);
  }

  private void ourAssignmentThenAnotherPage(CustomerSource customer, String prefix) {
    stack.azure.assignmentsInPages(
        customer.subscriptionId,
        list(
            assignment(
                customer,
                assignmentName(prefix, customer),
                AzureStubs.TENANT_ID,
                AzureStubs.OFFER_NAME)),
        list());
  }

  private void assertDestroyTouchesNoneAndFails(CustomerSource customer) {
    customer.sendCreate();
    customer.awaitAvailable();
    double failedBefore = removals("failed");

    destroy(customer);

    assertThat(stack.azure.deletions(customer.subscriptionId)).isEmpty();
    assertThat(removals("failed") - failedBefore).isEqualTo(1);
  }

  /** Two of our offer's assignments, one on each page: several, so none is touched. */
  @Test
  void destroyTouchesNoneWhenThePagesTogetherHoldSeveralOfOurs() {
    CustomerSource customer = customer().delegating();
    stack.azure.assignmentsInPages(
        customer.subscriptionId,
        list(
            assignment(
                customer,
                assignmentName("3c4d5e6f", customer),
                AzureStubs.TENANT_ID,
                AzureStubs.OFFER_NAME)),
        list(
            assignment(
                customer,
                assignmentName("7f8a9b0c", customer),
                AzureStubs.TENANT_ID,
                AzureStubs.OFFER_NAME)));
    customer.sendCreate();
    customer.awaitAvailable();
    double severalBefore = removals("several");

    destroy(customer);

    assertThat(stack.azure.deletions(customer.subscriptionId)).isEmpty();
    assertThat(removals("several") - severalBefore).isEqualTo(1);
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("the trust goes all the same")
        .hasSize(1);
  }

  @Test
  void aRefusedUpdateRemovesTheTrustButNeverTheDelegation() {
    CustomerSource customer = customer().delegating();
    stack.azure.ourAssignment(customer.subscriptionId, assignmentName("1c2d3e4f", customer));
    customer.sendCreate();
    customer.awaitAvailable();
    int resourceManagerCallsBefore = stack.azure.resourceManagerRequests();
    String typo = customer.subscriptionId.substring(0, 30) + "zz";
    customer.inSourcesAzure(typo);

    customer.send(EventTypes.AUTHENTICATION_UPDATE, customer.azureAuthenticationUpdateBody(typo));

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"error\":\"CG1006: ");
    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> stack.rhsm.holdings(customer.orgId).isEmpty());
    customer.awaitMarkerOfSameTenant();
    assertThat(stack.azure.deletions(customer.subscriptionId))
        .as("the customer corrects a typo without deploying the offer again")
        .isEmpty();
    assertThat(stack.azure.resourceManagerRequests())
        .as("not even a listing of the old subscription's assignments")
        .isEqualTo(resourceManagerCallsBefore);
  }

  @Test
  void aDelegationAzureShowsOnlyLaterBecomesAvailableWithoutTheCustomersHelp() {
    CustomerSource customer = customer();
    customer.inSourcesAzure(customer.subscriptionId);
    double delegatedBefore =
        stack.server().metric("cloudoreg_azure_propagation_rechecks_total", "result", "delegated");

    customer.sendCreate();
    customer.awaitUnavailable("CG3005");
    // the offer's deployment reaches Resource Manager after the customer added the source
    stack.azure.delegated(customer.subscriptionId, "Enabled");

    List<ConsumerRecord<String, String>> statuses = customer.awaitStatuses(2);
    assertThat(statuses.get(1).value()).contains("\"status\":\"available\",\"error\":\"\"");
    assertThat(stack.rhsm.holdings(customer.orgId)).hasSize(1);
    assertThat(
            stack
                    .server()
                    .metric("cloudoreg_azure_propagation_rechecks_total", "result", "delegated")
                - delegatedBefore)
        .isEqualTo(1);
  }

  @Test
  void destroyWithTwoAssignmentsOfOurOfferRemovesNeitherAndCountsIt() {
    CustomerSource customer = customer().delegating();
    stack.azure.assignments(
        customer.subscriptionId,
        list(
            assignment(
                customer,
                assignmentName("1c2d3e4f", customer),
                AzureStubs.TENANT_ID,
                AzureStubs.OFFER_NAME),
            assignment(
                customer,
                assignmentName("2d3e4f5a", customer),
                AzureStubs.TENANT_ID,
                AzureStubs.OFFER_NAME)));
    customer.sendCreate();
    customer.awaitAvailable();
    double severalBefore = removals("several");

    destroy(customer);

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
    assertThat(stack.azure.deletions(customer.subscriptionId)).isEmpty();
    assertThat(removals("several") - severalBefore).isEqualTo(1);
  }

  /**
   * Azure accepts the deletion (202) and says where to follow it: the service reads the operation
   * after each {@code Retry-After} until it succeeded, and counts the delegation removed.
   */
  @Test
  void destroyFollowsAnAcceptedDeletionUntilItSucceeded() {
    CustomerSource customer = customer().delegating();
    String ours = assignmentName("1c2d3e4f", customer);
    stack.azure.ourAssignment(customer.subscriptionId, ours);
    stack.azure.deletionAccepted(
        customer.subscriptionId, ours, AzureStubs.Follow.ASYNC_OPERATION, 1, "Succeeded");
    customer.sendCreate();
    customer.awaitAvailable();
    double removedBefore = removals("removed");

    destroy(customer);

    await().atMost(Duration.ofSeconds(30)).until(() -> removals("removed") - removedBefore >= 1);
    List<LoggedRequest> reads = stack.azure.operationReads(customer.subscriptionId);
    assertThat(reads).hasSize(2);
    assertThat(
            Duration.between(
                stack.azure.deletions(customer.subscriptionId).get(0).getLoggedDate().toInstant(),
                reads.get(0).getLoggedDate().toInstant()))
        .as("read no sooner than the 202's Retry-After")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(customer.deadLetters()).isEmpty();
  }

  /**
   * RHSM removes the source's trust, but every answer to the first attempt's removal is lost (503,
   * through its retries in place): the attempt after it finds nothing at RHSM to list, and the
   * delegation of the subscription the first one listed still ends, once, and is counted.
   */
  @Test
  void destroyEndsTheDelegationWhenRhsmsAnswersToTheRemovalWereLost() {
    CustomerSource customer = customer().delegating();
    String ours = assignmentName("0d1e2f3a", customer);
    stack.azure.ourAssignment(customer.subscriptionId, ours);
    customer.sendCreate();
    customer.awaitAvailable();
    double removedBefore = removals("removed");
    int lost = Policy.PEER_RETRIES + 1;
    stack.rhsm.sourceRemovalsLandButAnswer503(customer.orgId, customer.sourceId, lost);

    destroy(customer);

    await().atMost(Duration.ofSeconds(30)).until(() -> removals("removed") - removedBefore >= 1);
    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId))
        .as("tried again until RHSM confirmed it: nothing left, 404")
        .hasSizeGreaterThan(lost);
    assertThat(stack.rhsm.holdings(customer.orgId))
        .allSatisfy(held -> assertThat(held.provider()).isEqualTo(RhsmStub.AWS));
    assertThat(stack.azure.deletions(customer.subscriptionId))
        .singleElement()
        .satisfies(deletion -> assertThat(deletion.getUrl()).contains("/" + ours + "?"));
    assertThat(removals("removed") - removedBefore).isEqualTo(1);
    assertThat(customer.deadLetters()).isEmpty();
  }

  /**
   * A create's write lands while its fence cannot be read (Sources failing the application's grants
   * through every retry in place), and the application is destroyed meanwhile: the destroy's own
   * removal may have run before the write, so the write takes itself back — the trust, and our
   * delegation of the subscription it wrote with it.
   */
  @Test
  void aLateWriteWhoseApplicationIsGoneTakesBackTheTrustAndEndsTheDelegation() {
    CustomerSource customer = customer().delegating();
    String ours = assignmentName("1e2f3a4b", customer);
    stack.azure.ourAssignment(customer.subscriptionId, ours);
    stack.sources.grantsFailFirst(customer.applicationId, StackExtension.ATTEMPTS);

    customer.sendCreate();
    await()
        .pollInterval(Duration.ofMillis(10))
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> holdsSubscription(customer));
    stack.sources.destroyApplication(customer.orgId, customer.applicationId);

    await()
        .atMost(CustomerSource.STATUS_WAIT)
        .until(() -> !stack.azure.deletions(customer.subscriptionId).isEmpty());
    assertThat(stack.azure.deletions(customer.subscriptionId))
        .singleElement()
        .satisfies(deletion -> assertThat(deletion.getUrl()).contains("/" + ours + "?"));
    assertThat(holdsSubscription(customer)).as("the trust taken back").isFalse();
    assertThat(customer.deadLetters()).isEmpty();
  }

  @Test
  void destroyRemovesTheTrustEvenWhenResourceManagerFails() {
    CustomerSource customer = customer().delegating();
    stack.azure.assignmentsFailing(customer.subscriptionId);
    customer.sendCreate();
    customer.awaitAvailable();

    destroy(customer);

    assertThat(stack.rhsm.removals(customer.orgId, customer.sourceId)).hasSize(1);
    assertThat(stack.rhsm.holdings(customer.orgId))
        .allSatisfy(held -> assertThat(held.provider()).isEqualTo(RhsmStub.AWS));
    assertThat(stack.azure.subscriptionRequests(customer.subscriptionId))
        .as("the delegation was looked for")
        .hasSizeGreaterThan(1);
    assertThat(customer.deadLetters()).isEmpty();
  }

  /**
   * A deployment without our Azure secret: an Azure source's create gets no status (never a false
   * unavailable), the skip is counted, and the readiness report names Azure as not configured while
   * staying UP.
   */
  @Test
  void withoutAzureCredentialsAzureSourcesGetNoStatus() throws Exception {
    String name = "azure-off";
    List<String> topics = List.of(name + ".event-stream", name + ".status", name + ".dead-letter");
    stack.kafka.createTopics(topics, 1);
    LibertyServer server =
        stack.separateServer(
            "cloudoreg-" + name,
            withoutAzureIdentity(
                Map.of(
                    "SOURCES_EVENT_TOPIC", topics.get(0),
                    "SOURCES_STATUS_TOPIC", topics.get(1),
                    "CLOUDOREG_DEAD_LETTER_TOPIC", topics.get(2),
                    "KAFKA_GROUP_ID", "cloudoreg-" + name)));
    try (Ledger ledger = new Ledger(stack.kafka.bootstrapServers(), topics.get(1), topics.get(2));
        Events own = new Events(stack.kafka.bootstrapServers(), topics.get(0))) {
      server.start();
      CustomerSource customer = new CustomerSource(stack, own).delegating();
      CustomerSource marker = new CustomerSource(stack, own, customer).trusting();

      customer.sendCreate();
      marker.sendCreate();

      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !ledger.statusesFor(marker.applicationId).isEmpty());
      assertThat(ledger.statusesFor(marker.applicationId).get(0).value())
          .contains("\"status\":\"available\"");
      assertThat(ledger.statusesFor(customer.applicationId)).as("no status, ever").isEmpty();
      assertThat(ledger.deadLetters()).isEmpty();
      assertThat(stack.azure.entraId().findAll(anyRequestedFor(anyUrl()))).isEmpty();
      assertThat(stack.azure.resourceManager().findAll(anyRequestedFor(anyUrl()))).isEmpty();
      assertThat(stack.rhsm.holdings(customer.orgId))
          .allSatisfy(held -> assertThat(held.provider()).isEqualTo(RhsmStub.AWS));

      assertThat(scrape(server.metricsUri()))
          .containsPattern(
              "cloudoreg_outcomes_total\\{code=\"AZURE_NOT_CONFIGURED\",[^}]*status=\"none\",?\\}"
                  + " 1(\\.0)?\\b")
          .as("at zero from the start: an alert on no delegated verification needs the series")
          .containsPattern(
              "cloudoreg_azure_verifications_total\\{[^}]*result=\"delegated\"[^}]*\\} 0(\\.0)?\\b");

      HttpResponse<String> ready = server.get("/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(json(ready.body()).getString("status")).isEqualTo("UP");
      JsonObject configuration = configurationCheck(ready.body());
      assertThat(configuration.getString("status")).isEqualTo("UP");
      assertThat(configuration.getJsonObject("data").getString("azure"))
          .isEqualTo("not configured");
      assertThat(configuration.getJsonObject("data").getString("offer-template"))
          .isEqualTo("not served");

      HttpResponse<String> template = server.get(TEMPLATE_PATH);
      assertThat(template.statusCode()).isEqualTo(404);
      assertThat(json(template.body()).getString("error")).contains("no Azure Lighthouse offer");
    } finally {
      server.kill();
    }
  }

  /**
   * The Lighthouse offer template, where cloudigrade serves it: on the public port, without
   * authentication, with and without the trailing slash, for any origin; our tenant, principal and
   * offer in it.
   */
  @Test
  void offerTemplateIsPublicWithAndWithoutTheTrailingSlash() {
    for (String path :
        List.of(TEMPLATE_PATH, TEMPLATE_PATH.substring(0, TEMPLATE_PATH.length() - 1))) {
      HttpResponse<String> answer = stack.server().get(path);

      assertThat(answer.statusCode()).as(path).isEqualTo(200);
      assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
      assertThat(answer.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/json");
      JsonObject template = json(answer.body());
      JsonObject parameters = template.getJsonObject("parameters");
      assertThat(template.getString("$schema")).contains("subscriptionDeploymentTemplate.json#");
      assertThat(parameters.getJsonObject("mspOfferName").getString("defaultValue"))
          .isEqualTo(AzureStubs.OFFER_NAME);
      assertThat(parameters.getJsonObject("managedByTenantId").getString("defaultValue"))
          .isEqualTo(AzureStubs.TENANT_ID);
      assertThat(
              parameters
                  .getJsonObject("authorizations")
                  .getJsonArray("defaultValue")
                  .getJsonObject(0)
                  .getString("principalId"))
          .isEqualTo(AzureStubs.SP_OBJECT_ID);
    }
  }

  /**
   * Through the platform's gateway or a route, the request may carry the client's own Host
   * (console.redhat.com, no port, or another port than ours): the template is served all the same,
   * never a 404 of Liberty's choosing a virtual host by that port.
   */
  @ParameterizedTest
  @ValueSource(strings = {"console.redhat.com", "console.redhat.com:443", "cloudoreg-service"})
  void offerTemplateIsServedWhateverHostTheRequestNames(String host) throws IOException {
    String request =
        "GET " + TEMPLATE_PATH + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
    try (Socket socket = new Socket("localhost", stack.server().uri("/").getPort())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String answer =
          new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

      assertThat(answer).as(host).startsWith("HTTP/1.1 200");
      assertThat(answer.toLowerCase(Locale.ROOT)).contains("access-control-allow-origin: *");
      assertThat(answer).contains("subscriptionDeploymentTemplate.json#");
    }
  }

  @Test
  void theTestServerReportsAzureConfigured() {
    HttpResponse<String> ready = stack.server().get("/health/ready");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(configurationCheck(ready.body()).getJsonObject("data").getString("azure"))
        .isEqualTo("configured");
    assertThat(configurationCheck(ready.body()).getJsonObject("data").getString("offer-template"))
        .isEqualTo("served");
  }

  private void destroy(CustomerSource customer) {
    customer.send(
        EventTypes.APPLICATION_DESTROY, customer.applicationBody(SourcesStub.CLOUD_METER_TYPE_ID));
    customer.awaitMarkerOfSameTenant();
  }

  private boolean holdsSubscription(CustomerSource customer) {
    return stack.rhsm.holdings(customer.orgId).stream()
        .anyMatch(held -> held.id().equals(customer.subscriptionId));
  }

  /** A registration assignment's name of this customer's own (ids never collide between tests). */
  private static String assignmentName(String prefix, CustomerSource customer) {
    return prefix + "-5a6b-4c7d-8e9f-" + String.format("%012d", customer.applicationId);
  }

  private static String assignment(
      CustomerSource customer, String name, String tenant, String offer) {
    return AzureStubs.assignmentBody(customer.subscriptionId, name, "Succeeded", tenant, offer);
  }

  private static String list(String... assignments) {
    return "[" + String.join(",", assignments) + "]";
  }

  /** {@code cloudoreg_azure_delegation_removals_total{result}} as the service's scrape says. */
  private double removals(String result) {
    Matcher counted =
        Pattern.compile(
                "(?m)^cloudoreg_azure_delegation_removals_total\\{[^}]*result=\""
                    + result
                    + "\"[^}]*\\} ([0-9.Ee+-]+)$")
            .matcher(stack.server().get(stack.server().metricsUri(), Map.of()).body());
    return counted.find() ? Double.parseDouble(counted.group(1)) : 0;
  }

  /**
   * Every setting of our Azure identity taken away, as without the {@code cloudoreg-azure} secret.
   */
  private static Map<String, String> withoutAzureIdentity(Map<String, String> changes) {
    Map<String, String> without = new java.util.HashMap<>(changes);
    for (String name :
        List.of(
            "AZURE_TENANT_ID",
            "AZURE_CLIENT_ID",
            "AZURE_CLIENT_SECRET",
            "AZURE_SP_OBJECT_ID",
            "AZURE_OFFER_NAME",
            "CLOUDIGRADE_ENVIRONMENT")) {
      without.put(name, null);
    }
    return without;
  }

  /** The {@code configuration} check of a health report. */
  private static JsonObject configurationCheck(String report) {
    return json(report).getJsonArray("checks").stream()
        .map(JsonValue::asJsonObject)
        .filter(check -> "configuration".equals(check.getString("name", "")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no configuration check in " + report));
  }

  private static JsonObject json(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      return reader.readObject();
    }
  }

  private static String scrape(URI metrics) throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /**
   * The reads of the subscription that the customer's first status was decided on: the stack's
   * propagation re-checks of a CG3005 read it again from a second after, whenever the machine lets
   * this test look.
   */
  private List<LoggedRequest> readsBeforeTheFirstStatus(
      CustomerSource customer, String subscription) {
    long told = customer.statuses().get(0).timestamp();
    return stack.azure.subscriptionRequests(subscription).stream()
        .filter(read -> read.getLoggedDate().getTime() <= told)
        .toList();
  }
}
