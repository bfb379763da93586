package com.redhat.cloudoreg.azure;

import java.util.Locale;

/**
 * How ending our Lighthouse delegation of a subscription went ({@link
 * AzureVerifier#endDelegation}); each but {@link #NOT_CONFIGURED} is counted as {@code
 * cloudoreg_azure_delegation_removals_total{result}}, so that delegations left behind show.
 */
public enum DelegationRemoval {
  /** Our offer's assignment deleted (200/204, or 202 and its operation succeeded). */
  REMOVED,
  /** No assignment of our offer (never deployed, already removed, subscription not visible). */
  NONE,
  /** More than one assignment of our offer: none touched, as cloudigrade did. */
  SEVERAL,
  /**
   * Azure refused the deletion (4xx, e.g. 403 when the deployed offer lacks the Registration
   * Assignment Delete role) or its operation ended Failed or Canceled: left behind.
   */
  REFUSED,
  /**
   * No answer that settles it: our credentials refused, Azure unreachable, throttling or 5xx, an
   * answer we cannot read, or an accepted deletion that did not end within the bound.
   */
  FAILED,
  /** Shadow mode: found the one assignment of our offer, and left it (logged "would remove"). */
  SHADOW,
  /**
   * This deployment has no Azure credentials: nothing was looked for, nor counted here (the flow
   * counts the skip as {@code AZURE_NOT_CONFIGURED}).
   */
  NOT_CONFIGURED;

  /** The metric label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
