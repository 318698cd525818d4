package dev.autopilot.agents.recovery.rca;

import com.typesafe.config.Config;
import java.util.List;

/**
 * Knobs of the graph-aware root-cause ranker, read from {@code autopilot.recovery.rca} (the
 * module's {@code reference.conf} documents each key).
 *
 * @param latencyStatistics latency statistics whose standardized rises are combined (median)
 * @param latencyRelativeNoise period-to-period relative noise of a latency level
 * @param latencyPerRequestCv coefficient of variation of one request's latency (sampling noise of a
 *     mean over n requests is cv / sqrt(n))
 * @param latencyAbsoluteNoise absolute latency noise floor, seconds
 * @param errorRelativeNoise over-dispersion of error counts, relative to the expected count
 * @param requestRelativeNoise period-to-period relative noise of a request count
 * @param anomalyThreshold standardized score at which a symptom is 50 % likely anomalous
 * @param anomalyWidth width of the logistic that maps a score to an anomaly probability
 * @param ancestorWeight weight of each explained anomalous ancestor in a candidate's score
 * @param explainRatio a callee explains its caller fully when its rise (natural units) is at least
 *     this fraction of the caller's
 * @param newNodePenalty score factor of a service that had no traffic before the fault
 * @param otherKindWeight weight of a symptom kind other than the alarm's
 * @param requestWeight weight of the request-flood symptom (0 disables it)
 * @param supportFloor smallest path probability followed when collecting explained ancestors
 * @param calibrationMinWindows fewest baseline windows for a per-service noise calibration
 * @param calibrationMaxWindows most baseline windows scanned per service
 */
public record RcaSettings(
    List<String> latencyStatistics,
    double latencyRelativeNoise,
    double latencyPerRequestCv,
    double latencyAbsoluteNoise,
    double errorRelativeNoise,
    double requestRelativeNoise,
    double anomalyThreshold,
    double anomalyWidth,
    double ancestorWeight,
    double explainRatio,
    double newNodePenalty,
    double otherKindWeight,
    double requestWeight,
    double supportFloor,
    int calibrationMinWindows,
    int calibrationMaxWindows) {

  public RcaSettings {
    latencyStatistics = List.copyOf(latencyStatistics);
    if (!(anomalyWidth > 0)) {
      throw new IllegalArgumentException("anomaly-width must be > 0, got " + anomalyWidth);
    }
    if (!(explainRatio >= 0)) {
      throw new IllegalArgumentException("explain-ratio must be >= 0, got " + explainRatio);
    }
  }

  /** Reads {@code autopilot.recovery.rca} from a full configuration. */
  public static RcaSettings create(Config root) {
    Config c = root.getConfig("autopilot.recovery.rca");
    return new RcaSettings(
        c.getStringList("latency-statistics"),
        c.getDouble("latency-relative-noise"),
        c.getDouble("latency-per-request-cv"),
        c.getDouble("latency-absolute-noise"),
        c.getDouble("error-relative-noise"),
        c.getDouble("request-relative-noise"),
        c.getDouble("anomaly-threshold"),
        c.getDouble("anomaly-width"),
        c.getDouble("ancestor-weight"),
        c.getDouble("explain-ratio"),
        c.getDouble("new-node-penalty"),
        c.getDouble("other-kind-weight"),
        c.getDouble("request-weight"),
        c.getDouble("support-floor"),
        c.getInt("calibration-min-windows"),
        c.getInt("calibration-max-windows"));
  }

  /** A copy with the ranking knobs replaced (used by parameter sweeps). */
  public RcaSettings withRanking(
      double threshold, double width, double ancestorWeight, double explainRatio) {
    return new RcaSettings(
        latencyStatistics,
        latencyRelativeNoise,
        latencyPerRequestCv,
        latencyAbsoluteNoise,
        errorRelativeNoise,
        requestRelativeNoise,
        threshold,
        width,
        ancestorWeight,
        explainRatio,
        newNodePenalty,
        otherKindWeight,
        requestWeight,
        supportFloor,
        calibrationMinWindows,
        calibrationMaxWindows);
  }
}
