package dev.autopilot.runtime.train;

import java.util.Map;

/**
 * One model (or set of models) trained by {@code autopilot train <family>}. A step generates its
 * data (simulator telemetry, labelled incidents), fits, validates on held-out seeds, and writes its
 * components into the bundle. It runs on the command's thread, never inside an actor.
 */
public interface TrainingStep {

  /** Short name shown on the progress bar, e.g. {@code detectors}. */
  String name();

  /**
   * Trains and writes this step's components.
   *
   * @param ctx seed, weeks, the bundle being written, progress reporting
   * @return the headline validation metrics, printed in the summary
   * @throws Exception any failure; the bundle is then not committed
   */
  Map<String, Object> train(TrainingContext ctx) throws Exception;
}
