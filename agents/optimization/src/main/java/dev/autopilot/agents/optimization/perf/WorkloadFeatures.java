package dev.autopilot.agents.optimization.perf;

/**
 * The workload half of the performance model's input.
 *
 * @param offeredRate events per second offered to the source
 * @param stateGb keyed state the job holds at this rate in steady state, GB (it drives checkpoint
 *     duration and heap pressure; in the simulator it follows from the rate and the operators'
 *     state retention, on a real job it is measured)
 */
public record WorkloadFeatures(double offeredRate, double stateGb) {
  public WorkloadFeatures {
    if (!(offeredRate > 0) || !Double.isFinite(offeredRate)) {
      throw new IllegalArgumentException("offered rate must be > 0, was " + offeredRate);
    }
    if (!(stateGb >= 0) || !Double.isFinite(stateGb)) {
      throw new IllegalArgumentException("state size must be >= 0 GB, was " + stateGb);
    }
  }
}
