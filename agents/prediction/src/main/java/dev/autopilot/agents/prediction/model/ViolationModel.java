package dev.autopilot.agents.prediction.model;

import java.util.Map;

/**
 * A trained SLA-violation forecaster: the probability that the pipeline's SLA is violated at some
 * tick in the next horizon (30 ticks, 5 minutes). Pure and in memory once loaded; not thread-safe
 * (it may reuse buffers), so each owner keeps its own instance.
 */
public interface ViolationModel {

  /** The model's version; promotions journal it. */
  int version();

  /** The {@link FeaturePipeline#schema()} the model was trained on. */
  String featureSchema();

  /** Decision threshold on {@link #probability}, calibrated on validation data. */
  double threshold();

  /** Probability in [0, 1] of a violation within the horizon, from a raw feature vector. */
  double probability(float[] features);

  /** Metrics recorded when the model was evaluated (accuracy, precision, recall, f1, fpr, auc...). */
  Map<String, Double> metrics();
}
