package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.TransientFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sources in memory, as the in-process tests' peer: each tenant sees only its own rows; the Cloud
 * Meter type is "5", source types amazon "1", azure "2", google "3"; every read is recorded (to
 * prove what was, and was not, read) and Sources can be made to fail.
 */
public class InMemorySources extends SourcesGateway {
  public static final String CLOUD_METER = "5";
  private static final Map<String, String> TYPES =
      Map.of("1", "amazon", "2", "azure", "3", "google");

  private final Map<String, Object> rows = new HashMap<>();
  private final Set<String> secretsUnreadable = new HashSet<>();
  private boolean applicationReadsFail;
  private final List<String> reads = new ArrayList<>();
  private boolean down;
  private String retryAfter;
  private boolean listDown;

  public synchronized void application(String orgId, long id, long sourceId, String typeId) {
    rows.put(
        orgId + "/application/" + id,
        new Application(Long.toString(id), Long.toString(sourceId), typeId));
  }

  public synchronized void forget(String orgId, long applicationId) {
    rows.remove(orgId + "/application/" + applicationId);
  }

  /** The authentication is listed, but its read with the secret field answers 404. */
  public synchronized void secretUnreadable(long authenticationId) {
    secretsUnreadable.add(Long.toString(authenticationId));
  }

  public synchronized void forgetAuthentication(String orgId, long authenticationId) {
    rows.remove(orgId + "/authentication/" + authenticationId);
  }

  public synchronized void source(String orgId, long id, String typeName) {
    String typeId =
        TYPES.entrySet().stream()
            .filter(e -> e.getValue().equals(typeName))
            .findFirst()
            .orElseThrow()
            .getKey();
    rows.put(orgId + "/source/" + id, new Source(Long.toString(id), typeId));
  }

  public synchronized void authentication(String orgId, long id, Authentication authentication) {
    rows.put(orgId + "/authentication/" + id, authentication);
  }

  public synchronized void down(boolean down) {
    this.down = down;
  }

  public synchronized List<String> reads() {
    return List.copyOf(reads);
  }

  @Override
  public synchronized Optional<String> applicationTypeId(String name) {
    read("application_types");
    return Optional.of(CLOUD_METER);
  }

  @Override
  public synchronized Optional<Application> application(Caller caller, long id) {
    read("application " + id);
    if (applicationReadsFail) {
      throw new TransientFailure("Sources answered HTTP 503");
    }
    return row(caller, "application", id, Application.class);
  }

  /** Reads of an application fail (as a 503) while on; the rest answers. */
  public synchronized void applicationReadsFail(boolean failing) {
    applicationReadsFail = failing;
  }

  @Override
  public synchronized Optional<Authentication> authentication(Caller caller, long id) {
    read("authentication " + id);
    return row(caller, "authentication", id, Authentication.class).map(InMemorySources::publicView);
  }

  @Override
  public synchronized Optional<Authentication> withSecretIfNeeded(
      Caller caller, Authentication listed) {
    if (!listed.grantOnlyInPassword()) {
      return Optional.of(listed);
    }
    read("authentication " + listed.id() + " with password");
    if (secretsUnreadable.contains(listed.id())) {
      return Optional.empty();
    }
    return row(caller, "authentication", Long.parseLong(listed.id()), Authentication.class);
  }

  /** The public API never shows the secret field. */
  private static Authentication publicView(Authentication a) {
    return new Authentication(
        a.id(), a.authtype(), a.username(), null, a.extra(), a.resourceType(), a.resourceId());
  }

  @Override
  public synchronized Optional<List<Authentication>> authenticationsOf(
      Caller caller, long applicationId) {
    read("authentications of application " + applicationId);
    if (row(caller, "application", applicationId, Application.class).isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        rows.entrySet().stream()
            .filter(e -> e.getKey().startsWith(caller.orgId() + "/authentication/"))
            .map(e -> (Authentication) e.getValue())
            .filter(a -> Long.toString(applicationId).equals(a.resourceId()))
            .map(InMemorySources::publicView)
            .toList());
  }

  @Override
  public synchronized Optional<Source> source(Caller caller, long id) {
    read("source " + id);
    return row(caller, "source", id, Source.class);
  }

  @Override
  public synchronized Optional<SourceType> sourceType(Caller caller, long id) {
    read("source_type " + id);
    return Optional.ofNullable(TYPES.get(Long.toString(id)))
        .map(name -> new SourceType(Long.toString(id), name));
  }

  /** Every tenant's sources; the list can be made to fail apart from the rest. */
  @Override
  public synchronized List<ListedSource> everySource(int offset, int limit) {
    read("every source from " + offset);
    if (listDown) {
      throw new TransientFailure("Sources answered HTTP 503");
    }
    List<ListedSource> all =
        rows.keySet().stream()
            .filter(key -> key.contains("/source/"))
            .sorted()
            .map(
                key ->
                    new ListedSource(
                        key.substring(key.lastIndexOf('/') + 1),
                        key.substring(0, key.indexOf('/')),
                        ""))
            .toList();
    return all.subList(Math.min(offset, all.size()), Math.min(offset + limit, all.size()));
  }

  public synchronized void listDown(boolean down) {
    this.listDown = down;
  }

  public synchronized void forgetSource(String orgId, long id) {
    rows.remove(orgId + "/source/" + id);
  }

  @Override
  public synchronized List<Application> applicationsOf(Caller caller, long sourceId) {
    read("applications of source " + sourceId);
    return rows.entrySet().stream()
        .filter(e -> e.getKey().startsWith(caller.orgId() + "/application/"))
        .map(e -> (Application) e.getValue())
        .filter(a -> a.sourceId().equals(Long.toString(sourceId)))
        .toList();
  }

  /** Every read answered 429 with this {@code Retry-After} (null: Sources reads again). */
  public synchronized void throttling(String retryAfter) {
    this.retryAfter = retryAfter;
  }

  private void read(String what) {
    if (down) {
      throw new TransientFailure("Sources answered HTTP 503");
    }
    if (retryAfter != null) {
      throw Throttled.of(
          "Sources answered HTTP 429", 429, retryAfter, Duration.ZERO, Clock.systemUTC());
    }
    reads.add(what);
  }

  private <T> Optional<T> row(Caller caller, String kind, long id, Class<T> type) {
    return Optional.ofNullable(rows.get(caller.orgId() + "/" + kind + "/" + id)).map(type::cast);
  }
}
