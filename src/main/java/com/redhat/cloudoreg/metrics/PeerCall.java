package com.redhat.cloudoreg.metrics;

import jakarta.enterprise.util.Nonbinding;
import jakarta.interceptor.InterceptorBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A call to a peer, timed into {@code cloudoreg_peer_call_duration_seconds{peer,call}} with its
 * retries ({@link PeerCallTimer}).
 */
@InterceptorBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface PeerCall {
  /** {@code sources}, {@code sts}, {@code azure}, {@code rhsm}. */
  @Nonbinding
  String peer();

  /** What is called, as docs/interfaces.md names it ({@code application}, {@code verify_role}…). */
  @Nonbinding
  String call();
}
