package com.redhat.cloudoreg.events;

/** The body of {@code Source.destroy}: the source that is gone. */
public record SourceDestroy(long sourceId) {
  public static SourceDestroy parse(String body) {
    return new SourceDestroy(EventBodies.id(EventBodies.object(body), "id"));
  }
}
