package dev.autopilot.runtime.rca;

import dev.autopilot.agents.recovery.rca.AnomalyScorer;
import dev.autopilot.agents.recovery.rca.IncidentWindow;
import dev.autopilot.agents.recovery.rca.NodeAnomaly;
import dev.autopilot.agents.recovery.rca.NodeSeries;
import dev.autopilot.agents.recovery.rca.RcaSettings;
import dev.autopilot.agents.recovery.rca.RootCauseRanker;
import dev.autopilot.agents.recovery.rca.ServiceGraph;
import dev.autopilot.agents.recovery.rca.SymptomKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The issues of a PetShop dataset folder ({@code SCENARIO/graph.csv}, optional {@code
 * SCENARIO/noissue/metrics.csv}, {@code SCENARIO/*}{@code /issue_N/{metrics.csv,target.json}}),
 * loaded once, with each issue's per-service anomalies precomputed so rankings with different knobs
 * are cheap.
 */
public final class PetShopDataset {

  /**
   * One loaded issue.
   *
   * @param scenario scenario folder name
   * @param issue issue path below the scenario (for example {@code test/issue_3})
   * @param graph the scenario's call graph
   * @param window the issue's metrics with the alarm time and kind
   * @param anomalies per-service anomaly scores
   * @param trueNode the labelled root cause (scoring only; null when unlabelled)
   */
  public record Issue(
      String scenario,
      String issue,
      ServiceGraph graph,
      IncidentWindow window,
      Map<String, NodeAnomaly> anomalies,
      String trueNode) {}

  private final List<Issue> issues;

  private PetShopDataset(List<Issue> issues) {
    this.issues = List.copyOf(issues);
  }

  public List<Issue> issues() {
    return issues;
  }

  /**
   * Loads every issue under {@code root}.
   *
   * @param root dataset folder
   * @param settings anomaly scoring settings
   * @param useBaseline whether {@code noissue/metrics.csv} calibrates the scores when present
   */
  public static PetShopDataset load(Path root, RcaSettings settings, boolean useBaseline)
      throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": not a directory");
    }
    AnomalyScorer scorer = new AnomalyScorer(settings);
    List<Issue> out = new ArrayList<>();
    List<Path> scenarios;
    try (Stream<Path> s = Files.list(root)) {
      scenarios = s.filter(p -> Files.isRegularFile(p.resolve("graph.csv"))).sorted().toList();
    }
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException(root + ": no SCENARIO/graph.csv below it");
    }
    for (Path sc : scenarios) {
      ServiceGraph graph = PetShopReader.readGraph(sc.resolve("graph.csv"));
      Path basePath = sc.resolve("noissue").resolve("metrics.csv");
      Map<String, NodeSeries> baseline =
          useBaseline && Files.isRegularFile(basePath)
              ? PetShopReader.toSeries(PetShopReader.readMetrics(basePath))
              : Map.of();
      List<Path> dirs;
      try (Stream<Path> s = Files.walk(sc, 2)) {
        dirs =
            s.filter(p -> p.getFileName().toString().startsWith("issue_"))
                .filter(p -> Files.isRegularFile(p.resolve("metrics.csv")))
                .sorted(Comparator.comparing(Path::toString))
                .toList();
      }
      for (Path d : dirs) {
        PetShopReader.MetricsTable t = PetShopReader.readMetrics(d.resolve("metrics.csv"));
        Path tf = d.resolve("target.json");
        PetShopReader.Target target =
            Files.isRegularFile(tf)
                ? PetShopReader.readTarget(tf)
                : new PetShopReader.Target("", "", Double.NaN, null);
        IncidentWindow w =
            new IncidentWindow(
                t.timestamps(),
                PetShopReader.toSeries(t),
                target.alarmTime(),
                kindOf(target.alarmMetric()));
        out.add(
            new Issue(
                sc.getFileName().toString(),
                sc.relativize(d).toString().replace('\\', '/'),
                graph,
                w,
                scorer.score(w, baseline),
                target.rootCause()));
      }
    }
    return new PetShopDataset(out);
  }

  /** The alarm kind of a target metric name. */
  static Optional<SymptomKind> kindOf(String metric) {
    return switch (metric) {
      case "latency" -> Optional.of(SymptomKind.LATENCY);
      case "availability" -> Optional.of(SymptomKind.AVAILABILITY);
      case "requests" -> Optional.of(SymptomKind.REQUESTS);
      default -> Optional.empty();
    };
  }

  /** Ranks every issue with the given settings. */
  public List<Ranked> rank(RcaSettings settings) {
    RootCauseRanker ranker = new RootCauseRanker(settings);
    List<Ranked> out = new ArrayList<>();
    for (Issue i : issues) {
      List<RootCauseRanker.Candidate> r =
          ranker.rank(i.graph(), i.anomalies(), i.window().alarmKind());
      int pos = -1;
      for (int k = 0; k < r.size(); k++) {
        if (r.get(k).node().equals(i.trueNode())) {
          pos = k;
          break;
        }
      }
      out.add(new Ranked(i, r, pos));
    }
    return out;
  }

  /**
   * One ranked issue.
   *
   * @param issue the issue
   * @param candidates every node, best first
   * @param truePosition 0-based rank of the true node; -1 when unlabelled or not in the graph
   */
  public record Ranked(Issue issue, List<RootCauseRanker.Candidate> candidates, int truePosition) {
    public boolean hit(int k) {
      return truePosition >= 0 && truePosition < k;
    }
  }
}
