package dev.autopilot.api.model;

/** Receives one call per finished training epoch. */
@FunctionalInterface
public interface FitProgress {

  /** Ignores progress. */
  FitProgress NONE = (epoch, epochs, trainLoss, validationLoss) -> {};

  /**
   * @param epoch epochs done so far (1-based)
   * @param epochs the most epochs that will run (early stopping may end sooner)
   * @param trainLoss mean training loss of the epoch
   * @param validationLoss the objective's validation loss on the held-out rows after the epoch
   *     (mean squared error unless the fit says otherwise)
   */
  void onEpoch(int epoch, int epochs, double trainLoss, double validationLoss);
}
