package dev.autopilot.runtime.flink.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos hook: injects real faults into the embedded cluster and its job, and clears them.
 * Besides the job launcher, the only thing that touches Flink other than over REST.
 *
 * <ul>
 *   <li>{@link EmbeddedFault#TASK_MANAGER_LOST}: {@link EmbeddedFlinkCluster#terminateTaskManager}
 *       on the TaskManager running the job's source (found over REST; the TaskExecutor shuts down:
 *       its tasks fail, its slots are gone); a replacement TaskManager starts {@code
 *       task-manager-replacement-delay} later, as a Kubernetes Deployment restarts a lost pod.
 *   <li>{@link EmbeddedFault#EXCEPTION_STORM}: {@link Chaos} makes {@code parse} throw on one
 *       record in {@code n}, until cleared: every restart fails again within a second.
 *   <li>{@link EmbeddedFault#SLOW_OPERATOR}: {@code enrich} spends extra microseconds per record.
 *   <li>{@link EmbeddedFault#STATE_GROWTH}: {@code enrich} keeps extra bytes of keyed state per
 *       record (heap state: heap use and checkpoint size grow).
 *   <li>{@link EmbeddedFault#CHECKPOINT_STORAGE_FAILURE}: the job's checkpoint directory is moved
 *       aside and a regular file put in its place, so creating {@code chk-<n>} fails (this works as
 *       root too, unlike a permission change); cleared by moving it back.
 *   <li>{@link EmbeddedFault#DEMAND_SURGE}: multiplies the demanded rate.
 * </ul>
 *
 * Thread-safe; one fault of each kind at a time.
 */
public final class FaultInjector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FaultInjector.class);

  /** The operator the exception storm, slowness and state growth hit. */
  public static final String STORM_OPERATOR = "parse";

  /** The operator made slow and grown. */
  public static final String SLOW_OPERATOR = "enrich";

  /**
   * Magnitudes of the faults.
   *
   * @param stormEveryNth the storm throws on one record in this many
   * @param slowMicros extra service time per record of the slow operator
   * @param stateBytesPerRecord extra state per record of the state-growth fault
   * @param surgeFactor demand multiplier of a surge
   */
  public record Magnitudes(
      long stormEveryNth, long slowMicros, long stateBytesPerRecord, double surgeFactor) {}

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private final java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
  private final EmbeddedFlinkCluster cluster;
  private final Magnitudes magnitudes;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "embedded-fault-injector");
            t.setDaemon(true);
            return t;
          });
  private final AtomicReference<Double> surge = new AtomicReference<>(1.0);
  private Path movedCheckpoints;
  private Path checkpointJobDir;

  public FaultInjector(EmbeddedFlinkCluster cluster, Magnitudes magnitudes) {
    this.cluster = cluster;
    this.magnitudes = magnitudes;
  }

  /** The demand multiplier in force (1 unless a surge is on): wrap the workload rate with it. */
  public DoubleUnaryOperator demand() {
    return rate -> rate * surge.get();
  }

  /**
   * Injects a fault.
   *
   * @param fault the fault
   * @param jobId the running job's id (hex), for the checkpoint-storage failure
   * @return a description of what was done
   */
  public synchronized String inject(EmbeddedFault fault, String jobId) {
    return switch (fault) {
      case TASK_MANAGER_LOST -> {
        int index = cluster.terminateTaskManager(sourceTaskManager(jobId));
        long delay = cluster.settings().taskManagerReplacementDelay().toMillis();
        timer.schedule(this::replaceTaskManager, delay, TimeUnit.MILLISECONDS);
        yield "terminated TaskManager #" + index + ", a replacement starts in " + delay + " ms";
      }
      case EXCEPTION_STORM -> {
        Chaos.on(
            STORM_OPERATOR,
            new Chaos.Switch(Chaos.Kind.EXCEPTION_STORM, magnitudes.stormEveryNth()));
        yield STORM_OPERATOR + " throws on 1 record in " + magnitudes.stormEveryNth();
      }
      case SLOW_OPERATOR -> {
        Chaos.on(SLOW_OPERATOR, new Chaos.Switch(Chaos.Kind.SLOW, magnitudes.slowMicros()));
        yield SLOW_OPERATOR + " spends +" + magnitudes.slowMicros() + " us per record";
      }
      case STATE_GROWTH -> {
        Chaos.on(
            SLOW_OPERATOR,
            new Chaos.Switch(Chaos.Kind.STATE_GROWTH, magnitudes.stateBytesPerRecord()));
        yield SLOW_OPERATOR + " keeps +" + magnitudes.stateBytesPerRecord() + " B per record";
      }
      case CHECKPOINT_STORAGE_FAILURE -> breakCheckpointStorage(jobId);
      case DEMAND_SURGE -> {
        surge.set(magnitudes.surgeFactor());
        yield "demand x" + magnitudes.surgeFactor();
      }
    };
  }

  /** Clears a fault (a no-op for a lost TaskManager, whose replacement comes by itself). */
  public synchronized void clear(EmbeddedFault fault) {
    switch (fault) {
      case TASK_MANAGER_LOST -> {}
      case EXCEPTION_STORM -> Chaos.off(STORM_OPERATOR, Chaos.Kind.EXCEPTION_STORM);
      case SLOW_OPERATOR -> Chaos.off(SLOW_OPERATOR, Chaos.Kind.SLOW);
      case STATE_GROWTH -> Chaos.off(SLOW_OPERATOR, Chaos.Kind.STATE_GROWTH);
      case CHECKPOINT_STORAGE_FAILURE -> repairCheckpointStorage();
      case DEMAND_SURGE -> surge.set(1.0);
    }
  }

  /**
   * The resource id of a TaskManager running the job's source (the chaos hook may read REST to pick
   * its victim: a lost TaskManager that runs none of the job's tasks would go unnoticed), or null.
   */
  private String sourceTaskManager(String jobId) {
    if (jobId == null) {
      return null;
    }
    try {
      com.fasterxml.jackson.databind.JsonNode job = rest("/jobs/" + jobId);
      String vertex = job.get("vertices").get(0).get("id").asText();
      com.fasterxml.jackson.databind.JsonNode tms =
          rest("/jobs/" + jobId + "/vertices/" + vertex + "/taskmanagers").get("taskmanagers");
      return tms == null || tms.isEmpty() ? null : tms.get(0).get("taskmanager-id").asText();
    } catch (Exception e) {
      LOG.warn("Cannot find the source's TaskManager: {}", e.toString());
      return null;
    }
  }

  private com.fasterxml.jackson.databind.JsonNode rest(String path) throws Exception {
    java.net.http.HttpResponse<String> r =
        http.send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create(cluster.restUri() + path))
                .timeout(java.time.Duration.ofSeconds(5))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + " on " + path);
    }
    return JSON.readTree(r.body());
  }

  private void replaceTaskManager() {
    try {
      cluster.startTaskManager();
      LOG.info("Replacement TaskManager started ({} live)", cluster.liveTaskManagers());
    } catch (RuntimeException e) {
      LOG.error("Replacement TaskManager did not start", e);
    }
  }

  private String breakCheckpointStorage(String jobId) {
    if (movedCheckpoints != null) {
      return "checkpoint storage already broken";
    }
    Path dir = cluster.settings().checkpointDir().resolve(jobId);
    Path aside = dir.resolveSibling(jobId + ".unavailable");
    try {
      if (Files.exists(dir)) {
        Files.move(dir, aside, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.createDirectories(aside);
      }
      Files.writeString(dir, "checkpoint storage unavailable (injected fault)\n");
      movedCheckpoints = aside;
      checkpointJobDir = dir;
      return "checkpoint directory " + dir + " replaced by a file";
    } catch (IOException e) {
      throw new IllegalStateException("cannot break the checkpoint storage: " + e, e);
    }
  }

  private void repairCheckpointStorage() {
    if (movedCheckpoints == null) {
      return;
    }
    try {
      Files.deleteIfExists(checkpointJobDir);
      Files.move(movedCheckpoints, checkpointJobDir, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot repair the checkpoint storage: " + e, e);
    } finally {
      movedCheckpoints = null;
    }
  }

  @Override
  public synchronized void close() {
    for (EmbeddedFault f : EmbeddedFault.values()) {
      try {
        clear(f);
      } catch (RuntimeException e) {
        LOG.warn("Could not clear {}", f, e);
      }
    }
    timer.shutdownNow();
  }
}
