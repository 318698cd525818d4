package dev.autopilot.runtime.bench.scale;

/**
 * One run of {@code bench scale}.
 *
 * @param pipelines simulated pipelines
 * @param nodes cluster nodes (actor systems in this JVM)
 * @param journal {@code h2} or {@code postgres}
 * @param ticks measured ticks
 * @param warmupTicks ticks before the measured ones
 * @param inFlight largest number of snapshots in the loop at once; 0: all pipelines of a tick
 * @param seed seed of the simulated workload and faults
 */
public record ScaleRunSpec(
    int pipelines, int nodes, String journal, int ticks, int warmupTicks, int inFlight, long seed) {

  public ScaleRunSpec {
    if (pipelines < 1) {
      throw new IllegalArgumentException("pipelines must be >= 1, was " + pipelines);
    }
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1, was " + nodes);
    }
    if (!ScaleSettings.JOURNALS.contains(journal)) {
      throw new IllegalArgumentException(
          "journal must be one of " + ScaleSettings.JOURNALS + ", was '" + journal + "'");
    }
    if (ticks < 1) {
      throw new IllegalArgumentException("ticks must be >= 1, was " + ticks);
    }
    if (warmupTicks < 0) {
      throw new IllegalArgumentException("warmup ticks must be >= 0, was " + warmupTicks);
    }
    if (inFlight < 0) {
      throw new IllegalArgumentException("in-flight must be >= 0, was " + inFlight);
    }
  }

  /** The in-flight bound in effect: all pipelines when 0. */
  public int effectiveInFlight() {
    return inFlight == 0 ? pipelines : Math.min(inFlight, pipelines);
  }
}
