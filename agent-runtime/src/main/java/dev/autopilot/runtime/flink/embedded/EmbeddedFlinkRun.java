package dev.autopilot.runtime.flink.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.SimSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * {@code autopilot run --platform flink-embedded}: the agents manage a real Flink job on an
 * embedded MiniCluster ({@link EmbeddedFlinkSession}) for a number of wall-clock minutes while the
 * fault injector injects real faults on a fixed schedule; prints and writes ({@code results.json}
 * in the report directory) the measured detection and recovery times of every fault ({@link
 * IncidentTracker} defines them).
 *
 * <p>Demand follows the built-in workload generator ({@code autopilot.simulation.workload}), scaled
 * by {@code rate-scale} and sped up by {@code time-compression}, from {@code start-hour} of its
 * first day.
 */
public final class EmbeddedFlinkRun {
  private final Config config;

  public EmbeddedFlinkRun(Config config) {
    this.config = config;
  }

  /**
   * Runs.
   *
   * @param minutes wall-clock minutes
   * @param reportDir where results.json goes; the run's checkpoints and journal go under it too
   * @param out progress and the results table
   * @return the incidents measured
   */
  public List<IncidentTracker.Incident> run(double minutes, Path reportDir, PrintWriter out)
      throws Exception {
    EmbeddedRunSettings run = EmbeddedRunSettings.create(config);
    SimSettings sim = SimSettings.create(config);
    long runMillis = Math.round(minutes * 60_000);
    double tickSeconds = sim.tickSeconds();
    long startTick = Math.round(run.startHour() * 3600 / tickSeconds);
    long ticks =
        startTick + (long) Math.ceil(runMillis / 1000.0 * run.timeCompression() / tickSeconds) + 2;
    GeneratedWorkload workload =
        new GeneratedWorkload(
            sim.workload(), run.seed(), ticks, sim.tickSeconds(), sim.startEpochMillis());
    long t0 = System.nanoTime();
    DoubleSupplier rate =
        () -> {
          double elapsed = (System.nanoTime() - t0) / 1e9;
          long tick = startTick + (long) (elapsed * run.timeCompression() / tickSeconds);
          return workload.offeredRate(Math.min(tick, ticks - 1)) * run.rateScale();
        };
    Files.createDirectories(reportDir);
    long wallStart = System.currentTimeMillis();
    out.printf(
        Locale.ROOT,
        "Embedded real Flink: %.1f min, workload x%s (%.0f records/s now), %s workload s per s,"
            + " a fault every %ds after %ds: %s%n",
        minutes,
        run.rateScale(),
        rate.getAsDouble(),
        run.timeCompression(),
        run.faultSpacing().toSeconds(),
        run.warmup().toSeconds(),
        run.faults().stream().map(EmbeddedFault::id).toList());
    out.flush();
    List<IncidentTracker.Incident> incidents;
    try (EmbeddedFlinkSession session =
        EmbeddedFlinkSession.start(config, reportDir.resolve("flink-embedded"), rate)) {
      out.println("MiniCluster REST at " + session.cluster().restUri());
      out.flush();
      long start = System.currentTimeMillis();
      long next = start + run.warmup().toMillis();
      int i = 0;
      List<Object[]> pendingClears = new ArrayList<>();
      while (System.currentTimeMillis() - start < runMillis) {
        long now = System.currentTimeMillis();
        for (var it = pendingClears.iterator(); it.hasNext(); ) {
          Object[] c = it.next();
          if (now >= (long) c[1]) {
            session.clear((EmbeddedFault) c[0]);
            out.printf(
                Locale.ROOT,
                "%6.1fs cleared %s%n",
                (now - start) / 1000.0,
                ((EmbeddedFault) c[0]).id());
            it.remove();
          }
        }
        if (!run.faults().isEmpty()
            && now >= next
            && now + run.faultSpacing().toMillis() / 2 - start < runMillis) {
          EmbeddedFault f = run.faults().get(i++ % run.faults().size());
          String what = session.inject(f);
          out.printf(Locale.ROOT, "%6.1fs injected %s: %s%n", (now - start) / 1000.0, f.id(), what);
          if (f != EmbeddedFault.TASK_MANAGER_LOST) {
            pendingClears.add(new Object[] {f, now + run.faultDuration().toMillis()});
          }
          next += run.faultSpacing().toMillis();
        }
        out.flush();
        Thread.sleep(200);
      }
      for (Object[] c : pendingClears) {
        session.clear((EmbeddedFault) c[0]);
      }
      incidents = session.tracker().incidents();
      int ticksSeen = session.observations().size();
      long wall = System.currentTimeMillis() - wallStart;
      out.println();
      out.print(table(incidents));
      out.printf(
          Locale.ROOT,
          "%d ticks every %s; wall time %.1f s%n",
          ticksSeen,
          run.tickInterval(),
          wall / 1000.0);
      Path results = write(reportDir, run, minutes, wall, ticksSeen, incidents);
      out.println("wrote " + results);
      out.flush();
    }
    return incidents;
  }

