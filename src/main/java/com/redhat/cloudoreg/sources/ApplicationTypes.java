package com.redhat.cloudoreg.sources;

import java.util.List;

/** A page of {@code GET /application_types}. */
public record ApplicationTypes(List<ApplicationType> data) {
  public record ApplicationType(String id, String name) {}
}
