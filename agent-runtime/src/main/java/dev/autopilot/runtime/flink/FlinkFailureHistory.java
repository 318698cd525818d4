package dev.autopilot.runtime.flink;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The task failures in a job's failure history ({@code GET /jobs/:jid/exceptions}), as the
 * telemetry counts them. Pure.
 *
 * <p>Flink 1.20 answers {@code {"exceptionHistory": {"entries": [...], "truncated": b}}}, newest
 * first; each entry is a failure that restarted (part of) the job, with the failures that came with
 * it under {@code concurrentExceptions}. Every one, root or concurrent, is one failed task: its
 * {@code exceptionName} (the class of what was thrown), {@code timestamp} (ms), and {@code
 * taskManagerId} (where the task ran, absent for failures outside a task).
 *
 * <p><b>Kinds.</b> The REST API does not say who threw; the class does. Classes of Flink's runtime
 * ({@code org.apache.flink.runtime.*}: network partitions and transports, lost TaskManagers,
 * heartbeats, slot allocation), Flink's generic {@code FlinkException}/{@code
 * FlinkExpectedException} and {@code java.util.concurrent.TimeoutException} are {@link
 * Kind#INFRASTRUCTURE}: the task failed because something under it did (a peer TaskManager died, a
 * connection broke). Class-loading and linkage errors are {@link Kind#CLASSLOADING}; a class whose
 * simple name says it failed to deserialize ({@code *Deserializ*}, {@code EOFException}) is {@link
 * Kind#DESERIALIZATION}, one that failed to serialize ({@code *Serializ*}, Kryo's) {@link
 * Kind#SERIALIZATION}. Everything else was thrown by the job's own code or the libraries it calls,
 * {@link Kind#USER}. So these counts are lower bounds of what the job throws: an exception it
 * catches never reaches this history.
 */
public final class FlinkFailureHistory {

  /** Who a failure is attributed to. */
  public enum Kind {
    /** Thrown by the job's code (or a library it calls). */
    USER,
    /** A class that could not be loaded or linked (a packaging or version problem). */
    CLASSLOADING,
    /** A record or state that could not be read back (corrupt input or state, schema change). */
    DESERIALIZATION,
    /** A record or state that could not be written (an unserializable type, a codec bug). */
    SERIALIZATION,
    /** Flink's runtime or the environment under it (network, lost TaskManager, timeouts). */
    INFRASTRUCTURE
  }

  /**
   * One failed task.
   *
   * @param timestampMillis when it failed
   * @param taskManagerId the TaskManager it ran on, or null
   * @param exceptionName the class of the failure cause
   * @param kind who it is attributed to
   */
  public record Failure(
      long timestampMillis, String taskManagerId, String exceptionName, Kind kind) {}

  private static final Set<String> CLASSLOADING =
      Set.of(
          "java.lang.ClassNotFoundException",
          "java.lang.NoClassDefFoundError",
          "java.lang.LinkageError",
          "java.lang.IncompatibleClassChangeError",
          "java.lang.NoSuchMethodError",
          "java.lang.NoSuchFieldError",
          "java.lang.AbstractMethodError",
          "java.lang.UnsupportedClassVersionError",
          "java.lang.ExceptionInInitializerError");

  private static final Set<String> INFRASTRUCTURE =
      Set.of(
          "org.apache.flink.util.FlinkException",
          "org.apache.flink.util.FlinkExpectedException",
          "java.util.concurrent.TimeoutException");

  private FlinkFailureHistory() {}

  /**
   * The failures of an exceptions answer, roots and concurrent ones, in no particular order.
   * Entries without a numeric timestamp are skipped.
   *
   * @return empty when the answer has no {@code exceptionHistory.entries} list (not a failure
   *     history: the caller marks the derived metrics absent)
   */
  public static Optional<List<Failure>> parse(JsonNode answer) {
    JsonNode entries = answer == null ? null : answer.path("exceptionHistory").path("entries");
    if (entries == null || !entries.isArray()) {
      return Optional.empty();
    }
    List<Failure> out = new ArrayList<>();
    for (JsonNode e : entries) {
      add(out, e);
      JsonNode concurrent = e.path("concurrentExceptions");
      if (concurrent.isArray()) {
        for (JsonNode c : concurrent) {
          add(out, c);
        }
      }
    }
    return Optional.of(List.copyOf(out));
  }

  private static void add(List<Failure> out, JsonNode e) {
    JsonNode ts = e.path("timestamp");
    if (!ts.isNumber()) {
      return;
    }
    String name = e.path("exceptionName").asText("");
    JsonNode tm = e.path("taskManagerId");
    String taskManagerId = tm.isTextual() && !tm.asText().isBlank() ? tm.asText() : null;
    out.add(new Failure(ts.asLong(), taskManagerId, name, classify(name)));
  }

  /** The kind of a failure cause's class name (see the class comment). */
  public static Kind classify(String exceptionName) {
    String name = exceptionName == null ? "" : exceptionName.trim();
    if (CLASSLOADING.contains(name)) {
      return Kind.CLASSLOADING;
    }
    if (name.startsWith("org.apache.flink.runtime.") || INFRASTRUCTURE.contains(name)) {
      return Kind.INFRASTRUCTURE;
    }
    String simple = name.substring(name.lastIndexOf('.') + 1).toLowerCase(java.util.Locale.ROOT);
    if (simple.contains("deserializ") || simple.equals("eofexception")) {
      return Kind.DESERIALIZATION;
    }
    if (simple.contains("serializ") || simple.startsWith("kryo")) {
      return Kind.SERIALIZATION;
    }
    return Kind.USER;
  }
}
