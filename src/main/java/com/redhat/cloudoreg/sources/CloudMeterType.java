package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tells Cloud Meter applications from the others. The type's id differs per environment, so it is
 * looked up by name once and kept: it does not change while we run.
 */
@ApplicationScoped
public class CloudMeterType {
  public static final String NAME = "/insights/platform/cloud-meter";

  private final SourcesGateway sources;
  private final AtomicReference<String> id = new AtomicReference<>();

  @Inject
  public CloudMeterType(SourcesGateway sources) {
    this.sources = sources;
  }

  protected CloudMeterType() {
    this(null);
  }

  public boolean isCloudMeter(Application application) {
    return id().equals(application.applicationTypeId());
  }

  /** Events carry the type id as a number, REST as a string: compared by value. */
  public boolean isCloudMeter(long applicationTypeId) {
    return id().equals(Long.toString(applicationTypeId));
  }

  /** Looks the type up now, unless known: the warm-up's one real read, needed by every event. */
  public void lookUp() {
    id();
  }

  private String id() {
    String known = id.get();
    if (known != null) {
      return known;
    }
    String found =
        sources
            .applicationTypeId(NAME)
            .orElseThrow(() -> new UnexpectedAnswer("Sources lists no application type " + NAME));
    id.compareAndSet(null, found);
    return found;
  }
}
