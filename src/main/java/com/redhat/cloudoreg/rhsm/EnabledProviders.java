package com.redhat.cloudoreg.rhsm;

import java.util.List;
import java.util.Optional;

/** {@code GET /cloud_access_providers/enabled}: the org's providers and their accounts. */
public record EnabledProviders(List<Provider> body) {
  public record Provider(String shortName, List<ProviderAccount> accounts) {}

  /** The account of that provider as the org holds it, if it does. */
  public Optional<ProviderAccount> account(String providerShortName, String accountId) {
    return Optional.ofNullable(body).orElse(List.of()).stream()
        .filter(provider -> providerShortName.equals(provider.shortName()))
        .flatMap(provider -> Optional.ofNullable(provider.accounts()).orElse(List.of()).stream())
        .filter(account -> accountId.equals(account.id()))
        .findFirst();
  }
}
