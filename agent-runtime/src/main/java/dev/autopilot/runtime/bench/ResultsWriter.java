package dev.autopilot.runtime.bench;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autopilot.api.SlaSpec;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes the machine-readable results of a run into the report directory:
 *
 * <ul>
 *   <li>{@code results.json}: {@code {"scenario": {...}, "controllers": {"static": {...},
 *       "rule-based": {...}, "agents": {...}}}}, every controller with the keys of {@link
 *       Score#FIELDS} in that order, then (when the node pool was measured) {@code cost_breakdown}:
 *       dollars on on-demand and spot nodes and on SSD, block and object checkpoint storage, their
 *       total, and the TaskManagers spot withdrawals moved, and for an agents run where the learned
 *       optimizer did anything a {@code learned_optimizer} object ({@link OptimizerCounts});
 *   <li>{@code results-deterministic.json}: the same without {@code ticks_per_second}, the one
 *       wall-clock figure, so two runs with the same seed give byte-identical files (compare these,
 *       not results.json);
 *   <li>{@code trace-<controller>.csv}: the tick records, deterministic.
 * </ul>
 *
 * <p>Determinism: keys are written in a fixed order (scenario fields as listed in {@link
 * #scenarioNode}, controllers in run order, figures in {@link Score#FIELDS} order, maps sorted),
 * numbers with a fixed number of decimals, rounded half-up, in plain notation, never in exponent
 * form; an undefined or non-finite figure is {@code null}. Files end with a newline.
 */
public final class ResultsWriter {

  /** File names. */
  public static final String RESULTS = "results.json";

  public static final String RESULTS_DETERMINISTIC = "results-deterministic.json";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  private ResultsWriter() {}

  /** Trace file name of a controller. */
  public static String traceFileName(ControllerKind controller) {
    return "trace-" + controller.id() + ".csv";
  }

  /**
   * Writes results.json, results-deterministic.json and one trace per run into {@code dir} (created
   * if missing).
   *
   * @return the files written
   */
  public static List<Path> write(
      Path dir, Scenario scenario, List<ControllerRun> runs, List<Score> scores)
      throws IOException {
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    Path results = dir.resolve(RESULTS);
    Files.writeString(results, json(scenario, runs, scores, true), StandardCharsets.UTF_8);
    written.add(results);
    Path deterministic = dir.resolve(RESULTS_DETERMINISTIC);
    Files.writeString(deterministic, json(scenario, runs, scores, false), StandardCharsets.UTF_8);
    written.add(deterministic);
    for (ControllerRun run : runs) {
      Path trace = dir.resolve(traceFileName(run.controller()));
      writeTrace(trace, run);
      written.add(trace);
    }
    return written;
  }

  /** The results document; {@code withWallClock} false leaves out {@code ticks_per_second}. */
  public static String json(
      Scenario scenario, List<ControllerRun> runs, List<Score> scores, boolean withWallClock) {
    ObjectNode root = NODES.objectNode();
    root.set("scenario", scenarioNode(scenario, runs));
    ObjectNode controllers = root.putObject("controllers");
    for (Score s : scores) {
      OptimizerCounts optimizer =
          runs.stream()
              .filter(r -> r.controller() == s.controller())
              .map(ControllerRun::optimizer)
              .findFirst()
              .orElse(OptimizerCounts.NONE);
      controllers.set(s.controller().id(), controllerNode(s, optimizer, withWallClock));
    }
    return text(root);
  }

  /** A JSON document as written: indented, plain decimals, ending with a newline. */
  static String text(ObjectNode root) {
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The figures of one controller, as under {@code controllers} in results.json: the keys of {@link
   * Score#FIELDS} in that order (without {@code ticks_per_second} unless {@code withWallClock}),
   * then the cost breakdown, detectors, prediction weeks and learned optimizer when there are any.
   */
  static ObjectNode controllerNode(Score s, OptimizerCounts optimizer, boolean withWallClock) {
    ObjectNode c = NODES.objectNode();
    for (Score.Field f : Score.FIELDS) {
      if (!f.deterministic() && !withWallClock) {
        continue;
      }
      putNumber(c, f.key(), f.value().apply(s), f.decimals());
    }
    if (s.cluster() != null) {
      ObjectNode cost = c.putObject("cost_breakdown");
      CostParts parts = s.cluster().cost();
      putNumber(cost, "compute_on_demand", parts.computeOnDemand(), 4);
      putNumber(cost, "compute_spot", parts.computeSpot(), 4);
      putNumber(cost, "storage_ssd", parts.storageSsd(), 4);
      putNumber(cost, "storage_block", parts.storageBlock(), 4);
      putNumber(cost, "storage_object", parts.storageObject(), 4);
      putNumber(cost, "network", parts.network(), 4);
      putNumber(cost, "total", parts.total(), 4);
      cost.put("spot_pods_migrated", s.cluster().podsMigrated());
    }
    if (!s.detectors().isEmpty()) {
      ObjectNode detection = c.putObject("detectors");
      for (DetectorScore d : s.detectors()) {
        ObjectNode n = detection.putObject(d.detector());
        n.put("episodes", d.episodes());
        n.put("true_positive_episodes", d.truePositiveEpisodes());
        n.put("faults", d.faults());
        n.put("faults_caught", d.faultsCaught());
        putNumber(n, "precision_pct", d.precisionPct(), 2);
        putNumber(n, "recall_pct", d.recallPct(), 2);
      }
    }
    if (!s.predictionWeeks().isEmpty()) {
      ObjectNode prediction = c.putObject("prediction");
      prediction.put("horizon_ticks", Scorer.PREDICTION_HORIZON_TICKS);
      ArrayNode weeks = prediction.putArray("weeks");
      for (PredictionWeek w : s.predictionWeeks()) {
        ObjectNode n = weeks.addObject();
        n.put("week", w.week());
        n.put("samples", w.samples());
        n.put("positives", w.positives());
        putNumber(n, "accuracy_pct", w.accuracyPct(), 2);
        putNumber(n, "precision_pct", w.precisionPct(), 2);
        putNumber(n, "recall_pct", w.recallPct(), 2);
        putNumber(n, "fpr_pct", w.fprPct(), 2);
        putNumber(n, "f1_pct", w.f1Pct(), 2);
        ObjectNode v = n.putObject("model_versions");
        w.modelVersions()
            .forEach((version, count) -> v.put(PredictionWeek.versionName(version), count));
      }
    }
    if (optimizer.any()) {
      ObjectNode o = c.putObject("learned_optimizer");
      o.put("shadow_proposals", optimizer.shadowProposals());
      o.put("shadow_admitted", optimizer.shadowAdmitted());
      o.put("learned_proposals", optimizer.learnedProposals());
      o.put("promotions", optimizer.promotions());
      o.put("demotions", optimizer.demotions());
    }
    return c;
  }

  /**
   * The scenario section: days, seed, pipelines, workload, faults, min_fault_kinds, mode,
   * tick_seconds, ticks, controllers, sla (per pipeline, sorted) and fault_modes (the distinct
   * modes of the scheduled, non-cascade faults, sorted; taken from the first run).
   */
  static ObjectNode scenarioNode(Scenario scenario, List<ControllerRun> runs) {
    ObjectNode s = NODES.objectNode();
    if (scenario.name() != null) {
      s.put("scenario", scenario.name());
    }
    s.put("days", BigDecimal.valueOf(scenario.days()).stripTrailingZeros());
    s.put("seed", scenario.seed());
    s.put("pipelines", scenario.pipelines());
    s.put("workload", scenario.workload());
    s.put("faults", scenario.faults());
    s.put("min_fault_kinds", scenario.minFaultKinds());
    s.put("mode", scenario.mode().id());
    s.put("tick_seconds", scenario.tickSeconds());
    s.put("ticks", scenario.totalTicks());
    ArrayNode controllers = s.putArray("controllers");
    scenario.controllers().forEach(c -> controllers.add(c.id()));
    ObjectNode sla = s.putObject("sla");
    Map<String, SlaSpec> slas = new TreeMap<>();
    runs.forEach(r -> r.slas().forEach(slas::putIfAbsent));
    slas.forEach(
        (pipeline, spec) -> {
          ObjectNode p = sla.putObject(pipeline);
          putNumber(p, "throughput_target", spec.throughputTarget(), 1);
          putNumber(p, "latency_p99_bound_ms", spec.latencyP99BoundMs(), 1);
          putNumber(p, "throughput_tolerance", spec.throughputTolerance(), 4);
        });
    ArrayNode modes = s.putArray("fault_modes");
    if (!runs.isEmpty()) {
      new TreeSet<>(
              runs.get(0).faults().stream()
                  .filter(f -> !f.cascade())
                  .map(FaultRecord::mode)
                  .toList())
          .forEach(modes::add);
    }
    return s;
  }

  static void putNumber(ObjectNode node, String key, Number value, int decimals) {
    BigDecimal b = Numbers.fixed(value, decimals);
    if (b == null) {
      node.putNull(key);
    } else if (decimals == 0) {
      node.put(key, b.longValueExact());
    } else {
      node.put(key, b);
    }
  }

  /** The CSV header of a trace. */
  public static final String TRACE_HEADER =
      "tick,pipeline,offered_rate,processed_rate,latency_p99_ms,capacity_rate,total_parallelism,"
          + "task_managers,cpu_utilization,cost_so_far,events_so_far,sla_violated,active_faults,"
          + "actions";

  /**
   * Writes one run's tick records as CSV: {@link #TRACE_HEADER}, then one line per record; lists
   * are joined with {@code ;}, and a field with a comma, quote or line break is quoted.
   */
  public static void writeTrace(Path file, ControllerRun run) throws IOException {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write(TRACE_HEADER);
      w.write('\n');
      StringBuilder line = new StringBuilder(256);
      for (TickRecord r : run.ticks()) {
        line.setLength(0);
        line.append(r.tick()).append(',');
        line.append(csv(r.pipelineId())).append(',');
        line.append(Numbers.text(r.offeredRate(), 1, "")).append(',');
        line.append(Numbers.text(r.processedRate(), 1, "")).append(',');
        line.append(Numbers.text(r.latencyP99Ms(), 2, "")).append(',');
        line.append(Numbers.text(r.capacityRate(), 1, "")).append(',');
        line.append(r.totalParallelism()).append(',');
        line.append(r.taskManagers()).append(',');
        line.append(Numbers.text(r.cpuUtilization(), 4, "")).append(',');
        line.append(Numbers.text(r.costSoFar(), 6, "")).append(',');
        line.append(Numbers.text(r.eventsSoFar(), 0, "")).append(',');
        line.append(r.slaViolated()).append(',');
        line.append(csv(String.join(";", r.activeFaultIds()))).append(',');
        line.append(csv(String.join(";", r.actions())));
        line.append('\n');
        w.append(line);
      }
    }
  }

  static String csv(String field) {
    if (field.indexOf(',') < 0
        && field.indexOf('"') < 0
        && field.indexOf('\n') < 0
        && field.indexOf('\r') < 0) {
      return field;
    }
    return '"' + field.replace("\"", "\"\"") + '"';
  }
}
