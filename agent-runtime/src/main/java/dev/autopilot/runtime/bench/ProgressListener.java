package dev.autopilot.runtime.bench;

/** Told by a {@link ScenarioRunner} how far a run is, in ticks of event time. */
@FunctionalInterface
public interface ProgressListener {

  /**
   * Reports progress; called at most once per tick, with {@code ticksDone} non-decreasing.
   *
   * @param ticksDone ticks completed (every pipeline has closed them)
   * @param totalTicks ticks in the scenario
   */
  void onProgress(long ticksDone, long totalTicks);

  /** A listener that ignores progress. */
  static ProgressListener none() {
    return (done, total) -> {};
  }
}
