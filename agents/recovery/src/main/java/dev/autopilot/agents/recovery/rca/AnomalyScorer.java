package dev.autopilot.agents.recovery.rca;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores how anomalous each service is after the fault began, against its own samples before the
 * fault, with noise models that need no history:
 *
 * <ul>
 *   <li>latency: rise of each statistic over its pre-fault level, divided by {@code level *
 *       sqrt(cv^2 / n + r^2) + floor} (sampling noise of a mean of n requests plus period-to-period
 *       noise); the median over statistics;
 *   <li>availability: excess failed requests over the pre-fault error rate {@code p0}, divided by
 *       {@code sqrt(n p0 (1 - p0) + (r n p0)^2 + 1)} (binomial plus over-dispersion);
 *   <li>requests: rise over the pre-fault count, divided by {@code sqrt(c + 1 + (r c)^2)}.
 * </ul>
 *
 * Each kind's score is the largest over the post-fault samples. When issue-free history of the
 * service is given, the same statistic is computed over sliding windows of it and the score is
 * re-standardized by that null distribution (median and robust spread, spread at least 1), so a
 * service that is always noisy is not mistaken for a faulty one.
 *
 * <p>Calibrations are memoized per history series and window shape (a history is scanned once
 * however many incidents use it), so an instance is not thread-safe.
 */
public final class AnomalyScorer {

  private final RcaSettings settings;
  private final Map<NodeSeries, Map<String, Map<SymptomKind, double[]>>> calibrations =
      new IdentityHashMap<>();

  public AnomalyScorer(RcaSettings settings) {
    this.settings = settings;
  }

  /**
   * Scores every service of the window.
   *
   * @param window the incident window
   * @param baseline issue-free history per service (may be empty or miss services)
   */
  public Map<String, NodeAnomaly> score(IncidentWindow window, Map<String, NodeSeries> baseline) {
    boolean[] pre = window.preFault();
    Map<String, NodeAnomaly> out = new LinkedHashMap<>();
    window
        .series()
        .forEach(
            (node, s) -> {
              if (s.length() == 0) {
                out.put(node, NodeAnomaly.NONE);
                return;
              }
              Map<SymptomKind, Double> raw = maxima(s, pre);
              NodeSeries b = baseline.get(node);
              if (b != null) {
                Map<SymptomKind, double[]> nulls =
                    calibrations
                        .computeIfAbsent(b, x -> new HashMap<>())
                        .computeIfAbsent(Arrays.toString(pre), x -> calibration(b, pre));
                for (Map.Entry<SymptomKind, double[]> e : nulls.entrySet()) {
                  Double v = raw.get(e.getKey());
                  if (v != null) {
                    double center = Math.max(0, e.getValue()[0]);
                    raw.put(e.getKey(), (v - center) / e.getValue()[1]);
                  }
                }
              }
              double preReq =
                  s.requests() == null ? 0 : Stats.mean(Stats.select(s.requests(), pre, true));
              out.put(
                  node,
                  new NodeAnomaly(raw, magnitudes(s, pre), Double.isNaN(preReq) ? 0 : preReq));
            });
    return out;
  }

  /** Largest post-fault score per kind (kinds the service cannot report are absent). */
  Map<SymptomKind, Double> maxima(NodeSeries s, boolean[] pre) {
    Map<SymptomKind, Double> out = new EnumMap<>(SymptomKind.class);
    perSample(s, pre)
        .forEach(
            (k, z) -> {
              double m = Stats.max(z);
              out.put(k, Double.isNaN(m) ? 0.0 : m);
            });
    return out;
  }

