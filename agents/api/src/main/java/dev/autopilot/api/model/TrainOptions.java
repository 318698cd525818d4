package dev.autopilot.api.model;

/**
 * How a network is fitted.
 *
 * @param epochs most epochs
 * @param batchSize rows per gradient step
 * @param seed seed of the engine's random generator (initial weights) and of the shuffling
 * @param validationFraction share of the rows held out for validation and early stopping (0-0.5)
 * @param patience epochs without a better validation loss before stopping
 * @param learningRate Adam learning rate
 */
public record TrainOptions(
    int epochs,
    int batchSize,
    long seed,
    double validationFraction,
    int patience,
    float learningRate) {

  public TrainOptions {
    if (epochs < 1 || batchSize < 1 || patience < 1) {
      throw new IllegalArgumentException(
          "epochs, batchSize and patience must be >= 1: "
              + epochs
              + ", "
              + batchSize
              + ", "
              + patience);
    }
    if (!(validationFraction > 0 && validationFraction <= 0.5)) {
      throw new IllegalArgumentException(
          "validationFraction must be in (0, 0.5]: " + validationFraction);
    }
    if (!(learningRate > 0)) {
      throw new IllegalArgumentException("learningRate must be > 0: " + learningRate);
    }
  }

  /** 20 % validation, patience 5, learning rate 1e-3. */
  public static TrainOptions of(int epochs, int batchSize, long seed) {
    return new TrainOptions(epochs, batchSize, seed, 0.2, 5, 1e-3f);
  }
}
