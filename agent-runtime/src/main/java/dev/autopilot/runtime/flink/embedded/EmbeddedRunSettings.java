package dev.autopilot.runtime.flink.embedded;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of the embedded run ({@code autopilot.flink-embedded} and its {@code run} block, see the
 * module's {@code reference.conf}).
 *
 * @param pipelineId the pipeline id the agents manage (its Flink job is {@link
 *     TaxiTripJob#JOB_NAME})
 * @param rateScale workload scale-down factor
 * @param timeCompression workload seconds per wall-clock second
 * @param startHour hour of the workload's first day the run starts at
 * @param seed workload seed
 * @param tickInterval wall-clock time between two collections
 * @param warmup time before the first fault
 * @param faultSpacing time between two injections
 * @param faults faults in injection order (repeating)
 * @param faultDuration how long a fault stays on
 * @param magnitudes fault magnitudes
 * @param healthyBacklogSeconds healthy backlog bound, seconds of demand
 * @param healthyTicks consecutive healthy ticks that make a recovery
 * @param throughputTarget the SLA's throughput target
 * @param latencyP99Bound the SLA's latency bound
 */
public record EmbeddedRunSettings(
    String pipelineId,
    double rateScale,
    double timeCompression,
    int startHour,
    long seed,
    Duration tickInterval,
    Duration warmup,
    Duration faultSpacing,
    List<EmbeddedFault> faults,
    Duration faultDuration,
    FaultInjector.Magnitudes magnitudes,
    double healthyBacklogSeconds,
    int healthyTicks,
    double throughputTarget,
    Duration latencyP99Bound) {

  /** Config path of the run block. */
  public static final String ROOT = EmbeddedFlinkSettings.ROOT + ".run";

  public EmbeddedRunSettings {
    if (pipelineId == null || pipelineId.isBlank()) {
      throw new IllegalArgumentException(EmbeddedFlinkSettings.ROOT + ".pipeline-id is required");
    }
    if (!(rateScale > 0) || !(timeCompression > 0)) {
      throw new IllegalArgumentException(ROOT + ".rate-scale and time-compression must be > 0");
    }
    if (startHour < 0 || startHour > 23) {
      throw new IllegalArgumentException(ROOT + ".start-hour must be 0-23, was " + startHour);
    }
    for (Duration d : List.of(tickInterval, faultSpacing, faultDuration, latencyP99Bound)) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException(
            ROOT + ": tick-interval, fault-spacing, fault-duration, latency-p99-bound must be > 0");
      }
    }
    if (warmup == null || warmup.isNegative()) {
      throw new IllegalArgumentException(ROOT + ".warmup must be >= 0");
    }
    faults = List.copyOf(faults);
    if (magnitudes.stormEveryNth() < 1
        || magnitudes.slowMicros() < 1
        || magnitudes.stateBytesPerRecord() < 1
        || !(magnitudes.surgeFactor() > 1)) {
      throw new IllegalArgumentException(
          ROOT
              + ": storm-every-nth, slow-micros, state-bytes-per-record must be >= 1 and"
              + " surge-factor > 1");
    }
    if (!(healthyBacklogSeconds >= 0) || healthyTicks < 1 || !(throughputTarget > 0)) {
      throw new IllegalArgumentException(
          ROOT + ": healthy-backlog-seconds >= 0, healthy-ticks >= 1, throughput-target > 0");
    }
  }

  /** Reads the settings. */
  public static EmbeddedRunSettings create(Config root) {
    Config e = root.getConfig(EmbeddedFlinkSettings.ROOT);
    Config c = root.getConfig(ROOT);
    List<EmbeddedFault> faults = new ArrayList<>();
    for (String id : c.getStringList("faults")) {
      faults.add(
          Arrays.stream(EmbeddedFault.values())
              .filter(f -> f.id().equals(id))
              .findFirst()
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          ROOT
                              + ".faults: unknown fault '"
                              + id
                              + "', expected one of "
                              + Arrays.stream(EmbeddedFault.values())
                                  .map(EmbeddedFault::id)
                                  .toList())));
    }
    return new EmbeddedRunSettings(
        e.getString("pipeline-id"),
        c.getDouble("rate-scale"),
        c.getDouble("time-compression"),
        c.getInt("start-hour"),
        c.getLong("seed"),
        c.getDuration("tick-interval"),
        c.getDuration("warmup"),
        c.getDuration("fault-spacing"),
        faults,
        c.getDuration("fault-duration"),
        new FaultInjector.Magnitudes(
            c.getLong("storm-every-nth"),
            c.getLong("slow-micros"),
            c.getLong("state-bytes-per-record"),
            c.getDouble("surge-factor")),
        c.getDouble("healthy-backlog-seconds"),
        c.getInt("healthy-ticks"),
        c.getDouble("throughput-target"),
        c.getDuration("latency-p99-bound"));
  }
}
