package dev.autopilot.agents.recovery.detect.stream;

import dev.autopilot.api.model.TrainOptions;

/**
 * Settings of {@link StreamingAnomalyScorer}, the same for every series.
 *
 * @param schedule when the learnt detectors refit on the recent past
 * @param iforestWindow values per isolation-forest row
 * @param iforestTrees trees per forest
 * @param iforestSubsample rows per tree
 * @param aeWindow values per autoencoder row
 * @param aeOptions autoencoder training
 * @param lstmStride rows between two LSTM forecasts
 * @param lstmTrainStride steps between LSTM training windows
 * @param lstmOptions LSTM training
 * @param likelihood calibration of each detector's raw score
 * @param breakoutTolerance share of the seen range beyond which a value is a range breakout (0
 *     disables the breakout)
 * @param breakoutMinRows rows seen before a breakout can fire
 * @param surpriseScale surprise (-log10 of the tail probability) that maps to score 0.5
 * @param suppressRows rows after a score during which only a higher score is reported
 * @param seed seed of every fit
 */
public record StreamSettings(
    RefitSchedule schedule,
    int iforestWindow,
    int iforestTrees,
    int iforestSubsample,
    int aeWindow,
    TrainOptions aeOptions,
    int lstmStride,
    int lstmTrainStride,
    TrainOptions lstmOptions,
    AnomalyLikelihood likelihood,
    double breakoutTolerance,
    int breakoutMinRows,
    double surpriseScale,
    int suppressRows,
    long seed) {

  /** The defaults used for every NAB file. */
  public static StreamSettings defaults() {
    long seed = 42;
    return new StreamSettings(
        new RefitSchedule(128, 2048),
        8,
        100,
        256,
        16,
        new TrainOptions(15, 64, seed, 0.2, 3, 1e-3f),
        10,
        4,
        new TrainOptions(6, 64, seed, 0.2, 2, 2e-3f),
        new AnomalyLikelihood(1, 8640, 32, 100, 0.03, Math.sqrt(0.0003)),
        0.05,
        32,
        5.0,
        0,
        seed);
  }

  /** The same settings with another seed for every fit. */
  public StreamSettings withSeed(long newSeed) {
    return new StreamSettings(
        schedule,
        iforestWindow,
        iforestTrees,
        iforestSubsample,
        aeWindow,
        new TrainOptions(
            aeOptions.epochs(),
            aeOptions.batchSize(),
            newSeed,
            aeOptions.validationFraction(),
            aeOptions.patience(),
            aeOptions.learningRate()),
        lstmStride,
        lstmTrainStride,
        new TrainOptions(
            lstmOptions.epochs(),
            lstmOptions.batchSize(),
            newSeed,
            lstmOptions.validationFraction(),
            lstmOptions.patience(),
            lstmOptions.learningRate()),
        likelihood,
        breakoutTolerance,
        breakoutMinRows,
        surpriseScale,
        suppressRows,
        newSeed);
  }

  IsolationForestDetector iforest() {
    return new IsolationForestDetector(
        iforestWindow, iforestTrees, iforestSubsample, schedule, seed);
  }

  AutoencoderDetector autoencoder() {
    return new AutoencoderDetector(aeWindow, aeOptions, schedule);
  }

  LstmDetector lstm() {
    return new LstmDetector(lstmStride, lstmTrainStride, lstmOptions, schedule);
  }
}
