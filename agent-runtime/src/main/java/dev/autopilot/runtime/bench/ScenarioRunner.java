package dev.autopilot.runtime.bench;

/**
 * Runs one controller over a scenario and measures it. The `run` command calls it once per
 * controller, in the order of {@link Scenario#controllers()}.
 *
 * <p>Contract for implementations (the simulator-backed runner):
 *
 * <ul>
 *   <li>The same {@link Scenario} gives every controller the same workload and the same non-cascade
 *       faults (id, mode, pipeline, tick), derived from {@link Scenario#seed()} only; cascades may
 *       differ, since they depend on what the controller did.
 *   <li>The fault schedule injects {@link Scenario#faults()} faults covering at least {@link
 *       Scenario#minFaultKinds()} distinct failure modes.
 *   <li>Everything in the returned {@link ControllerRun} except {@link
 *       ControllerRun#ticksPerSecond()} is a function of the scenario (no wall clock, no unseeded
 *       randomness), so two runs with the same seed write byte-identical deterministic files.
 *   <li>The ground truth (offered load, faults) reaches the baselines only through a {@link
 *       FaultOracle} and the scorer only through the records; the agents never see it.
 *   <li>{@code progress} is called as ticks complete.
 * </ul>
 */
@FunctionalInterface
public interface ScenarioRunner {

  /**
   * Runs {@code controller} over {@code scenario}.
   *
   * @throws Exception when the run cannot complete; `run` reports the message and exits with 1
   */
  ControllerRun run(Scenario scenario, ControllerKind controller, ProgressListener progress)
      throws Exception;

  /**
   * Checks, before any controller runs, that every controller of {@code scenario} can run (for
   * example that a learned policy it needs can be loaded), so that a run of hours does not fail
   * after its first controllers. Does nothing by default.
   *
   * @throws Exception with a clear message when one cannot
   */
  default void preflight(Scenario scenario) throws Exception {}
}
