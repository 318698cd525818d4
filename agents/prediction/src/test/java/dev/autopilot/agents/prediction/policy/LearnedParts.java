package dev.autopilot.agents.prediction.policy;

import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import dev.autopilot.agents.prediction.model.FeaturePipeline;
import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.LongToDoubleFunction;

/** Test doubles of the learned policy's seams: scripted features, model and forecaster. */
final class LearnedParts {
  private LearnedParts() {}

  /** A feature pipeline whose one feature is the snapshot's tick; records what it saw. */
  static final class TickFeatures implements FeaturePipeline {
    final List<Long> seen = new ArrayList<>();
    private final String schema;

    TickFeatures(String schema) {
      this.schema = schema;
    }

    @Override
    public String schema() {
      return schema;
    }

    @Override
    public int size() {
      return 1;
    }

    @Override
    public float[] observe(TelemetrySnapshot snapshot, SlaSpec sla) {
      seen.add(snapshot.tick());
      return new float[] {snapshot.tick()};
    }

    @Override
    public void reset() {
      seen.clear();
    }
  }

  /** A model whose probability is a function of the tick (the one feature of TickFeatures). */
  record ScriptedModel(int version, String featureSchema, double threshold, LongToDoubleFunction p)
      implements ViolationModel {
    @Override
    public double probability(float[] features) {
      return p.applyAsDouble((long) features[0]);
    }

    @Override
    public Map<String, Double> metrics() {
      return Map.of();
    }
  }

  /** A forecaster with a fixed peak once it has observed {@code ready} ticks. */
  static final class FixedPeak implements DemandForecaster {
    final List<Long> observed = new ArrayList<>();
    private final double peak;
    private final int ready;

    FixedPeak(double peak, int ready) {
      this.peak = peak;
      this.ready = ready;
    }

    @Override
    public void observe(long tick, double demand) {
      observed.add(tick);
    }

    @Override
    public OptionalDouble forecast(int horizonTicks) {
      return peak(horizonTicks);
    }

    @Override
    public OptionalDouble peak(int horizonTicks) {
      return observed.size() < ready ? OptionalDouble.empty() : OptionalDouble.of(peak);
    }
  }
}