  /** Per post-fault sample scores of each kind. */
  Map<SymptomKind, double[]> perSample(NodeSeries s, boolean[] pre) {
    int n = s.length();
    double[] req = new double[n];
    if (s.requests() != null) {
      for (int i = 0; i < n; i++) {
        req[i] = Double.isNaN(s.requests()[i]) ? 0 : s.requests()[i];
      }
    }
    double[] postReq = Stats.select(req, pre, false);
    Map<SymptomKind, double[]> out = new EnumMap<>(SymptomKind.class);
    if (s.requests() != null && !allNaN(s.requests())) {
      double ref = Stats.mean(Stats.select(req, pre, true));
      double sd = Math.sqrt(ref + 1 + sq(settings.requestRelativeNoise() * ref));
      double[] z = new double[postReq.length];
      for (int i = 0; i < z.length; i++) {
        z[i] = (postReq[i] - ref) / sd;
      }
      out.put(SymptomKind.REQUESTS, z);
    }
    List<double[]> lat = new ArrayList<>();
    for (String stat : settings.latencyStatistics()) {
      double[] v = s.latency().get(stat);
      if (v == null) {
        continue;
      }
      double ref = Stats.mean(Stats.select(v, pre, true));
      if (Double.isNaN(ref)) {
        continue;
      }
      double[] post = Stats.select(v, pre, false);
      double[] z = new double[post.length];
      for (int i = 0; i < z.length; i++) {
        double sd =
            ref
                    * Math.sqrt(
                        sq(settings.latencyPerRequestCv()) / Math.max(postReq[i], 1)
                            + sq(settings.latencyRelativeNoise()))
                + settings.latencyAbsoluteNoise();
        z[i] = (post[i] - ref) / sd;
      }
      lat.add(z);
    }
    if (!lat.isEmpty()) {
      double[] z = new double[postReq.length];
      double[] col = new double[lat.size()];
      for (int i = 0; i < z.length; i++) {
        for (int j = 0; j < col.length; j++) {
          col[j] = lat.get(j)[i];
        }
        z[i] = Stats.median(col);
      }
      out.put(SymptomKind.LATENCY, z);
    }
    if (s.availability() != null) {
      double[] err = errors(s.availability(), req);
      double p0 =
          Math.min(
              0.999,
              (sum(Stats.select(err, pre, true)) + 0.5) / (sum(Stats.select(req, pre, true)) + 1));
      double[] postErr = Stats.select(err, pre, false);
      double[] z = new double[postErr.length];
      for (int i = 0; i < z.length; i++) {
        double nq = postReq[i];
        double sd = Math.sqrt(nq * p0 * (1 - p0) + sq(settings.errorRelativeNoise() * nq * p0) + 1);
        z[i] = (postErr[i] - nq * p0) / sd;
      }
      out.put(SymptomKind.AVAILABILITY, z);
    }
    return out;
  }

  /** Rise in natural units: latency seconds (Average), excess failed requests, extra requests. */
  Map<SymptomKind, Double> magnitudes(NodeSeries s, boolean[] pre) {
    Map<SymptomKind, Double> out = new EnumMap<>(SymptomKind.class);
    double[] avg = s.latency().get("Average");
    if (avg != null) {
      double before = Stats.mean(Stats.select(avg, pre, true));
      double after = Stats.max(Stats.select(avg, pre, false));
      if (!Double.isNaN(before) && !Double.isNaN(after)) {
        out.put(SymptomKind.LATENCY, after - before);
      }
    }
    if (s.requests() != null) {
      double[] req = new double[s.length()];
      for (int i = 0; i < req.length; i++) {
        req[i] = Double.isNaN(s.requests()[i]) ? 0 : s.requests()[i];
      }
      out.put(
          SymptomKind.REQUESTS,
          Stats.max(Stats.select(req, pre, false)) - Stats.mean(Stats.select(req, pre, true)));
      if (s.availability() != null) {
        double[] err = errors(s.availability(), req);
        out.put(
            SymptomKind.AVAILABILITY,
            Stats.max(Stats.select(err, pre, false)) - Stats.mean(Stats.select(err, pre, true)));
      }
    }
    return out;
  }

  /**
   * Null distribution of each kind's score over issue-free history: {median, spread} per kind, or
   * nothing for a kind with fewer than the minimum windows.
   */
  Map<SymptomKind, double[]> calibration(NodeSeries history, boolean[] pre) {
    int t = pre.length;
    int n = history.length();
    Map<SymptomKind, double[]> out = new EnumMap<>(SymptomKind.class);
    if (n - t < settings.calibrationMinWindows()) {
      return out;
    }
    int step = Math.max(1, (n - t) / settings.calibrationMaxWindows());
    Map<SymptomKind, List<Double>> seen = new EnumMap<>(SymptomKind.class);
    for (int start = 0; start < n - t; start += step) {
      maxima(history.slice(start, start + t), pre)
          .forEach((k, v) -> seen.computeIfAbsent(k, x -> new ArrayList<>()).add(v));
    }
    seen.forEach(
        (k, list) -> {
          if (list.size() >= settings.calibrationMinWindows()) {
            double[] v = list.stream().mapToDouble(Double::doubleValue).toArray();
            out.put(k, new double[] {Stats.median(v), Math.max(1.0, Stats.robustSigma(v))});
          }
        });
    return out;
  }

  private static double[] errors(double[] availability, double[] req) {
    double[] e = new double[req.length];
    for (int i = 0; i < e.length; i++) {
      double a = Double.isNaN(availability[i]) ? 100 : availability[i];
      e[i] = (1 - a / 100.0) * req[i];
    }
    return e;
  }

  private static boolean allNaN(double[] x) {
    for (double d : x) {
      if (!Double.isNaN(d)) {
        return false;
      }
    }
    return true;
  }

  private static double sum(double[] x) {
    double s = 0;
    for (double d : x) {
      s += d;
    }
    return s;
  }

  private static double sq(double x) {
    return x * x;
  }
}
