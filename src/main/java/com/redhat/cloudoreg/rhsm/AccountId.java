package com.redhat.cloudoreg.rhsm;

/** {@code DELETE /cloud_access_providers/{p}/accounts}' body: the one account to remove. */
public record AccountId(String id) {}
