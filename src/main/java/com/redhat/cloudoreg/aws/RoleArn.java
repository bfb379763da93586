package com.redhat.cloudoreg.aws;

import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.Rejection;
import java.util.regex.Pattern;
import software.amazon.awssdk.arns.Arn;

/**
 * A customer's IAM role ARN that passed every check that can be made without calling AWS. The
 * account id stays a 12-character string: leading zeros are part of it.
 */
public record RoleArn(String value, String accountId, String roleName) {
  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");

  /** IAM role paths and names: {@code /path/} segments and a name of {@code [\w+=,.@-]}. */
  private static final Pattern ROLE_RESOURCE = Pattern.compile("role(/[\\w+=,.@-]+)+");

  public static RoleArn parse(String candidate) {
    Arn arn;
    try {
      arn = Arn.fromString(candidate);
    } catch (IllegalArgumentException malformed) {
      throw invalid("not an ARN");
    }
    if (!"aws".equals(arn.partition())) {
      throw invalid("partition " + arn.partition() + " is not the commercial partition aws");
    }
    if (!"iam".equals(arn.service())) {
      throw invalid("service " + arn.service() + " is not iam");
    }
    if (arn.region().isPresent()) {
      throw invalid("IAM ARNs carry no region");
    }
    String account = arn.accountId().orElse("");
    if (!ACCOUNT_ID.matcher(account).matches()) {
      throw invalid("the account id is not 12 digits");
    }
    String resource = arn.resourceAsString();
    if (!ROLE_RESOURCE.matcher(resource).matches()) {
      throw invalid("the resource is not role/<path and name>");
    }
    return new RoleArn(candidate, account, resource.substring(resource.lastIndexOf('/') + 1));
  }

  private static Rejection invalid(String why) {
    return new Rejection(Outcome.INVALID_ARN, "invalid role ARN: " + why);
  }

  @Override
  public String toString() {
    return value;
  }
}
