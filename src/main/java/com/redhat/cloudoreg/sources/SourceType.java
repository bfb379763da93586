package com.redhat.cloudoreg.sources;

/** A Sources source type: its id (per environment) and its name ({@code amazon}, …). */
public record SourceType(String id, String name) {}
