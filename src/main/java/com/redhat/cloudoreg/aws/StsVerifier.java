package com.redhat.cloudoreg.aws;

import com.redhat.cloudoreg.metrics.FlowMetrics;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.metrics.annotation.Timed;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.AssumeRoleRequest;
import software.amazon.awssdk.services.sts.model.Credentials;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityRequest;
import software.amazon.awssdk.services.sts.model.GetCallerIdentityResponse;
import software.amazon.awssdk.services.sts.model.StsException;

/**
 * Proves that Red Hat can act in the customer's account through the role they gave us: assume the
 * role with a session policy that allows nothing but {@code sts:GetCallerIdentity}, then ask who we
 * are with the borrowed credentials. The credentials live only inside {@link #verify}.
 */
@ApplicationScoped
public class StsVerifier {
  static final String SESSION_POLICY =
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
          + "\"Action\":\"sts:GetCallerIdentity\",\"Resource\":\"*\"}]}";

  /** The shortest session AWS grants: the credentials serve one call and are dropped. */
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

  private final StsClient sts;

  @Inject
  public StsVerifier(StsClient sts) {
    this.sts = sts;
  }

  protected StsVerifier() {
    this(null);
  }

  @Timed(
      name = FlowMetrics.PEER_CALL,
      absolute = true,
      tags = {"peer=sts", "call=verify_role"},
      description = FlowMetrics.PEER_CALL_DESCRIPTION)
  @Timeout(Policy.VERIFICATION_TIMEOUT_MS)
  @Retry(
      maxRetries = Policy.PEER_RETRIES,
      delay = Policy.PEER_RETRY_DELAY_MS,
      jitter = Policy.PEER_RETRY_JITTER_MS,
      maxDuration = Policy.PEER_RETRY_BUDGET_MS,
      retryOn = {TransientFailure.class, TimeoutException.class},
      abortOn = {Rejection.class, OwnCredentialsRejected.class, UnexpectedAnswer.class})
  @CircuitBreaker(
      requestVolumeThreshold = Policy.BREAKER_WINDOW,
      failureRatio = Policy.BREAKER_FAILURE_RATIO,
      delay = Policy.BREAKER_OPEN_MS,
      skipOn = Rejection.class)
  public void verify(RoleArn role, Optional<String> externalId) {
    externalId
        .filter(id -> !EXTERNAL_ID.matcher(id).matches())
        .ifPresent(
            id -> {
              throw new Rejection(Outcome.AWS_REJECTED_INPUT, "external id has illegal characters");
            });
    Credentials borrowed = call(() -> assumeRole(role, externalId));
    GetCallerIdentityResponse caller = call(() -> callerIdentity(borrowed));
    if (!role.accountId().equals(caller.account())
        || !caller.arn().startsWith(assumedRolePrefix(role))) {
      throw new Rejection(
          Outcome.IDENTITY_MISMATCH,
          "assumed identity "
              + caller.arn()
              + " is not role "
              + role.roleName()
              + " of account "
              + role.accountId());
    }
  }

  private Credentials assumeRole(RoleArn role, Optional<String> externalId) {
    AssumeRoleRequest.Builder request =
        AssumeRoleRequest.builder()
            .roleArn(role.value())
            .roleSessionName("cloudoreg-" + role.accountId())
            .durationSeconds(SESSION_SECONDS)
            .policy(SESSION_POLICY);
    externalId.ifPresent(request::externalId);
    return sts.assumeRole(request.build()).credentials();
  }

  private GetCallerIdentityResponse callerIdentity(Credentials borrowed) {
    var credentials =
        StaticCredentialsProvider.create(
            AwsSessionCredentials.create(
                borrowed.accessKeyId(), borrowed.secretAccessKey(), borrowed.sessionToken()));
    return sts.getCallerIdentity(
        GetCallerIdentityRequest.builder()
            .overrideConfiguration(config -> config.credentialsProvider(credentials))
            .build());
  }

  private static String assumedRolePrefix(RoleArn role) {
    return "arn:aws:sts::" + role.accountId() + ":assumed-role/" + role.roleName() + "/";
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
