package com.redhat.cloudoreg.stack;

import com.github.tomakehurst.wiremock.http.Request;
import java.util.ArrayList;
import java.util.List;

/**
 * What the requests a stand-in received broke of its peer's contract, or of our own rules for
 * calling it. Collected as requests arrive (on WireMock's threads) and taken by the test that
 * caused them: {@link StackExtension} fails every integration test that leaves one behind.
 */
public final class Violations {
  private final String peer;
  private final List<String> found = new ArrayList<>();

  Violations(String peer) {
    this.peer = peer;
  }

  /** Records that {@code request} broke a rule, saying which. */
  public synchronized void add(Request request, String rule) {
    found.add(peer + ": " + request.getMethod() + " " + request.getUrl() + ": " + rule);
  }

  /** The violations so far, kept. */
  public synchronized List<String> list() {
    return List.copyOf(found);
  }

  /** The violations so far; afterwards there are none. */
  public synchronized List<String> take() {
    List<String> taken = new ArrayList<>(found);
    found.clear();
    return taken;
  }
}
