package com.redhat.cloudoreg.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.redhat.cloudoreg.outcome.TransientFailure;
import com.redhat.cloudoreg.outcome.UnexpectedAnswer;
import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.ws.rs.ProcessingException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class ClientFailuresTest {
  @Test
  void noAnswerIsAnOutageTriedAgain() {
    assertThat(
            ClientFailures.of(
                "Sources",
                new ProcessingException(
                    "RESTEASY004655: Unable to invoke request",
                    new ConnectException("Connection refused"))))
        .isInstanceOf(TransientFailure.class)
        .hasMessage("Sources unreachable: ConnectException: Connection refused");
  }

  @Test
  void aBodyCutOffWhileReadIsAnOutageThoughJsonReportedIt() {
    // JSON-P wraps the transport's failure while it parses: the answer never came whole
    assertThat(
            ClientFailures.of(
                "RHSM",
                new ProcessingException(
                    new JsonbException(
                        "deserialization error",
                        new JsonException(
                            "I/O error while parsing JSON",
                            new SocketTimeoutException("Read timed out"))))))
        .isInstanceOf(TransientFailure.class)
        .hasMessage("RHSM unreachable: SocketTimeoutException: Read timed out");
  }

  @Test
  void aBodyThatDoesNotReadIsUnexpectedAndNamesNoneOfItsContent() {
    var failure =
        ClientFailures.of(
            "Sources",
            new ProcessingException(
                "RESTEASY008200: JSON Binding deserialization error: arn:aws:iam::1:role/x",
                new JsonbException("Unexpected value 'external-id-secret'")));

    assertThat(failure)
        .isInstanceOf(UnexpectedAnswer.class)
        .hasMessage(
            "Sources answered what its contract does not allow: a body we cannot read"
                + " (ProcessingException < JsonbException)")
        .as("its causes quote the body: not kept, so that no log prints them")
        .hasNoCause();
  }

  @Test
  void aBodyInACharsetItDoesNotDeclareIsUnexpectedThoughReportedAsIo() {
    assertThat(
            ClientFailures.of(
                "RHSM", new ProcessingException(new java.nio.charset.MalformedInputException(3))))
        .isInstanceOf(UnexpectedAnswer.class);
  }

  @Test
  void aSelfCausedChainEnds() {
    IOException io = new IOException("reset");
    ProcessingException loop = new ProcessingException(io);
    io.initCause(loop);
    assertThat(ClientFailures.of("Azure Resource Manager", loop))
        .isInstanceOf(TransientFailure.class);
  }
}
