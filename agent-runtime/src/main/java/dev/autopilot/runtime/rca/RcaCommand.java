package dev.autopilot.runtime.rca;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autopilot.agents.recovery.rca.RcaSettings;
import dev.autopilot.agents.recovery.rca.RootCauseRanker;
import dev.autopilot.runtime.Main;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot rca --petshop DIR [--json]}: ranks the services of each PetShop incident as
 * root-cause candidates from the metrics and the call graph only, and scores the ranking against
 * the labelled root cause (top-1, top-3).
 */
@Command(
    name = "rca",
    mixinStandardHelpOptions = true,
    description =
        "Rank root-cause candidates of labelled service incidents (PetShop layout) from metrics"
            + " and the call graph, and report top-1 / top-3 accuracy.")
public final class RcaCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--petshop", required = true, description = "PetShop dataset folder.")
  Path petshop;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(
      names = "--top",
      defaultValue = "5",
      description = "Candidates listed per issue (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--no-baseline",
      description = "Ignore noissue/metrics.csv (every scenario as if it had none).")
  boolean noBaseline;

  @Option(
      names = "--loso",
      description =
          "Also estimate generalisation: for each scenario, pick the ranking knobs on the other"
              + " scenarios from a coarse grid and score the held-out one.")
  boolean loso;

  static final double[] THRESHOLDS = {2.5, 3.0, 4.0};
  static final double[] WIDTHS = {0.7, 1.0, 1.5};
  static final double[] ANCESTOR_WEIGHTS = {0.5, 1.0, 2.0};
  static final double[] EXPLAIN_RATIOS = {0.5, 1.0, 2.0};

  @Override
  public Integer call() throws Exception {
    if (top < 1) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--top must be >= 1");
    }
    RcaSettings settings = RcaSettings.create(Main.loadConfig());
    PetShopDataset data = PetShopDataset.load(petshop, settings, !noBaseline);
    List<PetShopDataset.Ranked> ranked = data.rank(settings);
    Map<String, Object> report = summary(ranked);
    if (loso) {
      report.put("loso", loso(data, settings));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> per = new ArrayList<>();
      for (PetShopDataset.Ranked r : ranked) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", r.issue().scenario());
        m.put("issue", r.issue().issue());
        m.put("true_node", r.issue().trueNode());
        m.put("true_rank", r.truePosition() < 0 ? null : r.truePosition() + 1);
        List<Map<String, Object>> cands = new ArrayList<>();
        for (RootCauseRanker.Candidate c :
            r.candidates().subList(0, Math.min(top, r.candidates().size()))) {
          Map<String, Object> cm = new LinkedHashMap<>();
          cm.put("node", c.node());
          cm.put("score", round(c.score()));
          cands.add(cm);
        }
        m.put("candidates", cands);
        per.add(m);
      }
      report.put("per_issue", per);
      out.println(
          new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report));
    } else {
      printTable(out, ranked, report);
    }
    out.flush();
    return 0;
  }

  private static Map<String, Object> summary(List<PetShopDataset.Ranked> ranked) {
    List<PetShopDataset.Ranked> labelled =
        ranked.stream().filter(r -> r.issue().trueNode() != null).toList();
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("issues", labelled.size());
    report.put("top1", round(rate(labelled, 1)));
    report.put("top3", round(rate(labelled, 3)));
    Map<String, Object> per = new LinkedHashMap<>();
    for (String sc : new TreeSet<>(labelled.stream().map(r -> r.issue().scenario()).toList())) {
      List<PetShopDataset.Ranked> s =
          labelled.stream().filter(r -> r.issue().scenario().equals(sc)).toList();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("issues", s.size());
      m.put("top1", round(rate(s, 1)));
      m.put("top3", round(rate(s, 3)));
      per.put(sc, m);
    }
    report.put("per_scenario", per);
    return report;
  }

  /** Leave-one-scenario-out over the ranking knobs' grid. */
  static Map<String, Object> loso(PetShopDataset data, RcaSettings base) {
    List<double[]> grid = new ArrayList<>();
    for (double t : THRESHOLDS) {
      for (double w : WIDTHS) {
        for (double l : ANCESTOR_WEIGHTS) {
          for (double r : EXPLAIN_RATIOS) {
            grid.add(new double[] {t, w, l, r});
          }
        }
      }
    }
    List<List<PetShopDataset.Ranked>> results = new ArrayList<>();
    for (double[] g : grid) {
      results.add(
          data.rank(base.withRanking(g[0], g[1], g[2], g[3])).stream()
              .filter(r -> r.issue().trueNode() != null)
              .toList());
    }
    List<String> scenarios =
        new ArrayList<>(
            new TreeSet<>(data.issues().stream().map(PetShopDataset.Issue::scenario).toList()));
    int hits1 = 0;
    int hits3 = 0;
    int n = 0;
    Map<String, Object> folds = new LinkedHashMap<>();
    for (String held : scenarios) {
      int best = 0;
      double bestScore = -1;
      for (int g = 0; g < grid.size(); g++) {
        List<PetShopDataset.Ranked> train =
            results.get(g).stream().filter(r -> !r.issue().scenario().equals(held)).toList();
        double s = rate(train, 1) + rate(train, 3);
        if (s > bestScore + 1e-12) {
          bestScore = s;
          best = g;
        }
      }
      List<PetShopDataset.Ranked> test =
          results.get(best).stream().filter(r -> r.issue().scenario().equals(held)).toList();
      for (PetShopDataset.Ranked r : test) {
        hits1 += r.hit(1) ? 1 : 0;
        hits3 += r.hit(3) ? 1 : 0;
        n++;
      }
      Map<String, Object> fold = new LinkedHashMap<>();
      fold.put("chosen", Arrays.toString(grid.get(best)));
      fold.put("issues", test.size());
      fold.put("top1", round(rate(test, 1)));
      fold.put("top3", round(rate(test, 3)));
      folds.put(held, fold);
    }
    double[] top1s = results.stream().mapToDouble(r -> rate(r, 1)).sorted().toArray();
    double[] top3s = results.stream().mapToDouble(r -> rate(r, 3)).sorted().toArray();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(
        "grid", "threshold x width x ancestor-weight x explain-ratio, " + grid.size() + " points");
    out.put("top1", round(n == 0 ? 0 : (double) hits1 / n));
    out.put("top3", round(n == 0 ? 0 : (double) hits3 / n));
    out.put("folds", folds);
    out.put(
        "grid_top1_min_median_max",
        List.of(round(top1s[0]), round(top1s[top1s.length / 2]), round(top1s[top1s.length - 1])));
    out.put(
        "grid_top3_min_median_max",
        List.of(round(top3s[0]), round(top3s[top3s.length / 2]), round(top3s[top3s.length - 1])));
    return out;
  }

  private static void printTable(
      PrintWriter out, List<PetShopDataset.Ranked> ranked, Map<String, Object> report) {
    out.printf(
        Locale.ROOT,
        "%-18s %-16s %-44s %5s  %s%n",
        "scenario",
        "issue",
        "true root cause",
        "rank",
        "top candidates");
    for (PetShopDataset.Ranked r : ranked) {
      StringBuilder c = new StringBuilder();
      for (RootCauseRanker.Candidate k :
          r.candidates().subList(0, Math.min(3, r.candidates().size()))) {
        c.append(String.format(Locale.ROOT, "%s (%.2f)  ", k.node(), k.score()));
      }
      out.printf(
          Locale.ROOT,
          "%-18s %-16s %-44s %5s  %s%n",
          r.issue().scenario(),
          r.issue().issue(),
          r.issue().trueNode() == null ? "?" : r.issue().trueNode(),
          r.truePosition() < 0 ? "-" : String.valueOf(r.truePosition() + 1),
          c.toString().trim());
    }
    out.println();
    out.printf(
        Locale.ROOT,
        "issues %s  top-1 %s  top-3 %s%n",
        report.get("issues"),
        report.get("top1"),
        report.get("top3"));
    @SuppressWarnings("unchecked")
    Map<String, Object> per = (Map<String, Object>) report.get("per_scenario");
    per.forEach((k, v) -> out.println("  " + k + ": " + v));
    if (report.containsKey("loso")) {
      out.println("leave-one-scenario-out: " + report.get("loso"));
    }
  }

  private static double rate(List<PetShopDataset.Ranked> rs, int k) {
    if (rs.isEmpty()) {
      return 0;
    }
    return rs.stream().filter(r -> r.hit(k)).count() / (double) rs.size();
  }

  private static double round(double x) {
    return Math.round(x * 1000) / 1000.0;
  }
}
