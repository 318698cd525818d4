package dev.autopilot.api.model;

/**
 * What a fit did.
 *
 * @param epochsRun epochs actually run
 * @param bestEpoch epoch whose weights were kept (lowest validation loss, 1-based)
 * @param trainLoss training loss of the best epoch
 * @param validationLoss validation mean squared error of the best epoch (standardized units)
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
