package dev.autopilot.runtime.flink.embedded;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of the embedded real Flink ({@code autopilot.flink-embedded}, see the module's {@code
 * reference.conf}), with the run's checkpoint directory.
 *
 * @param taskManagers TaskManagers the MiniCluster starts with
 * @param maxTaskManagers the most TaskManagers the job launcher provisions on request
 * @param slotsPerTaskManager task slots per TaskManager
 * @param maxParallelism max parallelism of every operator (key groups; the rescale ceiling)
 * @param partitions partitions of the demand topic; the source's parallelism ceiling
 * @param initialParallelism parallelism every operator starts with
 * @param checkpointInterval checkpoint interval the job starts with
 * @param checkpointTimeout a checkpoint taking longer fails
 * @param tolerableCheckpointFailures consecutive checkpoint failures before the job fails over
 * @param restartDelay Flink's fixed restart delay after a task failure
 * @param enrichLookupMicros service time of the enrich operator's external lookup per record
 * @param zoneWindow length of window-agg's tumbling windows
 * @param sessionGap gap closing a session-agg session
 * @param taskManagerReplacementDelay how long after a TaskManager is lost a replacement starts (the
 *     pod a Kubernetes Deployment would restart)
 * @param checkpointDir where checkpoints go
 */
public record EmbeddedFlinkSettings(
    int taskManagers,
    int maxTaskManagers,
    int slotsPerTaskManager,
    int maxParallelism,
    int partitions,
    int initialParallelism,
    Duration checkpointInterval,
    Duration checkpointTimeout,
    int tolerableCheckpointFailures,
    Duration restartDelay,
    long enrichLookupMicros,
    Duration zoneWindow,
    Duration sessionGap,
    Duration taskManagerReplacementDelay,
    Path checkpointDir) {

  /** Config path of the settings. */
  public static final String ROOT = "autopilot.flink-embedded";

  public EmbeddedFlinkSettings {
    atLeast("task-managers", taskManagers, 1);
    atLeast("slots-per-task-manager", slotsPerTaskManager, 1);
    atLeast("max-task-managers", maxTaskManagers, taskManagers);
    atLeast("max-parallelism", maxParallelism, 1);
    atLeast("partitions", partitions, 1);
    atLeast("initial-parallelism", initialParallelism, 1);
    atLeast("tolerable-checkpoint-failures", tolerableCheckpointFailures, 0);
    if (initialParallelism > Math.min(maxParallelism, partitions)) {
      throw new IllegalArgumentException(
          ROOT
              + ".initial-parallelism ("
              + initialParallelism
              + ") must not exceed max-parallelism and partitions");
    }
    if (initialParallelism > taskManagers * slotsPerTaskManager) {
      throw new IllegalArgumentException(
          ROOT + ".initial-parallelism (" + initialParallelism + ") needs more slots than offered");
    }
    positive("checkpoint-interval", checkpointInterval);
    if (checkpointInterval.toMillis() % 1000 != 0) {
      throw new IllegalArgumentException(
          ROOT + ".checkpoint-interval must be whole seconds, was " + checkpointInterval);
    }
    positive("checkpoint-timeout", checkpointTimeout);
    positive("restart-delay", restartDelay);
    positive("zone-window", zoneWindow);
    positive("session-gap", sessionGap);
    if (taskManagerReplacementDelay == null || taskManagerReplacementDelay.isNegative()) {
      throw new IllegalArgumentException(ROOT + ".task-manager-replacement-delay must be >= 0");
    }
    if (enrichLookupMicros < 0) {
      throw new IllegalArgumentException(ROOT + ".enrich-lookup-micros must be >= 0");
    }
    if (checkpointDir == null) {
      throw new IllegalArgumentException("the checkpoint directory is required");
    }
  }

  /** Reads {@code autopilot.flink-embedded}; checkpoints go to {@code checkpointDir}. */
  public static EmbeddedFlinkSettings create(Config root, Path checkpointDir) {
    Config c = root.getConfig(ROOT);
    return new EmbeddedFlinkSettings(
        c.getInt("task-managers"),
        c.getInt("max-task-managers"),
        c.getInt("slots-per-task-manager"),
        c.getInt("max-parallelism"),
        c.getInt("partitions"),
        c.getInt("initial-parallelism"),
        c.getDuration("checkpoint-interval"),
        c.getDuration("checkpoint-timeout"),
        c.getInt("tolerable-checkpoint-failures"),
        c.getDuration("restart-delay"),
        c.getLong("enrich-lookup-micros"),
        c.getDuration("zone-window"),
        c.getDuration("session-gap"),
        c.getDuration("task-manager-replacement-delay"),
        checkpointDir.toAbsolutePath());
  }

  /** Slots the cluster offers at full strength. */
  public int slots() {
    return taskManagers * slotsPerTaskManager;
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(
          ROOT + "." + key + " must be >= " + min + ", was " + value);
    }
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(ROOT + "." + key + " must be > 0, was " + d);
    }
  }
}
