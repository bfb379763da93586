package com.redhat.cloudoreg.sources;

import jakarta.json.bind.annotation.JsonbProperty;

/** The fields of a Sources source that cloudoreg uses: which type of cloud it is. */
public record Source(String id, @JsonbProperty("source_type_id") String sourceTypeId) {}
