package com.redhat.cloudoreg.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Outcomes;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.TransientFailure;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.sts.model.StsException;

class StsVerifierClassifyTest {
  @ParameterizedTest
  @CsvSource({
    "AccessDenied, 403, CG3002",
    "RegionDisabledException, 403, CG3002",
    "ValidationError, 400, CG3004",
    "MalformedPolicyDocument, 400, CG3004",
    "InvalidClientTokenId, 403, CG3100",
    "ExpiredToken, 400, CG3100",
    "SignatureDoesNotMatch, 403, CG3100",
    "Throttling, 400, CG3100",
    "InternalFailure, 500, CG3100",
    "SomethingNew, 502, CG3100",
  })
  void awsErrorCodesBecomeOutcomes(String code, int status, String outcomeCode) {
    RuntimeException failure = StsVerifier.classify(error(code, status));

    assertThat(Outcomes.of(failure).label()).isEqualTo(outcomeCode);
  }

  @ParameterizedTest
  @CsvSource({"Throttling, 400", "InternalFailure, 500", "ServiceUnavailable, 503"})
  void throttlingAndOutagesAreRetried(String code, int status) {
    assertThat(StsVerifier.classify(error(code, status))).isInstanceOf(TransientFailure.class);
  }

  @ParameterizedTest
  @CsvSource({"InvalidClientTokenId, 403", "ExpiredToken, 400", "MissingAuthenticationToken, 403"})
  void ourCredentialsAreNeverTheCustomersFault(String code, int status) {
    RuntimeException failure = StsVerifier.classify(error(code, status));

    assertThat(failure).isInstanceOf(OwnCredentialsRejected.class);
    assertThat(Outcomes.of(failure)).isEqualTo(Outcome.TEMPORARILY_IMPOSSIBLE);
  }

  private static StsException error(String code, int status) {
    return (StsException)
        StsException.builder()
            .statusCode(status)
            .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
            .build();
  }
}
