package com.redhat.cloudoreg.sources;

import jakarta.json.bind.annotation.JsonbProperty;

/** The fields of a Sources application that cloudoreg uses. Ids are strings in the REST API. */
public record Application(
    String id,
    @JsonbProperty("source_id") String sourceId,
    @JsonbProperty("application_type_id") String applicationTypeId) {}
