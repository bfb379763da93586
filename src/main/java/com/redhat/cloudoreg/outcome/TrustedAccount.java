package com.redhat.cloudoreg.outcome;

/** The cloud account a decision trusted: RHSM's provider short name and the account's id. */
public record TrustedAccount(String provider, String accountId) {}
