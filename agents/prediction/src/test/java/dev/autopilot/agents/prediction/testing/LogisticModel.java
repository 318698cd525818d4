package dev.autopilot.agents.prediction.testing;

import dev.autopilot.agents.prediction.model.ViolationModel;
import java.util.Map;

/**
 * Test double: a logistic regression {@code sigmoid(w·x + b)} over raw features, or a constant
 * probability when the weights are empty.
 */
public final class LogisticModel implements ViolationModel {
  public static final String SCHEMA = "test-busy-v1";

  final int version;
  final float[] weights;
  final double bias;
  final double threshold;
  final String schema;

  public LogisticModel(int version, float[] weights, double bias, double threshold, String schema) {
    this.version = version;
    this.weights = weights.clone();
    this.bias = bias;
    this.threshold = threshold;
    this.schema = schema;
  }

  /** A model that always answers {@code p}. */
  public static LogisticModel constant(int version, double p, double threshold) {
    double logit = Math.log(p / (1 - p));
    return new LogisticModel(version, new float[0], logit, threshold, SCHEMA);
  }

  /** A model that reads feature 0 and alarms above {@code cut}: a step of steepness 50. */
  public static LogisticModel step(int version, double cut) {
    return new LogisticModel(version, new float[] {50f}, -50 * cut, 0.5, SCHEMA);
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public String featureSchema() {
    return schema;
  }

  @Override
  public double threshold() {
    return threshold;
  }

  @Override
  public double probability(float[] features) {
    double z = bias;
    for (int i = 0; i < weights.length; i++) {
      z += weights[i] * features[i];
    }
    return 1 / (1 + Math.exp(-z));
  }

  @Override
  public Map<String, Double> metrics() {
    return Map.of();
  }
}
