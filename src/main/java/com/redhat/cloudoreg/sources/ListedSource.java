package com.redhat.cloudoreg.sources;

import jakarta.json.bind.annotation.JsonbProperty;

/** A source as Sources' internal list shows it, across tenants: its id and its tenant. */
public record ListedSource(
    String id, @JsonbProperty("org_id") String orgId, @JsonbProperty("tenant") String tenant) {}
