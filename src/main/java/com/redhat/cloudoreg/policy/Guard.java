package com.redhat.cloudoreg.policy;

import com.redhat.cloudoreg.identity.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.Supplier;

/**
 * Where a peer call meets its peer's breaker: a first attempt goes through it, an item tried again
 * ({@link Caller#redrive()}) goes around it (see {@link Breakers} for why). The peers' retries and
 * time bounds apply to both.
 */
@ApplicationScoped
public class Guard {
  /** The peers with a breaker of their own. */
  public enum Peer {
    SOURCES,
    RHSM,
    STS,
    AZURE
  }

  private final Breakers breakers;

  @Inject
  public Guard(Breakers breakers) {
    this.breakers = breakers;
  }

  protected Guard() {
    this(null);
  }

  /** No breakers at all: for a peer answered from memory (a warm-up), never for a real one. */
  public static Guard none() {
    return new Guard(null) {
      @Override
      public <T> T call(Peer peer, boolean redrive, Supplier<T> call) {
        return call.get();
      }
    };
  }

  public <T> T call(Peer peer, Caller caller, Supplier<T> call) {
    return call(peer, caller.redrive(), call);
  }

  /** As {@link #call(Peer, Caller, Supplier)}, for a call made on no tenant's behalf. */
  public <T> T call(Peer peer, boolean redrive, Supplier<T> call) {
    if (redrive) {
      return call.get();
    }
    return switch (peer) {
      case SOURCES -> breakers.sources(call);
      case RHSM -> breakers.rhsm(call);
      case STS -> breakers.sts(call);
      case AZURE -> breakers.azure(call);
    };
  }

  /** Runs {@code call} through a peer's breaker or around it; nothing returned. */
  public void run(Peer peer, Caller caller, Runnable call) {
    run(peer, caller.redrive(), call);
  }

  /** As {@link #run(Peer, Caller, Runnable)}, for a call made on no tenant's behalf. */
  public void run(Peer peer, boolean redrive, Runnable call) {
    call(
        peer,
        redrive,
        () -> {
          call.run();
          return null;
        });
  }
}