  /** The console table of the incidents. */
  static String table(List<IncidentTracker.Incident> incidents) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-19s %8s %8s  %-28s %s%n",
            "fault",
            "MTTD s",
            "MTTR s",
            "diagnosis",
            "detected by / actions"));
    for (IncidentTracker.Incident i : incidents) {
      b.append(
          String.format(
              Locale.ROOT,
              "%-19s %8s %8s  %-28s %s%n",
              i.fault().id(),
              i.detected() ? String.format(Locale.ROOT, "%.1f", i.mttdSeconds()) : "-",
              i.recovered()
                  ? String.format(Locale.ROOT, "%.1f", i.mttrSeconds())
                  : i.degraded() ? "not rec." : "no degr.",
              i.diagnosis() == null ? "-" : i.diagnosis(),
              (i.detectedBy() == null ? "not detected" : i.detectedBy())
                  + (i.actions().isEmpty() ? "" : "; applied " + i.actions())));
    }
    return b.toString();
  }

  private static Path write(
      Path dir,
      EmbeddedRunSettings run,
      double minutes,
      long wallMillis,
      int ticks,
      List<IncidentTracker.Incident> incidents)
      throws java.io.IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("platform", "flink-embedded");
    root.put("flinkVersion", "1.20.5");
    root.put("minutes", minutes);
    root.put("wallSeconds", wallMillis / 1000.0);
    root.put("ticks", ticks);
    root.put("tickIntervalSeconds", run.tickInterval().toMillis() / 1000.0);
    root.put("rateScale", run.rateScale());
    root.put("timeCompression", run.timeCompression());
    root.put(
        "definitions",
        Map.of(
            "mttd",
            "injection to the first tick in which the recovery agent proposes an action or raises"
                + " its anomaly flag (demand surge: a proposal raising parallelism)",
            "mttr",
            "injection to the first of "
                + run.healthyTicks()
                + " consecutive healthy ticks after a degraded one (job RUNNING on all its"
                + " TaskManagers, source backlog <= "
                + run.healthyBacklogSeconds()
                + " s of demand)"));
    List<Map<String, Object>> faults = new ArrayList<>();
    for (IncidentTracker.Incident i : incidents) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("fault", i.fault().id());
      f.put("mode", i.fault().mode().name());
      f.put("injection", i.injection());
      f.put("injectedAtMillis", i.injectedAtMillis());
      f.put("clearedAtMillis", i.clearedAtMillis());
      f.put("detected", i.detected());
      f.put("mttdSeconds", i.detected() ? i.mttdSeconds() : null);
      f.put("detectedBy", i.detectedBy());
      f.put("diagnosis", i.diagnosis());
      f.put("degraded", i.degraded());
      f.put("recovered", i.recovered());
      f.put("mttrSeconds", i.recovered() ? i.mttrSeconds() : null);
      f.put("actions", i.actions());
      f.put("maxParallelism", i.maxParallelism());
      faults.add(f);
    }
    root.put("faults", faults);
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("injected", incidents.size());
    summary.put("detected", incidents.stream().filter(IncidentTracker.Incident::detected).count());
    summary.put(
        "recovered", incidents.stream().filter(IncidentTracker.Incident::recovered).count());
    summary.put(
        "meanMttdSeconds",
        incidents.stream()
            .filter(IncidentTracker.Incident::detected)
            .mapToDouble(IncidentTracker.Incident::mttdSeconds)
            .average()
            .orElse(Double.NaN));
    summary.put(
        "meanMttrSeconds",
        incidents.stream()
            .filter(IncidentTracker.Incident::recovered)
            .mapToDouble(IncidentTracker.Incident::mttrSeconds)
            .average()
            .orElse(Double.NaN));
    root.put("summary", summary);
    Path file = dir.resolve("results.json");
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(file.toFile(), sanitize(root));
    return file;
  }

  /** NaN is not JSON: written as null. */
  private static Object sanitize(Object o) {
    if (o instanceof Double d && (d.isNaN() || d.isInfinite())) {
      return null;
    }
    if (o instanceof Map<?, ?> m) {
      Map<Object, Object> r = new LinkedHashMap<>();
      m.forEach((k, v) -> r.put(k, sanitize(v)));
      return r;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(EmbeddedFlinkRun::sanitize).toList();
    }
    return o;
  }
}
