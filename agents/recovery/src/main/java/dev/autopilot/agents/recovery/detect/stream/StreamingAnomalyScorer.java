package dev.autopilot.agents.recovery.detect.stream;

import dev.autopilot.api.model.ModelRuntime;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a univariate series row by row, streaming: row t's score uses rows {@code <= t} only. Each
 * learnt detector ({@link IsolationForestDetector}, {@link AutoencoderDetector}, {@link
 * LstmDetector}) learns from the series' own past; its raw score is calibrated by an {@link
 * AnomalyLikelihood} into a surprise {@code -log10(tail probability)} and mapped to [0, 1) by
 * {@code s / (s + surpriseScale)} (a tail probability of 1e-5 gives 0.5 with the default scale 5;
 * the map never saturates, so extreme rows stay ranked). The ensemble averages its detectors'
 * scores (each detector weighs at most a third, so no single detector's extreme surprise decides
 * alone) and gives 1 to a range breakout (a value more than {@code breakoutTolerance} of the range
 * seen so far beyond the seen minimum or maximum, as in Numenta's NAB detector).
 *
 * <p>Missing values (NaN, infinite) take the last finite value (0 before any) and are scored like
 * any other row.
 */
public final class StreamingAnomalyScorer {

  private final StreamSettings settings;

  public StreamingAnomalyScorer(StreamSettings settings) {
    this.settings = settings;
  }

  /** The detectors' raw scores (NaN while warming up), one array per detector, for analysis. */
  public double[][] rawScores(double[] values, DetectorKind kind) {
    double[] v = fill(values);
    List<SeriesDetector> detectors = detectors(kind);
    double[][] out = new double[detectors.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = detectors.get(i).rawScores(v);
    }
    return out;
  }

  private List<SeriesDetector> detectors(DetectorKind kind) {
    List<SeriesDetector> detectors = new ArrayList<>();
    switch (kind) {
      case IFOREST -> detectors.add(settings.iforest());
      case AUTOENCODER -> detectors.add(settings.autoencoder());
      case LSTM -> detectors.add(settings.lstm());
      case ENSEMBLE -> {
        detectors.add(settings.iforest());
        detectors.add(settings.autoencoder());
        detectors.add(settings.lstm());
      }
    }
    if (kind != DetectorKind.IFOREST) {
      ModelRuntime.configureOffline();
    }
    return detectors;
  }

  /** Anomaly score in [0, 1] per row. */
  public double[] score(double[] values, DetectorKind kind) {
    return scoreAll(values, kind).get(kind);
  }

  /**
   * Scores of {@code kind} and, for the ensemble, of each of its detectors alone, all from one
   * computation of the raw scores (each detector alone is scored exactly as {@code score(values,
   * IFOREST)} etc. would).
   */
  public Map<DetectorKind, double[]> scoreAll(double[] values, DetectorKind kind) {
    double[] v = fill(values);
    List<SeriesDetector> detectors = detectors(kind);
    Map<DetectorKind, double[]> out = new EnumMap<>(DetectorKind.class);
    double[] e = new double[v.length];
    for (SeriesDetector d : detectors) {
      double[] s = scale(settings.likelihood().surprises(d.rawScores(v)));
      for (int t = 0; t < v.length; t++) {
        e[t] += s[t] / detectors.size();
      }
      out.put(DetectorKind.parse(d.name()), finish(s, settings.suppressRows()));
    }
    if (kind == DetectorKind.ENSEMBLE) {
      if (settings.breakoutTolerance() > 0) {
        boolean[] b = breakouts(v, settings.breakoutTolerance(), settings.breakoutMinRows());
        for (int t = 0; t < v.length; t++) {
          if (b[t]) {
            e[t] = 1.0;
          }
        }
      }
      out.put(DetectorKind.ENSEMBLE, finish(e, settings.suppressRows()));
    }
    return out;
  }

  /** Surprise to [0, 1): {@code s / (s + surpriseScale)}. */
  private double[] scale(double[] surprise) {
    double[] out = new double[surprise.length];
    for (int t = 0; t < out.length; t++) {
      out[t] = surprise[t] / (surprise[t] + settings.surpriseScale());
    }
    return out;
  }

  private static double[] finish(double[] s, int suppressRows) {
    double[] out = suppress(s, suppressRows);
    for (int t = 0; t < out.length; t++) {
      out[t] = Math.min(1.0, Math.max(0.0, out[t]));
    }
    return out;
  }

  /**
   * Reports each anomalous episode once: a row keeps its score only when it is higher than every
   * score of the previous {@code rows} rows, and gets 0 otherwise. Causal.
   */
  static double[] suppress(double[] s, int rows) {
    if (rows <= 0) {
      return s.clone();
    }
    double[] out = new double[s.length];
    java.util.ArrayDeque<Integer> maxQ = new java.util.ArrayDeque<>();
    for (int t = 0; t < s.length; t++) {
      while (!maxQ.isEmpty() && maxQ.peekFirst() < t - rows) {
        maxQ.pollFirst();
      }
      double recent = maxQ.isEmpty() ? Double.NEGATIVE_INFINITY : s[maxQ.peekFirst()];
      out[t] = s[t] > recent ? Math.min(1.0, Math.max(0.0, s[t])) : 0.0;
      while (!maxQ.isEmpty() && s[maxQ.peekLast()] <= s[t]) {
        maxQ.pollLast();
      }
      maxQ.addLast(t);
    }
    return out;
  }

  /** Whether each value lies beyond the range seen before it, widened by the tolerance. */
  static boolean[] breakouts(double[] v, double tolerance, int minRows) {
    boolean[] out = new boolean[v.length];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int t = 0; t < v.length; t++) {
      if (t >= minRows && max > min) {
        double tol = (max - min) * tolerance;
        out[t] = v[t] > max + tol || v[t] < min - tol;
      }
      min = Math.min(min, v[t]);
      max = Math.max(max, v[t]);
    }
    return out;
  }

  static double[] fill(double[] values) {
    double[] v = new double[values.length];
    double last = 0;
    for (int t = 0; t < v.length; t++) {
      if (Double.isFinite(values[t])) {
        last = values[t];
      }
      v[t] = last;
    }
    return v;
  }
}
