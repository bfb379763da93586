package com.redhat.cloudoreg.outcome;

import java.util.Optional;

/**
 * Every way an event can end. The codes keep cloudigrade's numbering so that support runbooks keep
 * working; the texts are shown to the customer in the Sources UI, so they say what to do.
 */
public enum Outcome {
  TRUSTED(Availability.AVAILABLE, null, null),
  NOT_OURS(null, null, null),
  /**
   * The application's type (or its source's) could not be learned now: no verdict, so nothing is
   * published and nothing at RHSM changes; the event waits and is tried again.
   */
  TYPE_UNKNOWN(null, null, null),
  /** An Azure source in a deployment without Azure credentials: not handled here, no status. */
  AZURE_NOT_CONFIGURED(null, null, null),
  APPLICATION_GONE(null, null, null),
  /**
   * The grant verified was replaced while we verified it (an update, on this pod or another): no
   * status (the replacement's own decision says it), and what we wrote is taken back.
   */
  GRANT_REPLACED(null, null, null),
  TRUST_REMOVED(null, null, null),
  /**
   * RHSM has not confirmed a removal (any answer but 2xx or 404, or none): no verdict on anyone;
   * the removal is tried again until it is confirmed.
   */
  REMOVAL_UNCONFIRMED(null, null, null),
  AUTHENTICATION_MISSING(
      Availability.UNAVAILABLE,
      "CG2000",
      "The source's authentication could not be found. Edit the source and enter the IAM role ARN"
          + " (AWS) or the subscription id (Azure) again."),
  UNSUPPORTED_AUTHTYPE(
      Availability.UNAVAILABLE,
      "CG2001",
      "This authentication type is not supported for RHEL management. Use an AWS IAM role ARN"
          + " (cloud-meter-arn) or an Azure subscription id (lighthouse_subscription_id)."),
  WRONG_RESOURCE_TYPE(
      Availability.UNAVAILABLE,
      "CG2002",
      "The authentication is not attached to the RHEL management application. Remove the"
          + " application from the source and add it again."),
  NO_EXTERNAL_ID(
      Availability.UNAVAILABLE,
      "CG2005",
      "The source has no external ID, and Red Hat trusts a new IAM role only with one. Remove the"
          + " source and add it again: the wizard shows an external ID to put in the role's trust"
          + " policy."),
  NO_ARN(
      Availability.UNAVAILABLE,
      "CG2004",
      "No IAM role ARN was given. Edit the source and enter the ARN of the role you created for"
          + " Red Hat."),
  INVALID_ARN(
      Availability.UNAVAILABLE,
      "CG1004",
      "The IAM role ARN is not valid. It must look like arn:aws:iam::123456789012:role/name, with"
          + " your 12-digit account id, in the commercial AWS partition (not aws-cn or"
          + " aws-us-gov)."),
  ROLE_NOT_ASSUMABLE(
      Availability.UNAVAILABLE,
      "CG3002",
      "Red Hat could not assume the IAM role. Check that the role's trust policy names Red Hat's"
          + " AWS account and the external ID shown in the wizard, then check the source again."),
  IDENTITY_MISMATCH(
      Availability.UNAVAILABLE,
      "CG3003",
      "The assumed identity does not belong to the account and role in the ARN. Check the ARN,"
          + " then check the source again."),
  AWS_REJECTED_INPUT(
      Availability.UNAVAILABLE,
      "CG3004",
      "AWS rejected the role ARN or the external ID as invalid. Check both, then check the source"
          + " again."),
  LINKED_BY_OTHER_SOURCE(
      Availability.UNAVAILABLE,
      "CG1001",
      "This AWS account is already linked to your organization through another source. Use that"
          + " source, or remove it first and then check this source again."),
  HELD_BY_OTHER_ORG(
      Availability.UNAVAILABLE,
      "CG1002",
      "This AWS account is already registered to another Red Hat organization. Remove it there,"
          + " or contact Red Hat support."),
  SUBSCRIPTION_HELD_ELSEWHERE(
      Availability.UNAVAILABLE,
      "CG1005",
      "This Azure subscription is already registered, through another source of your"
          + " organization or by another Red Hat organization. Use that source, or remove the"
          + " subscription there first."),
  INVALID_SUBSCRIPTION_ID(
      Availability.UNAVAILABLE,
      "CG1006",
      "The Azure subscription id is not valid. It must be the subscription's id, a UUID such as"
          + " 6f2d7c1e-8d1b-4f57-9b0e-1c2a3b4c5d6e. Edit the source and enter it again."),
  SUBSCRIPTION_NOT_DELEGATED(
      Availability.UNAVAILABLE,
      "CG3005",
      "Red Hat cannot see this Azure subscription, or the subscription is not enabled. Deploy"
          + " the Red Hat Azure Lighthouse offer in the subscription (again) and make sure the"
          + " subscription is enabled, then check the source again."),
  REGISTRATION_REFUSED(
      Availability.UNAVAILABLE,
      "CG1007",
      "Red Hat Subscription Management refused to register this cloud account. Check the account"
          + " or subscription id, or contact Red Hat support."),
  TEMPORARILY_IMPOSSIBLE(
      Availability.UNAVAILABLE,
      "CG3100",
      "The account could not be verified yet because a service it depends on is temporarily"
          + " unavailable. Nothing is wrong with your settings: Red Hat keeps trying and updates"
          + " this status by itself."),
  UNREPORTABLE(null, null, null),
  /** A bug of ours: logged with its stack trace, counted, kept as a dead letter; no status. */
  INTERNAL_ERROR(null, null, null);

  private final Availability availability;
  private final String code;
  private final String customerText;

  Outcome(Availability availability, String code, String customerText) {
    this.availability = availability;
    this.code = code;
    this.customerText = customerText;
  }

  /**
   * No verdict on the customer's setup: an outage of ours or a peer's, or a type not known yet. A
   * re-check never reports these on the application, and they are worth a warning in the log.
   */
  public boolean noVerdict() {
    return this == TEMPORARILY_IMPOSSIBLE || this == TYPE_UNKNOWN;
  }

  /** The availability to report to Sources, or empty when this outcome publishes nothing. */
  public Optional<Availability> availability() {
    return Optional.ofNullable(availability);
  }

  /** The code (CGxxxx), or empty for outcomes that are not errors. */
  public Optional<String> code() {
    return Optional.ofNullable(code);
  }

  /** The text Sources stores as the application's availability error; empty when available. */
  public String error() {
    return code == null ? "" : code + ": " + customerText;
  }

  /** How the outcome appears in logs and metrics: its code, else its name. */
  public String label() {
    return code == null ? name() : code;
  }
}
