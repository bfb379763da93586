package com.redhat.cloudoreg.sources;

import com.redhat.cloudoreg.identity.Tenant;
import com.redhat.cloudoreg.outcome.OwnCredentialsRejected;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import java.util.Optional;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * Sources, as the flow sees it: each read retried on transient failures only, bounded in time, and
 * behind a breaker so an outage fails fast instead of piling up events.
 */
@ApplicationScoped
@Timeout(5000)
@Retry(
    maxRetries = 3,
    delay = 500,
    jitter = 250,
    maxDuration = 30000,
    retryOn = {TransientFailure.class, ProcessingException.class, TimeoutException.class},
    abortOn = {SourcesNotFound.class, OwnCredentialsRejected.class, UnexpectedAnswer.class})
@CircuitBreaker(
    requestVolumeThreshold = 10,
    failureRatio = 0.5,
    delay = 10000,
    skipOn = SourcesNotFound.class)
public class SourcesGateway {
  private final SourcesClient client;

  @Inject
  public SourcesGateway(@RestClient SourcesClient client) {
    this.client = client;
  }

  /** Constructor for CDI's proxy. */
  protected SourcesGateway() {
    this(null);
  }

  public Optional<String> applicationTypeId(String name) {
    return client.applicationTypes(name).data().stream()
        .filter(type -> name.equals(type.name()))
        .map(ApplicationTypes.ApplicationType::id)
        .findFirst();
  }

  public Optional<Application> application(Tenant tenant, long id) {
    try {
      return Optional.of(
          client.application(tenant.orgId(), tenant.accountNumber().orElse(null), id));
    } catch (SourcesNotFound gone) {
      return Optional.empty();
    }
  }

  public Optional<Authentication> authentication(Tenant tenant, long id) {
    try {
      return Optional.of(
          client.authentication(tenant.orgId(), tenant.accountNumber().orElse(null), id));
    } catch (SourcesNotFound gone) {
      return Optional.empty();
    }
  }
}
