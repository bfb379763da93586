package com.redhat.cloudoreg.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The image runs the Liberty the tests ran: one version in pom.xml and the Containerfile. */
class LibertyVersionTest {
  private static final Pattern IMAGE =
      Pattern.compile("^FROM icr\\.io/appcafe/open-liberty:(\\d+\\.\\d+\\.\\d+\\.\\d+)-\\S*$");

  @Test
  void containerfileBaseImageIsTheLibertyVersionThePomTestsWith() throws Exception {
    assertThat(containerfileLibertyVersion())
        .as("open-liberty image tag in _deployment/Containerfile")
        .isEqualTo(pomLibertyVersion());
  }

  private static String pomLibertyVersion() throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document pom = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    String version =
        pom.getElementsByTagName("liberty.runtime.version").item(0).getTextContent().trim();
    assertThat(version).as("liberty.runtime.version in pom.xml").isNotBlank();
    return version;
  }

  private static String containerfileLibertyVersion() throws Exception {
    return Files.readAllLines(Path.of("_deployment/Containerfile")).stream()
        .map(IMAGE::matcher)
        .filter(Matcher::matches)
        .map(matcher -> matcher.group(1))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no FROM icr.io/appcafe/open-liberty:<version>-… line"));
  }
}
