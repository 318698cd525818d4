package dev.autopilot.runtime.train;

import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.runtime.bench.ProgressBar;
import dev.autopilot.runtime.bench.ProgressListener;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * What a {@link TrainingStep} gets.
 *
 * @param seed base seed; steps derive training, validation and test seeds from it, all different
 * @param weeks simulated weeks of telemetry for training
 * @param bundle the bundle being written
 * @param workDir scratch directory for this run (deleted by nobody; under the models directory)
 * @param err where progress bars and notes go
 * @param terminal whether progress bars redraw in place
 */
public record TrainingContext(
    long seed, int weeks, ModelBundle.Writer bundle, Path workDir, PrintWriter err, boolean terminal) {

  /** A progress bar labelled with the step and phase, e.g. {@code detectors: autoencoder}. */
  public ProgressListener progress(String label) {
    return progress(label, "steps");
  }

  /** A progress bar counting a named unit, e.g. {@code incidents} or {@code epochs}. */
  public ProgressListener progress(String label, String unit) {
    return new ProgressBar(err, label, terminal, 200, 10, System::nanoTime, unit);
  }
}
