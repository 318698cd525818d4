package dev.autopilot.api.model;

/**
 * What a fit did.
 *
 * @param epochsRun epochs actually run
 * @param bestEpoch epoch whose weights were kept (lowest validation loss, 1-based)
 * @param trainLoss training loss of the best epoch
 * @param validationLoss validation loss of the best epoch (the fit objective's, e.g. mean squared
 *     error in standardized units)
 * @param trainSamples rows used for gradient steps
 * @param validationSamples rows held out
 */
public record FitReport(
    int epochsRun,
    int bestEpoch,
    double trainLoss,
    double validationLoss,
    int trainSamples,
    int validationSamples) {}
