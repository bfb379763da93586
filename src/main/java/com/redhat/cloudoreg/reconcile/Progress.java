package com.redhat.cloudoreg.reconcile;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.StringReader;
import java.time.Instant;
import java.util.Optional;

/**
 * How far the reconciliation got: the run it is in (when it began), the last org it finished (orgs
 * are walked in their sorted order, so a run resumed after a restart goes on after it), and when
 * the last run completed. Kept in the trust ledger, so that whichever replica reconciles next
 * knows.
 *
 * @param runStarted the run in progress, if one is
 * @param lastOrg the last org that run finished, if any
 * @param lastCompleted when the last complete run ended, if one did
 */
public record Progress(
    Optional<Instant> runStarted, Optional<String> lastOrg, Optional<Instant> lastCompleted) {
  public static final Progress NONE =
      new Progress(Optional.empty(), Optional.empty(), Optional.empty());

  /** A run begins. */
  Progress started(Instant at) {
    return new Progress(Optional.of(at), Optional.empty(), lastCompleted);
  }

  /** The run finished every org up to {@code orgId}. */
  Progress through(String orgId) {
    return new Progress(runStarted, Optional.of(orgId), lastCompleted);
  }

  /** The run is complete. */
  Progress completed(Instant at) {
    return new Progress(Optional.empty(), Optional.empty(), Optional.of(at));
  }

  boolean inRun() {
    return runStarted.isPresent();
  }

  String toJson() {
    var json = Json.createObjectBuilder();
    runStarted.ifPresent(at -> json.add("run_started", at.toString()));
    lastOrg.ifPresent(org -> json.add("last_org", org));
    lastCompleted.ifPresent(at -> json.add("last_completed", at.toString()));
    return json.build().toString();
  }

  static Progress fromJson(String text) {
    try (var reader = Json.createReader(new StringReader(text))) {
      JsonObject json = reader.readObject();
      return new Progress(
          string(json, "run_started").map(Instant::parse),
          string(json, "last_org"),
          string(json, "last_completed").map(Instant::parse));
    }
  }

  private static Optional<String> string(JsonObject json, String name) {
    return json.get(name) instanceof JsonString text
        ? Optional.of(text.getString())
        : Optional.empty();
  }
}
