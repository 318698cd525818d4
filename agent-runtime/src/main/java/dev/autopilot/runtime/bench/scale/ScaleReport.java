package dev.autopilot.runtime.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The report of {@code bench scale}: {@code scale.json} ({@code {"runs": [{"pipelines", "nodes",
 * "decision_latency_ms": {"p50", "p99"}, "samples_per_second", "journal_writes_per_second",
 * "heap_mb"}]}}, each run with more detail beside those keys) and the console table.
 */
public final class ScaleReport {
  /** File name of the JSON report. */
  public static final String FILE = "scale.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ScaleReport() {}

  /** The JSON document of the runs. */
  public static ObjectNode json(List<ScaleRun> runs, String version) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", version);
    ArrayNode array = root.putArray("runs");
    for (ScaleRun r : runs) {
      ScaleRunSpec s = r.spec();
      ObjectNode o = array.addObject();
      o.put("pipelines", s.pipelines());
      o.put("nodes", s.nodes());
      ObjectNode latency = o.putObject("decision_latency_ms");
      num(latency, "p50", r.latencyP50Ms());
      num(latency, "p99", r.latencyP99Ms());
      num(latency, "max", r.latencyMaxMs());
      num(o, "samples_per_second", r.samplesPerSecond());
      num(o, "journal_writes_per_second", r.journalWritesPerSecond());
      num(o, "heap_mb", r.heapAfterGcMb());
      num(o, "heap_peak_mb", r.heapPeakMb());
      o.put("journal", s.journal());
      o.put("ticks", s.ticks());
      o.put("warmup_ticks", s.warmupTicks());
      o.put("in_flight", s.effectiveInFlight());
      o.put("seed", s.seed());
      o.put("simulated_max_nodes", r.simulatedMaxNodes());
      ArrayNode placement = o.putArray("meta_entities_per_node");
      r.metaEntitiesPerNode().forEach(placement::add);
      o.put("pipeline_ticks", r.pipelineTicks());
      o.put("failed_ticks", r.failedTicks());
      o.put("ticks_with_missing_agents", r.ticksWithMissingAgents());
      num(o, "snapshots_per_second", r.snapshotsPerSecond());
      o.put("journal_events", r.journalEvents());
      o.put("snapshot_store_writes", r.snapshotWrites());
      ObjectNode round = o.putObject("round_ms");
      num(round, "p50", r.roundP50Ms());
      num(round, "max", r.roundMaxMs());
      num(o, "loop_seconds", r.loopSeconds());
      ObjectNode load = o.putObject("load_average");
      num(load, "start", r.loadAverageStart());
      num(load, "end", r.loadAverageEnd());
    }
    return root;
  }

  /** Writes {@code dir/scale.json}, creating the directory. */
  public static Path write(Path dir, List<ScaleRun> runs, String version) throws IOException {
    Files.createDirectories(dir);
    Path file = dir.resolve(FILE);
    JSON.writeValue(file.toFile(), json(runs, version));
    return file;
  }

  /** The console table, one line per run. */
  public static String table(List<ScaleRun> runs) {
    StringBuilder sb = new StringBuilder();
    String header =
        String.format(
            Locale.ROOT,
            "%9s %5s %8s %9s %9s %9s %10s %12s %10s %8s %8s %11s %7s%n",
            "pipelines",
            "nodes",
            "journal",
            "p50 ms",
            "p99 ms",
            "round ms",
            "snapshot/s",
            "samples/s",
            "journal/s",
            "heap MB",
            "peak MB",
            "failed/miss",
            "load");
    sb.append(header);
    sb.append("-".repeat(header.length() - 1)).append('\n');
    for (ScaleRun r : runs) {
      ScaleRunSpec s = r.spec();
      sb.append(
          String.format(
              Locale.ROOT,
              "%9d %5d %8s %9.2f %9.2f %9.0f %10.1f %12.0f %10.1f %8.0f %8.0f %11s %7s%n",
              s.pipelines(),
              s.nodes(),
              s.journal(),
              r.latencyP50Ms(),
              r.latencyP99Ms(),
              r.roundP50Ms(),
              r.snapshotsPerSecond(),
              r.samplesPerSecond(),
              r.journalWritesPerSecond(),
              r.heapAfterGcMb(),
              r.heapPeakMb(),
              r.failedTicks() + "/" + r.ticksWithMissingAgents(),
              String.format(Locale.ROOT, "%.1f-%.1f", r.loadAverageStart(), r.loadAverageEnd())));
    }
    return sb.toString();
  }

  /** A number rounded to 3 decimals, or null when there is none (no tick was closed). */
  private static void num(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, Math.round(v * 1000.0) / 1000.0);
    } else {
      o.putNull(key);
    }
  }
}
