package com.redhat.cloudoreg.rhsm;

import com.redhat.cloudoreg.identity.Caller;
import com.redhat.cloudoreg.metrics.PeerCall;
import com.redhat.cloudoreg.mode.Mode;
import com.redhat.cloudoreg.outcome.Outcome;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.Rejection;
import com.redhat.cloudoreg.outcome.Throttled;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import com.redhat.cloudoreg.policy.ClientFailures;
import com.redhat.cloudoreg.policy.Guard;
import com.redhat.cloudoreg.policy.Policy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * RHSM calls with retries on transient failures only (in place only when RHSM asked for no longer a
 * wait than the retry's pause: {@link Throttled}), a time bound and RHSM's breaker.
 */
@ApplicationScoped
@Timeout(Policy.PEER_CALL_TIMEOUT_MS)
@Retry(
    maxRetries = Policy.PEER_RETRIES,
    delay = Policy.PEER_RETRY_DELAY_MS,
    jitter = Policy.PEER_RETRY_JITTER_MS,
    maxDuration = Policy.PEER_RETRY_BUDGET_MS,
    retryOn = {TransientFailure.class, TimeoutException.class},
    abortOn = {
      RhsmConflict.class,
      Rejection.class,
      OwnCredentialsRejected.class,
      UnexpectedAnswer.class,
      Throttled.Longer.class
    })
public class RhsmGateway {
  private static final Logger LOG = Logger.getLogger(RhsmGateway.class.getName());

  private final RhsmClient client;
  private final Guard guard;
  private final Mode mode;

  @Inject
  public RhsmGateway(
      @RestClient RhsmClient client,
      Guard guard,
      @ConfigProperty(name = Mode.PROPERTY, defaultValue = "live") String mode) {
    this.client = client;
    this.guard = guard;
    this.mode = Mode.of(mode);
  }

  protected RhsmGateway() {
    this(null, null, null);
  }

  /**
   * Registers the account. {@code tries} counts this call's attempts (the retry runs this method
   * again): a conflict answering a later attempt may be our own earlier attempt, landed with its
   * answer lost.
   */
  @PeerCall(peer = "rhsm", call = "add_accounts")
  public void addAccount(
      Caller caller, Provider provider, ProviderAccount account, AtomicInteger tries) {
    tries.incrementAndGet();
    if (wouldChange(
        caller, "add {1} account {2} of source {3}", provider, account.id(), account.sourceId())) {
      return;
    }
    try {
      guard.run(
          Guard.Peer.RHSM,
          caller,
          () ->
              client.addAccounts(
                  caller.orgId(), caller.requestId(), provider.name(), List.of(account)));
    } catch (RhsmNotFound refused) {
      throw new Rejection(Outcome.REGISTRATION_REFUSED, "RHSM answered HTTP 404");
    } catch (ProcessingException noAnswerOrUnreadable) {
      throw ClientFailures.of("RHSM", noAnswerOrUnreadable);
    }
  }

  @PeerCall(peer = "rhsm", call = "remove_source_accounts")
  public void removeSourceAccounts(Caller caller, String sourceId) {
    if (wouldChange(caller, "remove the accounts of source {1}", sourceId)) {
      return;
    }
    try {
      guard.run(
          Guard.Peer.RHSM,
          caller,
          () -> client.removeSourceAccounts(caller.orgId(), caller.requestId(), sourceId));
    } catch (RhsmNotFound alreadyGone) {
      // nothing of that source was registered: the removal's goal holds
    } catch (RhsmConflict refused) {
      throw unconfirmed(refused);
    } catch (ProcessingException noAnswerOrUnreadable) {
      throw ClientFailures.of("RHSM", noAnswerOrUnreadable);
    }
  }

  @PeerCall(peer = "rhsm", call = "remove_account")
  public void removeAccount(Caller caller, Provider provider, String accountId) {
    if (wouldChange(caller, "remove {1} account {2}", provider, accountId)) {
      return;
    }
    try {
      guard.run(
          Guard.Peer.RHSM,
          caller,
          () ->
              client.removeAccount(
                  caller.orgId(), caller.requestId(), provider.name(), new AccountId(accountId)));
    } catch (RhsmNotFound alreadyGone) {
      // the account is not there: the removal's goal holds
    } catch (RhsmConflict refused) {
      throw unconfirmed(refused);
    } catch (ProcessingException noAnswerOrUnreadable) {
      throw ClientFailures.of("RHSM", noAnswerOrUnreadable);
    }
  }

  @PeerCall(peer = "rhsm", call = "enabled_providers")
  public EnabledProviders enabledProviders(Caller caller) {
    try {
      return guard.call(
          Guard.Peer.RHSM,
          caller,
          () -> client.enabledProviders(caller.orgId(), caller.requestId()));
    } catch (RhsmNotFound nothingEnabled) {
      // an org that never enabled a provider: it holds nothing
      return new EnabledProviders(List.of());
    } catch (ProcessingException noAnswerOrUnreadable) {
      throw ClientFailures.of("RHSM", noAnswerOrUnreadable);
    }
  }

  /**
   * In shadow mode a change is only logged (reads still happen): the service being replaced makes
   * it. True when the change is to be skipped.
   */
  private boolean wouldChange(Caller caller, String change, Object... what) {
    if (!mode.isShadow()) {
      return false;
    }
    Object[] parameters = new Object[what.length + 2];
    parameters[0] = caller.orgId();
    System.arraycopy(what, 0, parameters, 1, what.length);
    parameters[what.length + 1] = caller.requestId();
    LOG.log(
        Level.INFO,
        "Shadow mode: RHSM not changed; live mode would, for org {0}, "
            + change
            + " (request_id {"
            + (what.length + 1)
            + "})",
        parameters);
    return true;
  }

  /**
   * RHSM's conflict status answering a removal: not a confirmation, and no reason to give it up
   * either (removals count every answer but 2xx and 404 as unconfirmed, and are tried again).
   */
  private static UnexpectedAnswer unconfirmed(RhsmConflict refused) {
    return new UnexpectedAnswer(
        "RHSM answered a removal with its conflict status: " + refused.getMessage());
  }
}
