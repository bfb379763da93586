package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which cloud a source is. Source type ids differ per environment but not while we run, so each
 * id's name is looked up once and kept.
 */
@ApplicationScoped
public class SourceTypes {
  private final SourcesGateway sources;
  private final Map<String, Cloud> clouds = new ConcurrentHashMap<>();

  @Inject
  public SourceTypes(SourcesGateway sources) {
    this.sources = sources;
  }

  protected SourceTypes() {
    this(null);
  }

  /** The source's cloud, or empty when Sources no longer has the source. */
  public Optional<Cloud> cloudOf(Caller caller, String sourceId) {
    return sources
        .source(caller, Long.parseLong(sourceId))
        .map(Source::sourceTypeId)
        .map(typeId -> cloud(caller, typeId));
  }

  private Cloud cloud(Caller caller, String sourceTypeId) {
    Cloud known = clouds.get(sourceTypeId);
    if (known != null) {
      return known;
    }
    Cloud found =
        sources
            .sourceType(caller, Long.parseLong(sourceTypeId))
            .map(type -> Cloud.ofSourceType(type.name()))
            .orElseThrow(
                () -> new UnexpectedAnswer("Sources lists no source type " + sourceTypeId));
    clouds.put(sourceTypeId, found);
    return found;
  }
}
