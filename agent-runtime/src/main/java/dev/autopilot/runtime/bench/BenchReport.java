package dev.autopilot.runtime.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The output of {@code bench}, built scenario by scenario so that a scenario's tick records can be
 * dropped once it is added (a 42-day run of five controllers holds millions of them):
 *
 * <ul>
 *   <li>{@code bench.json}: {@code {"software_version": V, "scenarios": {S: {"seed", "days",
 *       "tick_seconds", "ticks", "software_version", "wall_seconds", "warnings", "scenario": {...
 *       as in results.json ...}, "controllers": {C: {... the figures of results.json ...}}}}}};
 *   <li>{@code bench.html}: per scenario, its parameters, the table with the best value of each row
 *       marked, and {@link ReportWriter}'s charts of every controller.
 * </ul>
 */
public final class BenchReport {

  /** File names. */
  public static final String JSON = "bench.json";

  public static final String HTML = "bench.html";

  private final ReportWriter charts;
  private final String version;
  private final ObjectNode root = ResultsWriter.NODES.objectNode();
  private final ObjectNode scenarios;
  private final List<String> sections = new ArrayList<>();
  private final List<String> tables = new ArrayList<>();

  /**
   * @param maxPointsPerSeries the charts' series length ({@link ReportWriter})
   * @param version the software version, stated with every table
   */
  public BenchReport(int maxPointsPerSeries, String version) {
    this.charts = new ReportWriter(maxPointsPerSeries);
    this.version = version;
    root.put("software_version", version);
    scenarios = root.putObject("scenarios");
  }

  /**
   * Adds one scenario's runs, scored.
   *
   * @param warnings what {@link ControllerSweep#checkSchedule} found (empty when every controller
   *     faced the same workload and faults)
   * @param wallSeconds wall-clock time of the scenario's runs
   */
  public void add(
      Scenario scenario,
      List<ControllerRun> runs,
      List<Score> scores,
      List<String> warnings,
      double wallSeconds) {
    String name = scenario.name() == null ? "plain" : scenario.name();
    ObjectNode s = scenarios.putObject(name);
    s.put("seed", scenario.seed());
    s.put("days", BigDecimal.valueOf(scenario.days()).stripTrailingZeros());
    s.put("tick_seconds", scenario.tickSeconds());
    s.put("ticks", scenario.totalTicks());
    s.put("software_version", version);
    ResultsWriter.putNumber(s, "wall_seconds", wallSeconds, 1);
    ArrayNode w = s.putArray("warnings");
    warnings.forEach(w::add);
    s.set("scenario", ResultsWriter.scenarioNode(scenario, runs));
    ObjectNode controllers = s.putObject("controllers");
    for (Score score : scores) {
      OptimizerCounts optimizer =
          runs.stream()
              .filter(r -> r.controller() == score.controller())
              .map(ControllerRun::optimizer)
              .findFirst()
              .orElse(OptimizerCounts.NONE);
      controllers.set(
          score.controller().id(), ResultsWriter.controllerNode(score, optimizer, true));
    }
    tables.add(
        BenchTable.render(
            name,
            scenario.seed(),
            scenario.days(),
            scenario.totalTicks(),
            scenario.tickSeconds(),
            version,
            scores));
    sections.add(section(name, scenario, runs, scores, warnings));
  }

  /** The console tables of the scenarios added, in order. */
  public List<String> tables() {
    return List.copyOf(tables);
  }

  /** The bench.json document. */
  public String json() {
    return ResultsWriter.text(root);
  }

  /** The bench.html document. */
  public String html() {
    StringBuilder h = new StringBuilder(1 << 20);
    ReportWriter.head(h, "Flink Autopilot benchmark");
    h.append("<p>Software version ")
        .append(ReportWriter.esc(version))
        .append(". Every controller of a scenario faced the same seeded workload and the same")
        .append(" fault schedule; the figures come from the simulator's ground truth. The best")
        .append(" value of each row is in bold, whichever controller has it.</p>\n");
    h.append("<ul>\n");
    for (String name : scenarioNames()) {
      h.append("<li><a href=\"#scenario-")
          .append(ReportWriter.esc(name))
          .append("\">")
          .append(ReportWriter.esc(name))
          .append("</a></li>\n");
    }
    h.append("</ul>\n");
    sections.forEach(h::append);
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** Writes {@code dir/bench.json} and {@code dir/bench.html} (dir created if missing). */
  public List<Path> write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve(JSON);
    Files.writeString(json, json(), StandardCharsets.UTF_8);
    Path html = dir.resolve(HTML);
    Files.writeString(html, html(), StandardCharsets.UTF_8);
    return List.of(json, html);
  }

  private List<String> scenarioNames() {
    List<String> names = new ArrayList<>();
    scenarios.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private String section(
      String name,
      Scenario scenario,
      List<ControllerRun> runs,
      List<Score> scores,
      List<String> warnings) {
    StringBuilder h = new StringBuilder(1 << 18);
    h.append("<section id=\"scenario-")
        .append(ReportWriter.esc(name))
        .append("\" class=\"scenario\">\n<h2>")
        .append(
            ReportWriter.esc(
                BenchTable.title(
                    name,
                    scenario.seed(),
                    scenario.days(),
                    scenario.totalTicks(),
                    scenario.tickSeconds(),
                    version)))
        .append("</h2>\n");
    h.append("<p>Workload ")
        .append(ReportWriter.esc(scenario.workload()))
        .append(", ")
        .append(scenario.faults())
        .append(" planned faults, ")
        .append(scenario.pipelines())
        .append(" pipeline(s).</p>\n");
    for (String warning : warnings) {
      h.append("<p><strong>Warning:</strong> ").append(ReportWriter.esc(warning)).append("</p>\n");
    }
    h.append("<table>\n<tr><th>metric</th>");
    for (Score s : scores) {
      h.append("<th>").append(ReportWriter.esc(s.controller().id())).append("</th>");
    }
    h.append("</tr>\n");
    for (BenchTable.Row row : BenchTable.ROWS) {
      Set<Integer> best = BenchTable.best(scores, row);
      h.append("<tr><td>")
          .append(ReportWriter.esc(row.field().label()))
          .append(
              row.better() == BenchTable.Better.LOWER
                  ? " (lower is better)"
                  : " (higher is better)")
          .append("</td>");
      for (int i = 0; i < scores.size(); i++) {
        h.append(best.contains(i) ? "<td class=\"best\">" : "<td>")
            .append(
                Numbers.text(
                    row.field().value().apply(scores.get(i)), row.field().decimals(), "n/a"))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
    List<String> ahead = BenchTable.baselinesAhead(scores);
    if (!ahead.isEmpty()) {
      h.append("<p>A baseline beats the agents on: ")
          .append(ReportWriter.esc(String.join("; ", ahead)))
          .append("</p>\n");
    }
    charts.comparison(h, runs);
    charts.charts(h, runs, 3);
    h.append("</section>\n");
    return h.toString();
  }
}
