package dev.autopilot.runtime.optimize;

import dev.autopilot.agents.optimization.ppo.IterationStats;
import java.util.List;
import java.util.Locale;

/**
 * The PPO learning curve: a CSV (one row per iteration) and a self-contained HTML page with an
 * inline SVG chart (no script, no external URL) of the mean reward, throughput achievement, latency
 * compliance and resource efficiency per iteration, plus a second chart of the entropy and the
 * approximate KL. Deterministic for a given input.
 */
public final class LearningCurve {

  /** The CSV header. */
  public static final String HEADER =
      "iteration,reward,throughput_achievement,latency_compliance,resource_efficiency,cpu,"
          + "policy_loss,value_loss,entropy,kl,clip_fraction,explained_variance,seconds";

  private static final int W = 900;
  private static final int H = 300;
  private static final int LEFT = 60;
  private static final int RIGHT = 20;
  private static final int TOP = 20;
  private static final int BOTTOM = 36;

  private LearningCurve() {}

  /** The CSV of the iterations. */
  public static String csv(List<IterationStats> rows) {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (IterationStats s : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.3f%n",
              s.iteration(),
              s.meanReward(),
              s.throughputAchievement(),
              s.latencyCompliance(),
              s.resourceEfficiency(),
              s.cpuUtilisation(),
              s.policyLoss(),
              s.valueLoss(),
              s.entropy(),
              s.approxKl(),
              s.clipFraction(),
              s.explainedVariance(),
              s.seconds()));
    }
    return b.toString();
  }

  /** The HTML page with the charts. */
  public static String html(List<IterationStats> rows, String title) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>")
        .append(esc(title))
        .append("</title>\n<style>body{font-family:sans-serif;margin:1.5em;color:#222}")
        .append("svg{background:#fcfcfc;border:1px solid #ddd}")
        .append(".legend span{margin-right:1.2em;font-size:0.85em}</style>\n</head>\n<body>\n<h1>")
        .append(esc(title))
        .append("</h1>\n");
    String[] names = {
      "mean reward", "throughput achievement", "latency compliance", "resource efficiency"
    };
    String[] colours = {"#d62728", "#1f77b4", "#2ca02c", "#ff7f0e"};
    double[][] series = new double[4][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      IterationStats s = rows.get(i);
      series[0][i] = s.meanReward();
      series[1][i] = s.throughputAchievement();
      series[2][i] = s.latencyCompliance();
      series[3][i] = s.resourceEfficiency();
    }
    chart(h, "Per iteration: reward and SLA figures", names, colours, series);
    double[][] opt = new double[2][rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      opt[0][i] = rows.get(i).entropy();
      opt[1][i] = rows.get(i).approxKl();
    }
    chart(
        h,
        "Per iteration: policy entropy (nats) and approximate KL",
        new String[] {"entropy", "approx. KL"},
        new String[] {"#9467bd", "#8c564b"},
        opt);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void chart(
      StringBuilder h, String caption, String[] names, String[] colours, double[][] series) {
    double lo = 0;
    double hi = 1;
    int n = series[0].length;
    for (double[] s : series) {
      for (double v : s) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    double pw = W - LEFT - RIGHT;
    double ph = H - TOP - BOTTOM;
    h.append("<figure>\n<div class=\"legend\">");
    for (int k = 0; k < names.length; k++) {
      h.append("<span style=\"color:")
          .append(colours[k])
          .append("\">&#9632; ")
          .append(esc(names[k]))
          .append("</span>");
    }
    h.append("</div>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\">\n");
    for (int t = 0; t <= 4; t++) {
      double v = lo + (hi - lo) * t / 4;
      double y = TOP + ph - ph * t / 4;
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                  + "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.2f</text>\n",
              LEFT,
              y,
              W - RIGHT,
              y,
              LEFT - 6,
              y + 4,
              v));
    }
    h.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">iteration"
                + " (1..%d)</text>\n",
            LEFT + pw / 2,
            H - 8,
            n));
    for (int k = 0; k < series.length; k++) {
      h.append("<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"")
          .append(colours[k])
          .append("\" points=\"");
      for (int i = 0; i < n; i++) {
        double v = series[k][i];
        if (!Double.isFinite(v)) {
          continue;
        }
        double x = LEFT + (n <= 1 ? pw / 2 : pw * i / (n - 1));
        double y = TOP + ph - ph * (v - lo) / (hi - lo);
        h.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      h.append("\"><title>").append(esc(names[k])).append("</title></polyline>\n");
    }
    h.append("</svg>\n<figcaption>").append(esc(caption)).append("</figcaption>\n</figure>\n");
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
