package dev.autopilot.runtime.bench;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The paper's table of one bench scenario: one row per figure, one column per controller, the best
 * value of each row marked whichever controller has it. A row's best is compared on the value as
 * shown (rounded to the row's decimals); no value is marked when fewer than two controllers have
 * one or when all shown values are equal.
 */
public final class BenchTable {

  /** The marker appended to the best value of a row on the console. */
  public static final String BEST_MARK = "*";

  /** Which way a row's figure is better. */
  public enum Better {
    LOWER,
    HIGHER
  }

  /**
   * One row: a figure of {@link Score#FIELDS} and which way it is better.
   *
   * @param field the figure (its key and label are results.json's)
   * @param better which way is better
   */
  public record Row(Score.Field field, Better better) {}

  /**
   * The rows, in the paper's order: SLA violation rate and the average violation duration, MTTD and
   * MTTR, auto-recovery, CPU and memory utilisation (higher is better: less idle capacity paid
   * for), cost per million events and the monthly cost by part, configuration changes, rollbacks
   * and manual interventions, then the faults detected.
   */
  public static final List<Row> ROWS =
      List.of(
          row("sla_violation_pct", Better.LOWER),
          row("avg_violation_minutes", Better.LOWER),
          row("violation_minutes", Better.LOWER),
          row("mttd_seconds", Better.LOWER),
          row("mttr_seconds", Better.LOWER),
          row("auto_recovery_pct", Better.HIGHER),
          row("cpu_utilization_pct", Better.HIGHER),
          row("memory_utilization_pct", Better.HIGHER),
          row("cost_per_million_events", Better.LOWER),
          row("monthly_cost_compute", Better.LOWER),
          row("monthly_cost_storage", Better.LOWER),
          row("monthly_cost_network", Better.LOWER),
          row("config_changes", Better.LOWER),
          row("rollbacks", Better.LOWER),
          row("manual_interventions", Better.LOWER),
          row("faults_detected", Better.HIGHER));

  private BenchTable() {}

  private static Row row(String key, Better better) {
    Map<String, Score.Field> byKey =
        Score.FIELDS.stream().collect(Collectors.toMap(Score.Field::key, Function.identity()));
    Score.Field f = byKey.get(key);
    if (f == null) {
      throw new IllegalStateException("no score field " + key);
    }
    return new Row(f, better);
  }

  /** The indexes (into {@code scores}) of the best value of {@code row}; empty when none is. */
  public static Set<Integer> best(List<Score> scores, Row row) {
    List<BigDecimal> shown = new ArrayList<>();
    for (Score s : scores) {
      shown.add(Numbers.fixed(row.field().value().apply(s), row.field().decimals()));
    }
    Optional<BigDecimal> top =
        shown.stream()
            .filter(v -> v != null)
            .reduce(
                (a, b) ->
                    (row.better() == Better.LOWER ? a.compareTo(b) <= 0 : a.compareTo(b) >= 0)
                        ? a
                        : b);
    Set<Integer> out = new TreeSet<>();
    if (top.isEmpty()
        || shown.stream().filter(v -> v != null).count() < 2
        || shown.stream().filter(v -> v != null).allMatch(v -> v.compareTo(top.get()) == 0)) {
      return out;
    }
    for (int i = 0; i < shown.size(); i++) {
      if (shown.get(i) != null && shown.get(i).compareTo(top.get()) == 0) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * The labels of the rows on which a controller other than {@code agents} is strictly best (the
   * agents not among the best), each with the controllers that are; empty when {@code agents} did
   * not run.
   */
  public static List<String> baselinesAhead(List<Score> scores) {
    int agents = -1;
    for (int i = 0; i < scores.size(); i++) {
      if (scores.get(i).controller() == ControllerKind.AGENTS) {
        agents = i;
      }
    }
    List<String> out = new ArrayList<>();
    if (agents < 0) {
      return out;
    }
    for (Row row : ROWS) {
      Set<Integer> best = best(scores, row);
      if (!best.isEmpty() && !best.contains(agents)) {
        out.add(
            row.field().label()
                + " ("
                + best.stream()
                    .map(i -> scores.get(i).controller().id())
                    .collect(Collectors.joining(", "))
                + ")");
      }
    }
    return out;
  }

  /**
   * The table as text, lines ended by {@code \n}: a title line with the scenario's seed, duration,
   * tick and the software version, the rows with the best value of each marked {@value #BEST_MARK},
   * a legend, and the rows where a baseline beats the agents.
   */
  public static String render(
      String scenario,
      long seed,
      double days,
      long ticks,
      int tickSeconds,
      String version,
      List<Score> scores) {
    StringBuilder sb = new StringBuilder();
    sb.append(title(scenario, seed, days, ticks, tickSeconds, version)).append('\n');
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[scores.size() + 1];
    header[0] = "metric";
    for (int i = 0; i < scores.size(); i++) {
      header[i + 1] = scores.get(i).controller().id();
    }
    rows.add(header);
    for (Row row : ROWS) {
      Set<Integer> best = best(scores, row);
      String[] line = new String[scores.size() + 1];
      line[0] = row.field().label() + (row.better() == Better.LOWER ? " (v)" : " (^)");
      for (int i = 0; i < scores.size(); i++) {
        line[i + 1] =
            Numbers.text(row.field().value().apply(scores.get(i)), row.field().decimals(), "n/a")
                + (best.contains(i) ? BEST_MARK : " ");
      }
      rows.add(line);
    }
    sb.append(ConsoleTable.layout(rows));
    sb.append(BEST_MARK)
        .append(" best of the row, whichever controller has it; (v) lower is better, (^) higher")
        .append('\n');
    List<String> ahead = baselinesAhead(scores);
    if (!ahead.isEmpty()) {
      sb.append("A baseline beats the agents on: ").append(String.join("; ", ahead)).append('\n');
    }
    return sb.toString();
  }

  /** The title of a scenario's table: its name, seed, duration, tick and the software version. */
  public static String title(
      String scenario, long seed, double days, long ticks, int tickSeconds, String version) {
    return "Scenario "
        + scenario
        + ": seed "
        + seed
        + ", "
        + BigDecimal.valueOf(days).stripTrailingZeros().toPlainString()
        + " days ("
        + ticks
        + " ticks of "
        + tickSeconds
        + " s), autopilot "
        + version;
  }
}
