package com.redhat.cloudoreg.sources;

/** An application type, as {@code GET /application_types} lists it. */
public record ApplicationType(String id, String name) {}
