package com.redhat.cloudoreg.bench;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts the id a benchmark stand-in's answer is about, taken from the request, wherever the stub's
 * body says {@value #PLACEHOLDER}; a stub names the one it needs with {@code withTransformers}. It
 * does with plain string operations what WireMock's Handlebars templates did: rendering those cost
 * CPU on every request, which the stand-ins took from the service they share the cores with.
 */
enum IdFromRequest implements ResponseDefinitionTransformerV2 {
  /** The last segment of the path, as in {@code /applications/{id}}; the query is not part. */
  LAST_PATH_SEGMENT("id-from-last-path-segment") {
    @Override
    String id(Request request) {
      String url = request.getUrl();
      int query = url.indexOf('?');
      int end = query < 0 ? url.length() : query;
      return url.substring(url.lastIndexOf('/', end - 1) + 1, end);
    }
  },

  /** The segment before the last, as in {@code /applications/{id}/authentications}. */
  PARENT_PATH_SEGMENT("id-from-parent-path-segment") {
    @Override
    String id(Request request) {
      String path = request.getUrl().split("\\?", 2)[0];
      String parent = path.substring(0, path.lastIndexOf('/'));
      return parent.substring(parent.lastIndexOf('/') + 1);
    }
  },

  /** The 12-digit account in the AssumeRole form's {@code RoleArn}. */
  ROLE_ARN_ACCOUNT("id-from-role-arn-account") {
    @Override
    String id(Request request) {
      for (String field : request.getBodyAsString().split("&")) {
        if (field.startsWith(ROLE_ARN)) {
          Matcher account =
              ACCOUNT.matcher(
                  URLDecoder.decode(field.substring(ROLE_ARN.length()), StandardCharsets.UTF_8));
          if (account.find()) {
            return account.group();
          }
        }
      }
      throw new IllegalArgumentException("no RoleArn with a 12-digit account in the form");
    }
  };

  /** Where the id goes in a stub's body. */
  static final String PLACEHOLDER = "{id}";

  private static final String ROLE_ARN = "RoleArn=";
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");

  private final String name;

  IdFromRequest(String name) {
    this.name = name;
  }

  /**
   * The id; a request without one is the benchmark's mistake, and WireMock answers it with a 500.
   */
  abstract String id(Request request);

  @Override
  public String getName() {
    return name;
  }

  /** Only the stubs that name it. */
  @Override
  public boolean applyGlobally() {
    return false;
  }

  @Override
  public ResponseDefinition transform(ServeEvent event) {
    ResponseDefinition stubbed = event.getResponseDefinition();
    return ResponseDefinitionBuilder.like(stubbed)
        .withBody(stubbed.getBody().replace(PLACEHOLDER, id(event.getRequest())))
        .build();
  }
}
