package com.redhat.cloudoreg.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RoleArnTest {
  @Test
  void keepsAccountAsTwelveCharacterString() {
    RoleArn arn = RoleArn.parse("arn:aws:iam::012345678901:role/redhat-cloud-meter");

    assertThat(arn.accountId()).isEqualTo("012345678901");
    assertThat(arn.roleName()).isEqualTo("redhat-cloud-meter");
  }

  @Test
  void roleWithPathIsNamedByItsLastSegment() {
    RoleArn arn =
        RoleArn.parse("arn:aws:iam::123456789012:role/service-roles/rh/cloud.meter+x@y=z,w-1");

    assertThat(arn.roleName()).isEqualTo("cloud.meter+x@y=z,w-1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not an arn",
        "arn:aws-cn:iam::123456789012:role/r",
        "arn:aws-us-gov:iam::123456789012:role/r",
        "arn:aws:sts::123456789012:role/r",
        "arn:aws:iam:us-east-1:123456789012:role/r",
        "arn:aws:iam::12345678901:role/r",
        "arn:aws:iam::1234567890123:role/r",
        "arn:aws:iam::12345678901a:role/r",
        "arn:aws:iam:::role/r",
        "arn:aws:iam::123456789012:user/r",
        "arn:aws:iam::123456789012:role/",
        "arn:aws:iam::123456789012:role",
        "arn:aws:iam::123456789012:role/r ",
        " arn:aws:iam::123456789012:role/r",
        "arn:aws:iam::123456789012:role/with space"
      })
  void rejectsEveryWrongPart(String candidate) {
    assertThatThrownBy(() -> RoleArn.parse(candidate))
        .isInstanceOfSatisfying(
            Rejection.class,
            rejection -> assertThat(rejection.outcome()).isEqualTo(Outcome.INVALID_ARN));
  }
}
