package dev.autopilot.agents.optimization.rl;

import com.typesafe.config.Config;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Settings of the learned optimizer's state encoder and action space, read once from {@code
 * autopilot.optimization.rl} (this module's {@code reference.conf} documents every key and holds
 * every default).
 *
 * @param decisionTicks ticks between two decisions of the policy
 * @param keyOperators the 4 operators whose parallelism the policy sets, in action order
 * @param parallelismDelta largest parallelism residual per key operator
 * @param targetUtilisation utilisation the rate-based required parallelism is sized for
 * @param catchUpSeconds seconds in which a backlog should be caught up
 * @param minBusyRatio busy share under which an operator's rate is not measured
 * @param rateSmoothing EWMA weight of the newest per-subtask rate
 * @param parallelismDeadBand relative parallelism change under which nothing is rescaled
 * @param parallelismDeadBandMin the parallelism dead band in subtasks, at least
 * @param minChangeIntervalSeconds no change within this many seconds after the last one
 * @param scaleDownIntervalSeconds a pure scale-down needs the configuration unchanged this long
 * @param bufferFactorMin buffer factor at action -1
 * @param bufferFactorMax buffer factor at action +1
 * @param bufferStepMb buffer sizes are multiples of this
 * @param checkpointMinSeconds checkpoint interval at action -1
 * @param checkpointMaxSeconds checkpoint interval at action +1
 * @param checkpointStepSeconds checkpoint intervals are multiples of this
 * @param memoryMinGb TaskManager memory at action -1
 * @param memoryMaxGb TaskManager memory at action +1
 * @param memoryStepGb memory sizes are multiples of this
 * @param cpuMin TaskManager cores at action -1
 * @param cpuMax TaskManager cores at action +1
 * @param resourceDeadBand resource actions within this distance of 0 keep the current value
 * @param minParallelism lowest parallelism (admission control's floor)
 * @param maxParallelism highest parallelism (tested range)
 * @param minBufferMb smallest tested network buffer
 * @param maxBufferMb largest tested network buffer
 * @param minTaskManagers fewest TaskManagers
 * @param maxTaskManagers most TaskManagers (tested range)
 */
public record RlSettings(
    int decisionTicks,
    List<String> keyOperators,
    int parallelismDelta,
    double targetUtilisation,
    double catchUpSeconds,
    double minBusyRatio,
    double rateSmoothing,
    double parallelismDeadBand,
    int parallelismDeadBandMin,
    double minChangeIntervalSeconds,
    double scaleDownIntervalSeconds,
    double bufferFactorMin,
    double bufferFactorMax,
    int bufferStepMb,
    int checkpointMinSeconds,
    int checkpointMaxSeconds,
    int checkpointStepSeconds,
    int memoryMinGb,
    int memoryMaxGb,
    int memoryStepGb,
    int cpuMin,
    int cpuMax,
    double resourceDeadBand,
    int minParallelism,
    int maxParallelism,
    int minBufferMb,
    int maxBufferMb,
    int minTaskManagers,
    int maxTaskManagers) {

  /** The action has this many dimensions: 4 parallelism residuals and 4 resources. */
  public static final int KEY_OPERATORS = 4;

  public RlSettings {
    keyOperators = keyOperators == null ? List.of() : List.copyOf(keyOperators);
    require(decisionTicks >= 1, "decision-ticks must be >= 1");
    require(
        keyOperators.size() == KEY_OPERATORS && keyOperators.stream().distinct().count() == 4,
        "key-operators must name 4 distinct operators, got " + keyOperators);
    require(parallelismDelta >= 1, "parallelism-delta must be >= 1");
    require(targetUtilisation > 0 && targetUtilisation < 1, "target-utilisation must be in (0, 1)");
    require(catchUpSeconds > 0, "catch-up-duration must be > 0");
    require(minBusyRatio > 0 && minBusyRatio < 1, "min-busy-ratio must be in (0, 1)");
    require(rateSmoothing > 0 && rateSmoothing <= 1, "rate-smoothing must be in (0, 1]");
    require(
        parallelismDeadBand >= 0 && parallelismDeadBand < 1,
        "parallelism-dead-band must be in [0, 1)");
    require(parallelismDeadBandMin >= 0, "parallelism-dead-band-min must be >= 0");
    require(minChangeIntervalSeconds >= 0, "min-change-interval must be >= 0");
    require(scaleDownIntervalSeconds >= 0, "scale-down-interval must be >= 0");
    require(
        bufferFactorMin > 0 && bufferFactorMin <= 1 && bufferFactorMax >= 1,
        "need 0 < buffer-factor-min <= 1 <= buffer-factor-max");
    require(bufferStepMb >= 1, "buffer-step-mb must be >= 1");
    require(
        checkpointMinSeconds >= 1
            && checkpointMaxSeconds > checkpointMinSeconds
            && checkpointStepSeconds >= 1,
        "need 1 <= checkpoint-interval-min < checkpoint-interval-max and checkpoint-step >= 1");
    require(
        memoryMinGb >= 1 && memoryMaxGb > memoryMinGb && memoryStepGb >= 1,
        "need 1 <= memory-min-gb < memory-max-gb and memory-step-gb >= 1");
    require(cpuMin >= 1 && cpuMax > cpuMin, "need 1 <= cpu-min < cpu-max");
    require(
        resourceDeadBand >= 0 && resourceDeadBand < 1, "resource-dead-band must be in [0, 1)");
    require(
        minParallelism >= 1 && maxParallelism >= minParallelism,
        "need 1 <= tested-ranges.parallelism.min <= max");
    require(
        minBufferMb >= 1 && maxBufferMb >= minBufferMb,
        "need 1 <= tested-ranges.network-buffer-mb.min <= max");
    require(
        minTaskManagers >= 1 && maxTaskManagers >= minTaskManagers,
        "need 1 <= tested-ranges.taskmanagers.min <= max");
  }

  /** Reads {@code autopilot.optimization.rl} from the (root) configuration. */
  public static RlSettings create(Config root) {
    Config c = root.getConfig("autopilot.optimization.rl");
    return new RlSettings(
        c.getInt("decision-ticks"),
        c.getStringList("key-operators"),
        c.getInt("parallelism-delta"),
        c.getDouble("target-utilisation"),
        c.getDuration("catch-up-duration", TimeUnit.MILLISECONDS) / 1000.0,
        c.getDouble("min-busy-ratio"),
        c.getDouble("rate-smoothing"),
        c.getDouble("parallelism-dead-band"),
        c.getInt("parallelism-dead-band-min"),
        c.getDuration("min-change-interval", TimeUnit.MILLISECONDS) / 1000.0,
        c.getDuration("scale-down-interval", TimeUnit.MILLISECONDS) / 1000.0,
        c.getDouble("buffer-factor-min"),
        c.getDouble("buffer-factor-max"),
        c.getInt("buffer-step-mb"),
        (int) c.getDuration("checkpoint-interval-min", TimeUnit.SECONDS),
        (int) c.getDuration("checkpoint-interval-max", TimeUnit.SECONDS),
        (int) c.getDuration("checkpoint-step", TimeUnit.SECONDS),
        c.getInt("memory-min-gb"),
        c.getInt("memory-max-gb"),
        c.getInt("memory-step-gb"),
        c.getInt("cpu-min"),
        c.getInt("cpu-max"),
        c.getDouble("resource-dead-band"),
        c.getInt("tested-ranges.parallelism.min"),
        c.getInt("tested-ranges.parallelism.max"),
        c.getInt("tested-ranges.network-buffer-mb.min"),
        c.getInt("tested-ranges.network-buffer-mb.max"),
        c.getInt("tested-ranges.taskmanagers.min"),
        c.getInt("tested-ranges.taskmanagers.max"));
  }

  /** The defaults of this module's {@code reference.conf}. */
  public static RlSettings defaults() {
    return create(com.typesafe.config.ConfigFactory.defaultReference());
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("autopilot.optimization.rl: " + message);
    }
  }
}
