package com.redhat.cloudoreg.aws;

import com.redhat.cloudoreg.metrics.PeerCall;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Guard;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import software.amazon.awssdk.arns.Arn;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.AssumedRoleUser;
import software.amazon.awssdk.services.sts.model.StsException;
import software.amazon.awssdk.utils.Lazy;

/**
 * Proves that Red Hat can act in the customer's account through the role they gave us, with one
 * call: AssumeRole. Its answer names the identity STS vouches for ({@code AssumedRoleUser.Arn}),
 * and that identity must be the ARN's role in the ARN's account; a second call with the borrowed
 * credentials would add no evidence STS has not given already (aws-sts.md). The credentials in the
 * answer are never read, logged or kept, and the session policy lets them do nothing at all.
 */
@ApplicationScoped
public class StsVerifier {
  /**
   * Denies everything: the borrowed credentials serve no call, so should they ever leak they are
   * worth nothing for their 15 minutes.
   */
  static final String SESSION_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
          + "\"Action\":\"*\",\"Resource\":\"*\"}]}";

  /** The shortest session AWS grants: the credentials serve no call and are dropped at once. */
  static final int SESSION_SECONDS = 900;

  /** AWS's ExternalId: 2 to 1224 characters of {@code [\w+=,.@:/-]}. */
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");

  private static final Set<String> ROLE_REFUSED = Set.of("AccessDenied", "RegionDisabledException");
  private static final Set<String> INPUT_REFUSED =
      Set.of(
          "ValidationError",
          "InvalidParameterValue",
          "MalformedPolicyDocument",
          "MalformedPolicyDocumentException",
          "PackedPolicyTooLarge",
          "PackedPolicyTooLargeException");
  private static final Set<String> OUR_CREDENTIALS_REFUSED =
      Set.of(
          "InvalidClientTokenId",
          "SignatureDoesNotMatch",
          "ExpiredToken",
          "ExpiredTokenException",
          "IncompleteSignature",
          "MissingAuthenticationToken");
  private static final Set<String> TRANSIENT =
      Set.of("Throttling", "ThrottlingException", "InternalFailure", "ServiceUnavailable");

  private static final Logger LOG = Logger.getLogger(StsVerifier.class.getName());

  private final StsClient sts;
  private final Guard guard;
  private final Lazy<Optional<String>> ownAccount;

  @Inject
  public StsVerifier(StsClient sts, Guard guard) {
    this.sts = sts;
    this.guard = guard;
    this.ownAccount = new Lazy<>(this::resolveOwnAccount);
  }

  protected StsVerifier() {
    this(null, null);
  }

  @PeerCall(peer = "sts", call = "verify_role")
  @Timeout(Policy.VERIFICATION_TIMEOUT_MS)
  @Retry(
      maxRetries = Policy.PEER_RETRIES,
      delay = Policy.PEER_RETRY_DELAY_MS,
      jitter = Policy.PEER_RETRY_JITTER_MS,
      maxDuration = Policy.PEER_RETRY_BUDGET_MS,
      retryOn = {TransientFailure.class, TimeoutException.class},
      abortOn = {Rejection.class, OwnCredentialsRejected.class, UnexpectedAnswer.class})
  public void verify(RoleArn role, Optional<String> externalId, boolean redrive) {
    externalId
        .filter(id -> !EXTERNAL_ID.matcher(id).matches())
        .ifPresent(
            id -> {
              throw new Rejection(Outcome.AWS_REJECTED_INPUT, "external id has illegal characters");
            });
    String vouchedFor =
        guard.call(Guard.Peer.STS, redrive, () -> call(() -> assumeRole(role, externalId)));
    if (!isRoleOf(vouchedFor, role)) {
      throw new Rejection(
          Outcome.IDENTITY_MISMATCH,
          "assumed identity "
              + vouchedFor
              + " is not role "
              + role.roleName()
              + " of account "
              + role.accountId());
    }
    if (ownAccount.getValue().filter(role.accountId()::equals).isPresent()) {
      LOG.log(
          Level.WARNING,
          "Role {0} is in our own AWS account: a customer''s role belongs in the customer''s"
              + " account; check the source and our credentials",
          role);
    }
  }

