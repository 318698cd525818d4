package dev.autopilot.agents.prediction.model;

/**
 * Trains a violation forecaster on labelled feature vectors. Blocking and CPU-heavy: call it off
 * any actor's message loop (a dedicated dispatcher or an offline command), one training at a time
 * per process.
 */
public interface ViolationTrainer {

  /**
   * Trains a new model.
   *
   * @param features raw feature vectors of the training rows (the trainer fits the standardization)
   * @param labels whether the SLA was violated within the horizon after each training row
   * @param validationFeatures raw feature vectors for early stopping and threshold calibration
   * @param validationLabels labels of the validation rows
   * @param version the version the new model carries
   * @param seed seed of initial weights and shuffling
   * @return the trained model, with its validation metrics
   * @throws IllegalArgumentException when the rows are empty, of the wrong width, or of one class
   */
  ViolationModel train(
      float[][] features,
      boolean[] labels,
      float[][] validationFeatures,
      boolean[] validationLabels,
      int version,
      long seed);
}
