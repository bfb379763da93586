package com.redhat.cloudoreg.outcome;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One log line per outcome. Its fields go into the message as {@code key=value} and, on Liberty,
 * into the JSON log as fields of their own ({@code ext_org_id}, {@code ext_outcome}, ...) through
 * Liberty's {@code LogRecordContext}. That API ships with the runtime but is not published on Maven
 * Central, so it is bound at run time; without it (unit tests) only the message carries the fields.
 * Callers pass no secrets: ids, codes and our own descriptions only.
 */
public final class OutcomeLog {
  private static final Logger LOG = Logger.getLogger("com.redhat.cloudoreg.outcome");
  private static final MethodHandle ADD =
      extension("addExtension", MethodType.methodType(void.class, String.class, String.class));
  private static final MethodHandle REMOVE =
      extension("removeExtension", MethodType.methodType(boolean.class, String.class));

  private OutcomeLog() {}

  public static void write(Level level, Map<String, String> fields) {
    Map<String, String> present = new LinkedHashMap<>();
    fields.forEach(
        (name, value) -> {
          if (value != null) {
            present.put(name, value);
          }
        });
    StringBuilder message = new StringBuilder();
    present.forEach((name, value) -> message.append(name).append('=').append(value).append(' '));
    present.forEach(OutcomeLog::addField);
    try {
      LOG.log(level, message.toString().trim());
    } finally {
      present.keySet().forEach(OutcomeLog::removeField);
    }
  }

  // invokeExact, at the handles' own types: invokeWithArguments adapts its arguments on every call,
  // and this runs twice per field of every outcome (~2 % of the service's CPU samples in a drain)
  private static void addField(String name, String value) {
    if (ADD == null) {
      return;
    }
    try {
      ADD.invokeExact(name, value);
    } catch (Throwable unavailable) {
      // the fields are in the message anyway
    }
  }

  private static void removeField(String name) {
    if (REMOVE == null) {
      return;
    }
    try {
      REMOVE.invokeExact(name);
    } catch (Throwable unavailable) {
      // removeExtension drops a map entry and does not fail; invokeExact declares Throwable
    }
  }

  private static MethodHandle extension(String name, MethodType type) {
    try {
      Class<?> context = Class.forName("com.ibm.websphere.logging.hpel.LogRecordContext");
      // void, whatever the method returns: the call sites above are typed so
      return MethodHandles.dropReturn(MethodHandles.publicLookup().findStatic(context, name, type));
    } catch (ReflectiveOperationException notOnLiberty) {
      return null;
    }
  }
}
