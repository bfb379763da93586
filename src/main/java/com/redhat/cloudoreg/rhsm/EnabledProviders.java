package com.redhat.cloudoreg.rhsm;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** {@code GET /cloud_access_providers/enabled}: the org's providers and their accounts. */
public record EnabledProviders(List<ProviderAccounts> body) {
  /** One provider the org has enabled, and its accounts. */
  public record ProviderAccounts(String shortName, List<ProviderAccount> accounts) {}

  /** The account of that provider as the org holds it, if it does. */
  public Optional<ProviderAccount> account(Provider provider, String accountId) {
    return accountsOf(provider.name())
        .filter(account -> accountId.equalsIgnoreCase(account.id()))
        .findFirst();
  }

  /** The org's accounts of that provider tied to the source. */
  public List<String> sourceAccounts(Provider provider, String sourceId) {
    return accountsOf(provider.name())
        .filter(account -> sourceId.equals(account.sourceId()))
        .map(ProviderAccount::id)
        .toList();
  }

  /** The sources through which the org holds accounts of that provider (never by-hand ones). */
  public Set<String> sourcesHolding(Provider provider) {
    return accountsOf(provider.name())
        .filter(account -> !account.addedByHand())
        .map(ProviderAccount::sourceId)
        .collect(Collectors.toSet());
  }

  private Stream<ProviderAccount> accountsOf(String providerShortName) {
    return Optional.ofNullable(body).orElse(List.of()).stream()
        .filter(provider -> providerShortName.equals(provider.shortName()))
        .flatMap(provider -> Optional.ofNullable(provider.accounts()).orElse(List.of()).stream());
  }
}
