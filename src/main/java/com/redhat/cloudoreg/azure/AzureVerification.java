package com.redhat.cloudoreg.azure;

import java.util.Locale;

/**
 * What a verification of a subscription found, counted as {@code
 * cloudoreg_azure_verifications_total{result}}. Each but {@link #DELEGATED} looks like the
 * customer's to fix; all of them, none delegated, look like ours: our token is not the tenant or
 * application customers delegated to (the alert CloudoregAzureNothingVisible).
 */
public enum AzureVerification {
  /** A usable delegation to our tenant. */
  DELEGATED,
  /** Resource Manager's 401 for a subscription at home in another tenant, not delegated to ours. */
  OTHER_TENANT,
  /** Resource Manager's own 404 or 403 for it. */
  NOT_VISIBLE,
  /** Visible, but not a delegation to us in a usable state. */
  NOT_DELEGATED;

  /** The metric label. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
