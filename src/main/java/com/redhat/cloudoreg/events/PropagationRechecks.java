package com.redhat.cloudoreg.events;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * When an Azure create answered "not delegated" (CG3005) is verified again: Azure can take minutes
 * to show a freshly deployed Lighthouse delegation, so the customer who added the source right
 * after deploying the offer must not have to do anything (azure-lighthouse.md). {@code
 * CLOUDOREG_AZURE_PROPAGATION_RECHECKS}: the times after the first answer, ISO-8601, by default 2,
 * 5 and 15 minutes. In memory only: a restart forgets them, as the contract allows (Sources' own
 * availability checks come anyway).
 */
@ApplicationScoped
public class PropagationRechecks {
  private final List<Duration> after;
  private final ScheduledExecutorService scheduler;

  @Inject
  public PropagationRechecks(
      @ConfigProperty(
              name = "CLOUDOREG_AZURE_PROPAGATION_RECHECKS",
              defaultValue = "PT2M,PT5M,PT15M")
          String after,
      ScheduledExecutorService scheduler) {
    this.after = Arrays.stream(after.split(",")).map(String::trim).map(Duration::parse).toList();
    this.scheduler = scheduler;
    for (int i = 1; i < this.after.size(); i++) {
      if (this.after.get(i).compareTo(this.after.get(i - 1)) < 0) {
        throw new IllegalArgumentException(
            "CLOUDOREG_AZURE_PROPAGATION_RECHECKS must grow: " + after);
      }
    }
  }

  protected PropagationRechecks() {
    this.after = List.of();
    this.scheduler = null;
  }

  /**
   * Schedules the {@code round}-th re-check (0 for the first); false, and nothing scheduled, when
   * there are no more.
   */
  public boolean schedule(int round, Runnable recheck) {
    if (round >= after.size()) {
      return false;
    }
    Duration wait = round == 0 ? after.get(0) : after.get(round).minus(after.get(round - 1));
    scheduler.schedule(recheck, wait.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }
}
