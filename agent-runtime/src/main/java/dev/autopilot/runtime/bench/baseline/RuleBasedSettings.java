package dev.autopilot.runtime.bench.baseline;

/**
 * Settings of {@link RuleBasedController} ({@code autopilot.bench.rule-based}); durations in ticks.
 *
 * @param scaleUpCpu mean CPU load (0-1) above which a tick counts as hot
 * @param scaleUpTicks consecutive hot ticks before a scale-up
 * @param scaleDownCpu mean CPU load (0-1) below which a tick counts as cold
 * @param scaleDownTicks consecutive cold ticks before a scale-down
 * @param step parallelism added to or removed from every operator per scaling
 * @param minParallelism lowest parallelism after a scale-down
 * @param maxParallelism highest parallelism after a scale-up
 * @param cooldownTicks ticks after a scaling change before the next one
 * @param detectionDelayTicks ticks from a fault's start to its alert
 * @param approvalDelayTicks ticks from the alert to the approved fix
 */
public record RuleBasedSettings(
    double scaleUpCpu,
    long scaleUpTicks,
    double scaleDownCpu,
    long scaleDownTicks,
    int step,
    int minParallelism,
    int maxParallelism,
    long cooldownTicks,
    long detectionDelayTicks,
    long approvalDelayTicks) {

  public RuleBasedSettings {
    if (!(scaleDownCpu >= 0 && scaleDownCpu < scaleUpCpu && scaleUpCpu <= 1)) {
      throw new IllegalArgumentException(
          "need 0 <= scaleDownCpu < scaleUpCpu <= 1, got " + scaleDownCpu + " / " + scaleUpCpu);
    }
    if (scaleUpTicks < 1 || scaleDownTicks < 1) {
      throw new IllegalArgumentException("scale-up/down durations must be >= 1 tick");
    }
    if (step < 1) {
      throw new IllegalArgumentException("step must be >= 1, was " + step);
    }
    if (minParallelism < 1 || maxParallelism < minParallelism) {
      throw new IllegalArgumentException(
          "need 1 <= minParallelism <= maxParallelism, got "
              + minParallelism
              + " / "
              + maxParallelism);
    }
    if (cooldownTicks < 0 || detectionDelayTicks < 0 || approvalDelayTicks < 0) {
      throw new IllegalArgumentException("cooldown, detection and approval delays must be >= 0");
    }
  }
}