  /**
   * Assumes the role; returns only the identity STS vouches for, so the borrowed credentials in the
   * answer go no further than this method.
   */
  private String assumeRole(RoleArn role, Optional<String> externalId) {
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder()
            .roleArn(role.value())
            .roleSessionName("cloudoreg-" + role.accountId())
            .durationSeconds(SESSION_SECONDS)
            .policy(SESSION_POLICY);
    externalId.ifPresent(request::externalId);
    AssumedRoleUser assumed = sts.assumeRole(request.build()).assumedRoleUser();
    if (assumed == null || assumed.arn() == null) {
      throw new UnexpectedAnswer("STS answered AssumeRole without AssumedRoleUser");
    }
    return assumed.arn();
  }

  /**
   * Whether {@code assumedArn}, {@code arn:aws:sts::<account>:assumed-role/<role name>/<session>},
   * is a session of {@code role}: the same account and role name. The role's path is not part of
   * it.
   */
  private static boolean isRoleOf(String assumedArn, RoleArn role) {
    Arn arn;
    try {
      arn = Arn.fromString(assumedArn);
    } catch (IllegalArgumentException malformed) {
      return false;
    }
    String[] resource = arn.resourceAsString().split("/", -1);
    return "aws".equals(arn.partition())
        && "sts".equals(arn.service())
        && arn.accountId().equals(Optional.of(role.accountId()))
        && resource.length == 3
        && "assumed-role".equals(resource[0])
        && role.roleName().equals(resource[1]);
  }

  /**
   * Our own account, when our credentials say it: the SDK takes it from {@code AWS_ACCOUNT_ID} or,
   * on OpenShift, from the web identity's assumed role. Read once, after the first successful call,
   * when the credentials have been resolved already: refreshed credentials are the same account's,
   * and asking the client for its configuration builds it anew: 4 % of a verification's CPU when it
   * was asked every time (a JFR profile of {@code bench/StsClientCost}; its process CPU per
   * verification 373-461 us before, 387-423 us after, four rounds each, 2026-12-07).
   */
  private Optional<String> resolveOwnAccount() {
    return sts.serviceClientConfiguration()
        .credentialsProvider()
        .resolveIdentity()
        .join()
        .accountId();
  }

  /** Runs one STS call and reads its failure by AWS's error code. */
  private static <T> T call(java.util.function.Supplier<T> stsCall) {
    try {
      return stsCall.get();
    } catch (StsException refused) {
      throw classify(refused);
    } catch (SdkClientException unreachable) {
      throw new TransientFailure("STS unreachable: " + unreachable.getClass().getSimpleName());
    }
  }

  static RuntimeException classify(StsException refused) {
    String code = refused.awsErrorDetails() == null ? "" : refused.awsErrorDetails().errorCode();
    if (ROLE_REFUSED.contains(code)) {
      return new Rejection(Outcome.ROLE_NOT_ASSUMABLE, "STS refused AssumeRole: " + code);
    }
    if (INPUT_REFUSED.contains(code)) {
      return new Rejection(Outcome.AWS_REJECTED_INPUT, "STS rejected the input: " + code);
    }
    if (OUR_CREDENTIALS_REFUSED.contains(code)) {
      return new OwnCredentialsRejected("STS refused our credentials: " + code);
    }
    if (TRANSIENT.contains(code) || refused.statusCode() >= 500) {
      return new TransientFailure("STS failed: " + code + " (HTTP " + refused.statusCode() + ")");
    }
    return new UnexpectedAnswer("STS answered " + code + " (HTTP " + refused.statusCode() + ")");
  }
}
