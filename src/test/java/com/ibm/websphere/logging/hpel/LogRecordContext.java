package com.ibm.websphere.logging.hpel;

import java.util.HashMap;
import java.util.Map;

/**
 * A stand-in for Liberty's class of the same name (not published on Maven Central), with the same
 * static methods {@code OutcomeLog} binds at run time: the fields Liberty's JSON log adds to the
 * records written on this thread. Unit tests see what OutcomeLog adds and whether it takes it back.
 */
public final class LogRecordContext {
  private static final ThreadLocal<Map<String, String>> EXTENSIONS =
      ThreadLocal.withInitial(HashMap::new);

  private LogRecordContext() {}

  public static void addExtension(String key, String value) {
    EXTENSIONS.get().put(key, value);
  }

  public static boolean removeExtension(String key) {
    return EXTENSIONS.get().remove(key) != null;
  }

  /** Copies this thread's fields into {@code into}. */
  public static void getExtensions(Map<String, String> into) {
    into.putAll(EXTENSIONS.get());
  }
}
