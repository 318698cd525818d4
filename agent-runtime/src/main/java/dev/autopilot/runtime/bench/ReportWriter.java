package dev.autopilot.runtime.bench;

import dev.autopilot.api.SlaSpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes {@code report.html}: one self-contained file, viewable offline (inline CSS and SVG, no
 * script, no font, no external URL). It holds the scenario parameters, the results table, and for
 * every controller and pipeline three charts over event time:
 *
 * <ol>
 *   <li>demand (offered) versus capacity, with the processed rate;
 *   <li>p99 latency (log scale) versus the SLA bound;
 *   <li>total parallelism and TaskManagers;
 * </ol>
 *
 * each with fault markers (injection, detection, resolution) and action markers (actions and
 * rollbacks). Series longer than {@code maxPointsPerSeries} are reduced with {@link
 * Downsampler#minMax}, so spikes survive. The output is well-formed XML (XHTML syntax) and
 * deterministic for a given input.
 */
public final class ReportWriter {

  /** File name. */
  public static final String REPORT = "report.html";

  private static final int W = 1000;
  private static final int H = 240;
  private static final int LEFT = 72;
  private static final int RIGHT = 60;
  private static final int TOP = 26;
  private static final int BOTTOM = 34;
  private static final double PW = W - LEFT - RIGHT;
  private static final double PH = H - TOP - BOTTOM;

  private final int maxPointsPerSeries;

  public ReportWriter(int maxPointsPerSeries) {
    if (maxPointsPerSeries < 4) {
      throw new IllegalArgumentException("maxPointsPerSeries must be >= 4");
    }
    this.maxPointsPerSeries = maxPointsPerSeries;
  }

  /** Writes {@code dir/report.html} and returns its path. */
  public Path write(Path dir, Scenario scenario, List<ControllerRun> runs, List<Score> scores)
      throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(REPORT);
    Files.writeString(file, html(scenario, runs, scores), StandardCharsets.UTF_8);
    return file;
  }

  /** The report document. */
  public String html(Scenario scenario, List<ControllerRun> runs, List<Score> scores) {
    StringBuilder h = new StringBuilder(1 << 20);
    head(h, "Flink Autopilot run report");
    h.append("<h2>Scenario</h2>\n<table>\n");
    if (scenario.name() != null) {
      row(h, "scenario", scenario.name());
    }
    row(h, "days", plain(scenario.days()));
    row(h, "seed", Long.toString(scenario.seed()));
    row(h, "pipelines", Integer.toString(scenario.pipelines()));
    row(h, "workload", scenario.workload());
    row(h, "faults", Integer.toString(scenario.faults()));
    row(h, "minimum fault kinds", Integer.toString(scenario.minFaultKinds()));
    row(h, "mode", scenario.mode().id());
    row(h, "tick", scenario.tickSeconds() + " s");
    row(h, "ticks", Long.toString(scenario.totalTicks()));
    row(
        h,
        "controllers",
        String.join(", ", scenario.controllers().stream().map(ControllerKind::id).toList()));
    Map<String, SlaSpec> slas = slas(runs);
    slas.forEach(
        (p, sla) ->
            row(
                h,
                "SLA " + p,
                "throughput "
                    + plain(sla.throughputTarget())
                    + " events/s, p99 < "
                    + plain(sla.latencyP99BoundMs())
                    + " ms, tolerance "
                    + plain(sla.throughputTolerance())));
    h.append("</table>\n");

    h.append("<h2>Results</h2>\n<table>\n<tr><th>metric</th>");
    for (Score s : scores) {
      h.append("<th>").append(esc(s.controller().id())).append("</th>");
    }
    h.append("</tr>\n");
    for (Score.Field f : Score.FIELDS) {
      h.append("<tr><td>").append(esc(f.label())).append("</td>");
      for (Score s : scores) {
        h.append("<td>")
            .append(Numbers.text(f.value().apply(s), f.decimals(), "n/a"))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");

    charts(h, runs, 2);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** Opens the document: doctype, head with the inline style, body, and {@code title} as its h1. */
  static void head(StringBuilder h, String title) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>")
        .append(esc(title))
        .append("</title>\n<style>\n")
        .append("body{font-family:sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em 0}")
        .append("td,th{border:1px solid #bbb;padding:3px 8px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}")
        .append("td.best{font-weight:bold;background:#e6f4e6}")
        .append("figure{margin:0.5em 0}figcaption{font-size:0.85em;color:#555}")
        .append("svg{background:#fcfcfc;border:1px solid #ddd}")
        .append(".legend span{display:inline-block;margin-right:1.2em;font-size:0.85em}")
        .append("\n</style>\n</head>\n<body>\n")
        .append("<h1>")
        .append(esc(title))
        .append("</h1>\n");
  }

  /**
   * Appends the marker legend and, for every run and pipeline, its three charts; a run's heading is
   * an {@code h<level>}, its pipelines' one level below.
   */
  void charts(StringBuilder h, List<ControllerRun> runs, int level) {
    h.append("<p class=\"legend\">Markers: ")
        .append("<span style=\"color:#d62728\">| fault injected</span>")
        .append("<span style=\"color:#ff7f0e\">| fault detected</span>")
        .append("<span style=\"color:#2ca02c\">| fault resolved</span>")
        .append("<span style=\"color:#1f77b4\">&#9650; action</span>")
        .append("<span style=\"color:#9467bd\">&#9650; rollback</span>")
        .append(" (hover a marker for details)</p>\n");

    for (ControllerRun run : runs) {
      h.append("<h" + level + ">Controller: ")
          .append(esc(run.controller().id()))
          .append("</h" + level + ">\n");
      for (String pipeline : run.pipelineIds()) {
        pipelineCharts(h, run, pipeline, level + 1);
      }
    }
  }

  /** Colours of the controllers in a comparison chart, in run order (cycled). */
  private static final String[] PALETTE = {
    "#7f7f7f", "#ff7f0e", "#9467bd", "#8c564b", "#1f77b4", "#17becf", "#bcbd22", "#e377c2"
  };

  /**
   * Appends, for every pipeline, two charts that put the controllers side by side: the offered load
   * (the same for all) with each controller's capacity, and each controller's p99 latency against
   * the SLA bound, with the scenario's faults (injections) marked.
   */
  void comparison(StringBuilder h, List<ControllerRun> runs) {
    if (runs.isEmpty()) {
      return;
    }
    ControllerRun first = runs.get(0);
    for (String pipeline : first.pipelineIds()) {
      List<Line> capacity = new ArrayList<>();
      List<Line> latency = new ArrayList<>();
      long x0 = Long.MAX_VALUE;
      long x1 = Long.MIN_VALUE;
      for (int k = 0; k < runs.size(); k++) {
        ControllerRun run = runs.get(k);
        List<TickRecord> recs =
            run.ticks().stream().filter(r -> r.pipelineId().equals(pipeline)).toList();
        int n = recs.size();
        long[] x = new long[n];
        double[] cap = new double[n];
        double[] lat = new double[n];
        double[] offered = new double[n];
        for (int i = 0; i < n; i++) {
          TickRecord r = recs.get(i);
          x[i] = r.tick();
          cap[i] = r.capacityRate();
          lat[i] = Math.max(1.0, r.latencyP99Ms());
          offered[i] = r.offeredRate();
        }
        if (n > 0) {
          x0 = Math.min(x0, x[0]);
          x1 = Math.max(x1, x[n - 1]);
        }
        if (k == 0) {
          capacity.add(new Line("offered (demand)", "#d62728", new Downsampler.Series(x, offered)));
        }
        String color = PALETTE[k % PALETTE.length];
        String id = run.controller().id();
        capacity.add(new Line(id, color, new Downsampler.Series(x, cap)));
        latency.add(new Line(id, color, new Downsampler.Series(x, lat)));
      }
      if (x0 == Long.MAX_VALUE) {
        x0 = 0;
        x1 = 1;
      }
      x1 = Math.max(x1, x0 + 1);
      List<Marker> injected = new ArrayList<>();
      for (FaultRecord f : first.faults()) {
        if (f.pipelineId().equals(pipeline) && !f.cascade()) {
          injected.add(
              new Marker(
                  f.injectedTick(),
                  "#d62728",
                  f.id() + " " + f.mode() + " injected at tick " + f.injectedTick(),
                  false));
        }
      }
      Markers markers = new Markers(injected, List.of());
      SlaSpec sla = first.slas().get(pipeline);
      h.append("<h3>All controllers, pipeline ").append(esc(pipeline)).append("</h3>\n");
      figure(
          h,
          "Demand vs each controller's capacity (events/s), " + pipeline,
          x0,
          x1,
          first.tickSeconds(),
          false,
          capacity,
          sla == null ? null : new Bound("SLA throughput target", sla.throughputTarget()),
          markers);
      figure(
          h,
          "p99 latency of each controller (ms, log scale) vs SLA bound, " + pipeline,
          x0,
          x1,
          first.tickSeconds(),
          true,
          latency,
          sla == null ? null : new Bound("SLA p99 bound", sla.latencyP99BoundMs()),
          markers);
    }
  }

  private void pipelineCharts(StringBuilder h, ControllerRun run, String pipeline, int level) {
    List<TickRecord> recs =
        run.ticks().stream().filter(r -> r.pipelineId().equals(pipeline)).toList();
    int n = recs.size();
    long[] x = new long[n];
    double[] offered = new double[n];
    double[] processed = new double[n];
    double[] capacity = new double[n];
    double[] latency = new double[n];
    double[] parallelism = new double[n];
    double[] tms = new double[n];
    for (int i = 0; i < n; i++) {
      TickRecord r = recs.get(i);
      x[i] = r.tick();
      offered[i] = r.offeredRate();
      processed[i] = r.processedRate();
      capacity[i] = r.capacityRate();
      latency[i] = Math.max(1.0, r.latencyP99Ms());
      parallelism[i] = r.totalParallelism();
      tms[i] = r.taskManagers();
    }
    long x0 = n == 0 ? 0 : x[0];
    long x1 = n == 0 ? 1 : Math.max(x[n - 1], x0 + 1);
    Markers markers = markers(run, pipeline, recs);
    SlaSpec sla = run.slas().get(pipeline);
    String id = run.controller().id() + " / " + pipeline;

    h.append("<h" + level + ">Pipeline ").append(esc(pipeline)).append("</h" + level + ">\n");
    figure(
        h,
        "Demand vs capacity (events/s), " + id,
        x0,
        x1,
        run.tickSeconds(),
        false,
        List.of(
            new Line("processed", "#1f77b4", new Downsampler.Series(x, processed)),
            new Line("capacity", "#2ca02c", new Downsampler.Series(x, capacity)),
            new Line("offered (demand)", "#d62728", new Downsampler.Series(x, offered))),
        sla == null ? null : new Bound("SLA throughput target", sla.throughputTarget()),
        markers);
    figure(
        h,
        "p99 latency (ms, log scale) vs SLA bound, " + id,
        x0,
        x1,
        run.tickSeconds(),
        true,
        List.of(new Line("p99 latency", "#ff7f0e", new Downsampler.Series(x, latency))),
        sla == null ? null : new Bound("SLA p99 bound", sla.latencyP99BoundMs()),
        markers);
    figure(
        h,
        "Parallelism and TaskManagers, " + id,
        x0,
        x1,
        run.tickSeconds(),
        false,
        List.of(
            new Line("total parallelism", "#1f77b4", new Downsampler.Series(x, parallelism)),
            new Line("TaskManagers (right axis)", "#8c564b", new Downsampler.Series(x, tms), true)),
        null,
        markers);
  }

  private record Line(String name, String color, Downsampler.Series series, boolean rightAxis) {
    Line(String name, String color, Downsampler.Series series) {
      this(name, color, series, false);
    }
  }

  private record Bound(String name, double value) {}

  private record Marker(long tick, String color, String title, boolean dashed) {}

  private record Markers(List<Marker> faults, List<Marker> actions) {}

  private static Markers markers(ControllerRun run, String pipeline, List<TickRecord> recs) {
    List<Marker> faults = new ArrayList<>();
    for (FaultRecord f : run.faults()) {
      if (!f.pipelineId().equals(pipeline)) {
        continue;
      }
      String what = f.id() + " " + f.mode() + (f.cascade() ? " (cascade)" : "");
      faults.add(
          new Marker(
              f.injectedTick(), "#d62728", what + " injected at tick " + f.injectedTick(), false));
      if (f.detectedTick() != null) {
        faults.add(
            new Marker(
                f.detectedTick(), "#ff7f0e", what + " detected at tick " + f.detectedTick(), true));
      }
      if (f.resolvedTick() != null) {
        faults.add(
            new Marker(
                f.resolvedTick(),
                "#2ca02c",
                what
                    + " resolved at tick "
                    + f.resolvedTick()
                    + (f.resolvedAutomatically() ? " (automatically)" : ""),
                true));
      }
    }
    List<Marker> actions = new ArrayList<>();
    for (TickRecord r : recs) {
      if (!r.actions().isEmpty()) {
        actions.add(
            new Marker(
                r.tick(),
                "#1f77b4",
                "tick " + r.tick() + ": " + String.join("; ", r.actions()),
                false));
      }
    }
    for (RollbackRecord rb : run.rollbacks()) {
      if (rb.pipelineId().equals(pipeline)) {
        actions.add(
            new Marker(
                rb.tick(), "#9467bd", "tick " + rb.tick() + ": rollback, " + rb.reason(), false));
      }
    }
    return new Markers(faults, actions);
  }

  private void figure(
      StringBuilder h,
      String title,
      long x0,
      long x1,
      int tickSeconds,
      boolean log,
      List<Line> lines,
      Bound bound,
      Markers markers) {
    List<Downsampler.Series> reduced = new ArrayList<>();
    double[] left = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    double[] right = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    boolean anyRight = false;
    for (Line l : lines) {
      Downsampler.Series s = Downsampler.minMax(l.series(), maxPointsPerSeries);
      reduced.add(s);
      double[] range = l.rightAxis() ? right : left;
      anyRight |= l.rightAxis();
      for (double v : s.y()) {
        if (Double.isFinite(v)) {
          range[0] = Math.min(range[0], v);
          range[1] = Math.max(range[1], v);
        }
      }
    }
    if (bound != null) {
      left[0] = Math.min(left[0], bound.value());
      left[1] = Math.max(left[1], bound.value());
    }
    Axis y = log ? Axis.log(left[0], left[1]) : Axis.linear(left[1]);
    Axis y2 = anyRight ? Axis.linear(right[1]) : null;

    h.append("<figure>\n<svg width=\"")
        .append(W)
        .append("\" height=\"")
        .append(H)
        .append("\" viewBox=\"0 0 ")
        .append(W)
        .append(' ')
        .append(H)
        .append("\" role=\"img\"><title>")
        .append(esc(title))
        .append("</title>\n");
    // grid and y labels
    for (double v : y.gridValues()) {
      double py = py(y, v);
      h.append("<line x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(W - RIGHT)
          .append("\" y1=\"")
          .append(f1(py))
          .append("\" y2=\"")
          .append(f1(py))
          .append("\" stroke=\"#e4e4e4\"/>")
          .append("<text x=\"")
          .append(LEFT - 6)
          .append("\" y=\"")
          .append(f1(py + 4))
          .append("\" font-size=\"11\" text-anchor=\"end\">")
          .append(compact(v))
          .append("</text>\n");
    }
    if (y2 != null) {
      for (double v : y2.gridValues()) {
        h.append("<text x=\"")
            .append(W - RIGHT + 6)
            .append("\" y=\"")
            .append(f1(py(y2, v) + 4))
            .append("\" font-size=\"11\" fill=\"#8c564b\">")
            .append(compact(v))
            .append("</text>\n");
      }
    }
    // x labels at a round step of event time
    long spanSeconds = (x1 - x0) * (long) tickSeconds;
    long step = TIME_STEPS[TIME_STEPS.length - 1];
    for (long candidate : TIME_STEPS) {
      if (spanSeconds / candidate <= 10) {
        step = candidate;
        break;
      }
    }
    long unit = step >= 86_400 ? 86_400 : step >= 3_600 ? 3_600 : 60;
    String unitName = unit == 86_400 ? "days" : unit == 3_600 ? "hours" : "minutes";
    long firstSecond = ((x0 * tickSeconds + step - 1) / step) * step;
    for (long sec = firstSecond; sec <= x1 * (long) tickSeconds; sec += step) {
      double px = px(sec / (double) tickSeconds, x0, x1);
      h.append("<line x1=\"")
          .append(f1(px))
          .append("\" x2=\"")
          .append(f1(px))
          .append("\" y1=\"")
          .append(H - BOTTOM)
          .append("\" y2=\"")
          .append(H - BOTTOM + 4)
          .append("\" stroke=\"#999\"/><text x=\"")
          .append(f1(px))
          .append("\" y=\"")
          .append(H - BOTTOM + 16)
          .append("\" font-size=\"11\" text-anchor=\"middle\">")
          .append(
              BigDecimal.valueOf(sec)
                  .divide(BigDecimal.valueOf(unit), 2, RoundingMode.HALF_UP)
                  .stripTrailingZeros()
                  .toPlainString())
          .append("</text>");
    }
    h.append("<text x=\"")
        .append(LEFT + (int) PW / 2)
        .append("\" y=\"")
        .append(H - 4)
        .append("\" font-size=\"11\" text-anchor=\"middle\">event time (")
        .append(unitName)
        .append(")</text>\n");
    h.append("<rect x=\"")
        .append(LEFT)
        .append("\" y=\"")
        .append(TOP)
        .append("\" width=\"")
        .append(f1(PW))
        .append("\" height=\"")
        .append(f1(PH))
        .append("\" fill=\"none\" stroke=\"#999\"/>\n");

    // fault markers: vertical lines
    for (Marker m : markers.faults()) {
      double px = px(m.tick(), x0, x1);
      h.append("<line x1=\"")
          .append(f1(px))
          .append("\" x2=\"")
          .append(f1(px))
          .append("\" y1=\"")
          .append(TOP)
          .append("\" y2=\"")
          .append(H - BOTTOM)
          .append("\" stroke=\"")
          .append(m.color())
          .append("\" stroke-width=\"1.2\"")
          .append(m.dashed() ? " stroke-dasharray=\"4 3\"" : "")
          .append("><title>")
          .append(esc(m.title()))
          .append("</title></line>\n");
    }
    // series
    for (int i = 0; i < lines.size(); i++) {
      Downsampler.Series s = reduced.get(i);
      if (s.size() == 0) {
        continue;
      }
      h.append("<polyline fill=\"none\" stroke=\"")
          .append(lines.get(i).color())
          .append("\" stroke-width=\"1.2\" points=\"");
      for (int k = 0; k < s.size(); k++) {
        if (k > 0) {
          h.append(' ');
        }
        Axis axis = lines.get(i).rightAxis() ? y2 : y;
        h.append(f1(px(s.x()[k], x0, x1))).append(',').append(f1(py(axis, s.y()[k])));
      }
      h.append("\"><title>").append(esc(lines.get(i).name())).append("</title></polyline>\n");
    }
    if (bound != null) {
      double py = py(y, bound.value());
      h.append("<line x1=\"")
          .append(LEFT)
          .append("\" x2=\"")
          .append(W - RIGHT)
          .append("\" y1=\"")
          .append(f1(py))
          .append("\" y2=\"")
          .append(f1(py))
          .append("\" stroke=\"#000\" stroke-dasharray=\"6 4\"><title>")
          .append(esc(bound.name()))
          .append(' ')
          .append(compact(bound.value()))
          .append("</title></line>\n");
    }
    // action markers: small triangles under the plot, one per pixel column and kind
    Set<String> drawn = new HashSet<>();
    for (Marker m : markers.actions()) {
      double px = px(m.tick(), x0, x1);
      if (!drawn.add(m.color() + Math.round(px))) {
        continue;
      }
      double base = H - BOTTOM;
      h.append("<polygon fill=\"")
          .append(m.color())
          .append("\" points=\"")
          .append(f1(px))
          .append(',')
          .append(f1(base - 7))
          .append(' ')
          .append(f1(px - 3.5))
          .append(',')
          .append(f1(base))
          .append(' ')
          .append(f1(px + 3.5))
          .append(',')
          .append(f1(base))
          .append("\"><title>")
          .append(esc(m.title()))
          .append("</title></polygon>\n");
    }
    // legend
    double lx = LEFT;
    for (Line l : lines) {
      h.append("<rect x=\"")
          .append(f1(lx))
          .append("\" y=\"8\" width=\"12\" height=\"3\" fill=\"")
          .append(l.color())
          .append("\"/><text x=\"")
          .append(f1(lx + 16))
          .append("\" y=\"13\" font-size=\"11\">")
          .append(esc(l.name()))
          .append("</text>");
      lx += 30 + 7 * l.name().length();
    }
    if (bound != null) {
      h.append("<line x1=\"")
          .append(f1(lx))
          .append("\" x2=\"")
          .append(f1(lx + 12))
          .append("\" y1=\"10\" y2=\"10\" stroke=\"#000\" stroke-dasharray=\"4 2\"/><text x=\"")
          .append(f1(lx + 16))
          .append("\" y=\"13\" font-size=\"11\">")
          .append(esc(bound.name()))
          .append("</text>");
    }
    h.append("\n</svg>\n<figcaption>").append(esc(title)).append("</figcaption>\n</figure>\n");
  }

  /** A y axis: linear from 0, or log10. */
  private record Axis(boolean log, double min, double max) {
    static Axis linear(double hi) {
      double top = niceCeil(Double.isFinite(hi) && hi > 0 ? hi * 1.05 : 1);
      return new Axis(false, 0, top);
    }

    static Axis log(double lo, double hi) {
      double a = Math.floor(Math.log10(Double.isFinite(lo) && lo > 0 ? lo : 1));
      double b = Math.ceil(Math.log10(Double.isFinite(hi) && hi > 0 ? hi : 10));
      if (b <= a) {
        b = a + 1;
      }
      return new Axis(true, a, b);
    }

    double position(double v) {
      double t = log ? Math.log10(Math.max(v, 1e-9)) : v;
      return Math.max(0, Math.min(1, (t - min) / (max - min)));
    }

    List<Double> gridValues() {
      List<Double> g = new ArrayList<>();
      if (log) {
        for (double e = min; e <= max; e++) {
          g.add(Math.pow(10, e));
        }
      } else {
        for (int i = 0; i <= 4; i++) {
          g.add(max * i / 4.0);
        }
      }
      return g;
    }

    static double niceCeil(double v) {
      double p = Math.pow(10, Math.floor(Math.log10(v)));
      for (double m : new double[] {1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10}) {
        if (m * p >= v) {
          return m * p;
        }
      }
      return 10 * p;
    }
  }

  /** Candidate steps between two time labels, seconds: 10 min to 30 days. */
  private static final long[] TIME_STEPS = {
    600, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 2_592_000
  };

  private static double px(double tick, long x0, long x1) {
    return LEFT + PW * (tick - x0) / (double) (x1 - x0);
  }

  private static double py(Axis y, double v) {
    return TOP + PH * (1 - y.position(v));
  }

  private static Map<String, SlaSpec> slas(List<ControllerRun> runs) {
    Map<String, SlaSpec> m = new TreeMap<>();
    runs.forEach(r -> r.slas().forEach(m::putIfAbsent));
    return m;
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>")
        .append(esc(key))
        .append("</th><td>")
        .append(esc(value))
        .append("</td></tr>\n");
  }

  private static String f1(double v) {
    long tenths = Math.round(v * 10);
    return (tenths < 0 ? "-" : "") + Math.abs(tenths) / 10 + "." + Math.abs(tenths) % 10;
  }

  private static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  static String compact(double v) {
    double a = Math.abs(v);
    if (a == 0) {
      return "0";
    }
    if (a >= 1e9) {
      return String.format(Locale.ROOT, "%.3gG", v / 1e9);
    }
    if (a >= 1e6) {
      return String.format(Locale.ROOT, "%.3gM", v / 1e6);
    }
    if (a >= 1e3) {
      return String.format(Locale.ROOT, "%.3gk", v / 1e3);
    }
    return String.format(Locale.ROOT, "%.3g", v);
  }

  /** Escapes text for HTML/XML content and attributes. */
  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }
}
