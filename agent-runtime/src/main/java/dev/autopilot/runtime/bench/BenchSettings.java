package dev.autopilot.runtime.bench;

import com.typesafe.config.Config;
import dev.autopilot.runtime.bench.baseline.RuleBasedSettings;
import dev.autopilot.runtime.bench.baseline.StaticSettings;
import dev.autopilot.runtime.bench.baseline.fko.FkoSettings;
import java.time.Duration;

/**
 * Settings of the benchmark harness, read once from {@code autopilot.bench} ({@code bench.conf}).
 * Durations are converted to ticks here, so the baselines work in event time only.
 *
 * @param tickSeconds event time per tick, seconds
 * @param minFaultKinds distinct failure modes a full fault schedule covers
 * @param maxPointsPerSeries bound on the points of one chart series in the report
 * @param progressRedrawMillis shortest interval between two redraws of the terminal progress bar
 * @param progressPlainLinePercent progress step between two plain lines without a terminal
 * @param staticController the static baseline
 * @param ruleBased the rule-based baseline (its alert-and-approve recovery is also that of ds2 and
 *     fko)
 * @param fko the FKO autoscaler baseline's library options
 */
public record BenchSettings(
    int tickSeconds,
    int minFaultKinds,
    int maxPointsPerSeries,
    long progressRedrawMillis,
    int progressPlainLinePercent,
    StaticSettings staticController,
    RuleBasedSettings ruleBased,
    FkoSettings fko) {

  /** Config path of the harness. */
  public static final String ROOT = "autopilot.bench";

  public BenchSettings {
    if (tickSeconds < 1) {
      throw new IllegalArgumentException("tick-seconds must be >= 1, was " + tickSeconds);
    }
    if (minFaultKinds < 1) {
      throw new IllegalArgumentException("min-fault-kinds must be >= 1, was " + minFaultKinds);
    }
    if (maxPointsPerSeries < 4) {
      throw new IllegalArgumentException(
          "max-points-per-series must be >= 4, was " + maxPointsPerSeries);
    }
    if (progressPlainLinePercent < 1 || progressPlainLinePercent > 100) {
      throw new IllegalArgumentException(
          "plain-line-every-percent must be in 1..100, was " + progressPlainLinePercent);
    }
  }

  /** Reads {@code autopilot.bench} from a config that contains it. */
  public static BenchSettings create(Config root) {
    Config c = root.getConfig(ROOT);
    int tickSeconds = c.getInt("tick-seconds");
    Config rb = c.getConfig("rule-based");
    return new BenchSettings(
        tickSeconds,
        c.getInt("run.min-fault-kinds"),
        c.getInt("report.max-points-per-series"),
        c.getDuration("progress.redraw-interval").toMillis(),
        c.getInt("progress.plain-line-every-percent"),
        new StaticSettings(ticks(c.getDuration("static.human-fix-delay"), tickSeconds)),
        new RuleBasedSettings(
            rb.getDouble("scale-up-cpu"),
            ticks(rb.getDuration("scale-up-after"), tickSeconds),
            rb.getDouble("scale-down-cpu"),
            ticks(rb.getDuration("scale-down-after"), tickSeconds),
            rb.getInt("step"),
            rb.getInt("min-parallelism"),
            rb.getInt("max-parallelism"),
            ticks(rb.getDuration("cooldown"), tickSeconds),
            ticks(rb.getDuration("detection-delay"), tickSeconds),
            ticks(rb.getDuration("approval-delay"), tickSeconds)),
        FkoSettings.create(c));
  }

  /** A duration in whole ticks, rounded up (12.5 minutes at 10 s per tick is 75 ticks). */
  public static long ticks(Duration d, int tickSeconds) {
    long tickMillis = tickSeconds * 1000L;
    return (d.toMillis() + tickMillis - 1) / tickMillis;
  }
}
