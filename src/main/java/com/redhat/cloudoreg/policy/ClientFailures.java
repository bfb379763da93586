package com.redhat.cloudoreg.policy;

import com.redhat.cloudoreg.outcome.PeerFailure;
import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What a REST client's {@link ProcessingException} says of its peer. RESTEasy throws it both when
 * no answer came (a connection refused or reset, TLS, a read timed out, a body cut off: an {@link
 * IOException} among its causes) and when an answer came that does not read as the type the peer's
 * contract gives it (JSON-B's or JSON-P's failure, no I/O in it). The first is an outage, tried
 * again. The second is an answer outside the contract that the same call will not mend: unexpected,
 * to be investigated, never reported as "unreachable".
 */
public final class ClientFailures {
  private ClientFailures() {}

  public static PeerFailure of(String peer, ProcessingException failure) {
    List<Throwable> causes = causes(failure);
    return causes.stream()
        // a body in a charset it does not declare is an answer, not a failure to get one
        .filter(
            cause -> cause instanceof IOException && !(cause instanceof CharacterCodingException))
        .findFirst()
        .<PeerFailure>map(
            io ->
                // the I/O failure alone as its cause: a parser's failure around it may quote what
                // was read
                new TransientFailure(
                    peer
                        + " unreachable: "
                        + io.getClass().getSimpleName()
                        + ": "
                        + io.getMessage(),
                    io))
        .orElseGet(
            () ->
                // the causes' names only, and not the causes themselves: their messages may quote
                // the body, which can hold a grant or a secret, and a log of the failure with its
                // causes would print them
                new UnexpectedAnswer(
                    peer
                        + " answered what its contract does not allow: a body we cannot read ("
                        + causes.stream()
                            .map(cause -> cause.getClass().getSimpleName())
                            .collect(Collectors.joining(" < "))
                        + ")"));
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> causes = new ArrayList<>();
    for (Throwable cause = failure;
        cause != null && !causes.contains(cause);
        cause = cause.getCause()) {
      causes.add(cause);
    }
    return causes;
  }
}
