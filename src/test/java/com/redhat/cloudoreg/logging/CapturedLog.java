package com.redhat.cloudoreg.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * What a logger (and the loggers under it) wrote while a unit test ran, as records and as the lines
 * an operator reads; attached in a test's set-up, released in its tear-down.
 */
public final class CapturedLog extends Handler {
  private final Logger logger;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();

  private CapturedLog(Logger logger) {
    this.logger = logger;
  }

  /** Starts capturing what {@code name}'s logger writes. */
  public static CapturedLog of(String name) {
    CapturedLog log = new CapturedLog(Logger.getLogger(name));
    log.logger.addHandler(log);
    return log;
  }

  /** Stops capturing. */
  public void release() {
    logger.removeHandler(this);
  }

  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** Each record's message with its parameters in place, as the server's log shows it. */
  public List<String> lines() {
    SimpleFormatter formatter = new SimpleFormatter();
    return records.stream().map(formatter::formatMessage).toList();
  }

  @Override
  public void publish(LogRecord logRecord) {
    records.add(logRecord);
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
