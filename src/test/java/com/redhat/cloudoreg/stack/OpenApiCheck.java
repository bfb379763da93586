package com.redhat.cloudoreg.stack;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.Request;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A peer's published API document, and what a request received by its stand-in breaks of it. */
final class OpenApiCheck {
  private final OpenApiInteractionValidator validator;

  /**
   * @param document a file of {@code src/test/resources/contracts/openapi}
   * @param basePath where the stand-in serves the API, in place of the document's own
   */
  OpenApiCheck(String document, String basePath) {
    validator =
        OpenApiInteractionValidator.createForSpecificationUrl(Samples.openapi(document))
            .withBasePathOverride(basePath)
            // the public documents' Bearer scheme: services authenticate otherwise (PSK, mTLS)
            .withLevelResolver(
                LevelResolver.create()
                    .withLevel("validation.request.security", ValidationReport.Level.IGNORE)
                    // the stand-ins hold their own lists of the parameters each call accepts
                    .withLevel(
                        "validation.request.parameter.query.unexpected",
                        ValidationReport.Level.IGNORE)
                    // as the validator's default: the public documents omit fields the internal
                    // deployments take (RHSM's verified and sourceId)
                    .withLevel(
                        "validation.schema.additionalProperties", ValidationReport.Level.IGNORE)
                    .build())
            .build();
  }

  /** The errors the document finds in the request: method, path, query, headers and body. */
  List<String> errors(Request received) {
    String url = received.getUrl();
    int query = url.indexOf('?');
    String path = query < 0 ? url : url.substring(0, query);
    var request =
        new SimpleRequest.Builder(
            com.atlassian.oai.validator.model.Request.Method.valueOf(
                received.getMethod().getName()),
            path);
    if (query >= 0) {
      for (String pair : url.substring(query + 1).split("&")) {
        String[] kv = pair.split("=", 2);
        request.withQueryParam(decode(kv[0]), kv.length > 1 ? decode(kv[1]) : "");
      }
    }
    for (HttpHeader header : received.getHeaders().all()) {
      request.withHeader(header.key(), header.values());
    }
    String body = received.getBodyAsString();
    if (body != null && !body.isEmpty()) {
      request.withBody(body);
    }
    return validator.validateRequest(request.build()).getMessages().stream()
        .filter(message -> message.getLevel() == ValidationReport.Level.ERROR)
        .map(Object::toString)
        .toList();
  }

  /** The query parameters of a request, decoded, in order. */
  static List<String> queryParameterNames(Request received) {
    String url = received.getUrl();
    int query = url.indexOf('?');
    if (query < 0) {
      return List.of();
    }
    return java.util.Arrays.stream(url.substring(query + 1).split("&"))
        .filter(pair -> !pair.isEmpty())
        .map(pair -> decode(pair.split("=", 2)[0]))
        .toList();
  }

  static String path(Request received) {
    String url = received.getUrl();
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
