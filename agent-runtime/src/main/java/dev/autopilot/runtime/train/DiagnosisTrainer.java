package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.recovery.diagnosis.Diagnosis;
import dev.autopilot.agents.recovery.diagnosis.Observation;
import dev.autopilot.agents.recovery.diagnosis.RootCauseModel;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.RuleTable;
import dev.autopilot.agents.recovery.policy.Symptom;
import dev.autopilot.api.FailureMode;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Learns the root-cause network from simulated incidents and scores it on held-out ones: the shared
 * core of {@link DiagnosisTrainingStep} and of the evaluation entry point {@link #main}.
 */
public final class DiagnosisTrainer {

  /** Cut points of a symptom strength: absent below the first, strong from the second. */
  public static final double[] SYMPTOM_CUTS = {0.1, 0.5};

  /** The evidence features of the network. */
  public static List<RootCauseModel.Feature> features() {
    List<RootCauseModel.Feature> out = new ArrayList<>();
    for (Symptom s : Symptom.values()) {
      out.add(new RootCauseModel.Feature(s.name(), SYMPTOM_CUTS));
    }
    out.add(new RootCauseModel.Feature(Observation.CONFIG_CHANGED, new double[] {0.5}));
    out.add(new RootCauseModel.Feature(Observation.HEAP_RISE, new double[] {0.02, 0.05, 0.08}));
    out.add(new RootCauseModel.Feature(Observation.HEAP_USED, new double[] {0.35, 0.5, 0.7}));
    return out;
  }

  /** Learning data from incidents: every sample, healthy ones labelled with no mode. */
  public static List<RootCauseModel.Labelled> labelled(List<IncidentGenerator.Incident> incidents) {
    List<RootCauseModel.Labelled> out = new ArrayList<>();
    for (IncidentGenerator.Incident inc : incidents) {
      for (IncidentGenerator.Sample s : inc.samples()) {
        out.add(new RootCauseModel.Labelled(s.label(), observation(s), 1));
      }
    }
    return out;
  }

  static Observation observation(IncidentGenerator.Sample s) {
    return s.observation();
  }

  /** Scores of one evaluation. */
  public static final class Evaluation {
    final int[][] confusion = new int[15][15];
    final Map<FailureMode, int[]> perMode = new EnumMap<>(FailureMode.class); // n, top1, top3
    int n;
    int top1;
    int top3;
    int rulesTop1;
    int rulesTop3;
    int laterN;
    int laterTop1;
    int laterTop3;
    int laterRulesTop1;
    int healthyN;
    int healthyRight;
    int undetected;
    int incidents;
    double logLoss;

    /** Mean -log P(true cause | evidence) at detection, nats. */
    public double logLoss() {
      return n == 0 ? 0 : logLoss / n;
    }

    public double top1() {
      return n == 0 ? 0 : top1 / (double) n;
    }

    public double top3() {
      return n == 0 ? 0 : top3 / (double) n;
    }

    public double rulesTop1() {
      return n == 0 ? 0 : rulesTop1 / (double) n;
    }

    public double rulesTop3() {
      return n == 0 ? 0 : rulesTop3 / (double) n;
    }

    public double laterTop1() {
      return laterN == 0 ? 0 : laterTop1 / (double) laterN;
    }

    public double laterTop3() {
      return laterN == 0 ? 0 : laterTop3 / (double) laterN;
    }

    public double laterRulesTop1() {
      return laterN == 0 ? 0 : laterRulesTop1 / (double) laterN;
    }

    public double healthyAccuracy() {
      return healthyN == 0 ? 0 : healthyRight / (double) healthyN;
    }

    public int[][] confusion() {
      return confusion;
    }

    /** Headline metrics, for the bundle manifest. */
    public Map<String, Object> metrics() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("incidents", incidents);
      m.put("top1", round(top1()));
      m.put("top3", round(top3()));
      m.put("rules_top1", round(rulesTop1()));
      m.put("rules_top3", round(rulesTop3()));
      m.put("log_loss", round(logLoss()));
      m.put("later_samples", laterN);
      m.put("later_top1", round(laterTop1()));
      m.put("later_top3", round(laterTop3()));
      m.put("later_rules_top1", round(laterRulesTop1()));
      m.put("healthy_samples", healthyN);
      m.put("healthy_accuracy", round(healthyAccuracy()));
      m.put("undetected", undetected);
      return m;
    }

    /** The confusion matrix as rows of counts (true mode to predicted mode), for the manifest. */
    public Map<String, Object> confusionMetrics() {
      Map<String, Object> rows = new LinkedHashMap<>();
      for (FailureMode t : FailureMode.values()) {
        List<Integer> row = new ArrayList<>();
        for (int p = 0; p < 15; p++) {
          row.add(confusion[t.ordinal()][p]);
        }
        rows.put(t.name(), row);
      }
      return rows;
    }

    /** A printable report: headline figures, per-mode counts and the confusion matrix. */
    public String report(String title) {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              Locale.ROOT,
              "%s: %d incidents, at detection top-1 %.3f top-3 %.3f (rule table top-1 %.3f top-3"
                  + " %.3f); later samples %d: top-1 %.3f top-3 %.3f (rule table %.3f); healthy %d:"
                  + " %.3f; undetected %d%n",
              title,
              incidents,
              top1(),
              top3(),
              rulesTop1(),
              rulesTop3(),
              laterN,
              laterTop1(),
              laterTop3(),
              laterRulesTop1(),
              healthyN,
              healthyAccuracy(),
              undetected));
      b.append(
          String.format(
              Locale.ROOT, "%-28s %4s %6s %6s %10s%n", "mode", "n", "top1", "top3", "undetected"));
      for (FailureMode m : FailureMode.values()) {
        int[] c = perMode.getOrDefault(m, new int[4]);
        b.append(
            String.format(
                Locale.ROOT,
                "%-28s %4d %6.3f %6.3f %10d%n",
                m,
                c[0],
                c[0] == 0 ? 0 : c[1] / (double) c[0],
                c[0] == 0 ? 0 : c[2] / (double) c[0],
                c[3]));
      }
      b.append("confusion (rows true, columns predicted, at detection):\n");
      b.append(String.format(Locale.ROOT, "%-5s", ""));
      for (FailureMode p : FailureMode.values()) {
        b.append(String.format(Locale.ROOT, "%5s", abbrev(p)));
      }
      b.append('\n');
      for (FailureMode t : FailureMode.values()) {
        b.append(String.format(Locale.ROOT, "%-5s", abbrev(t)));
        for (int p = 0; p < 15; p++) {
          int c = confusion[t.ordinal()][p];
          b.append(String.format(Locale.ROOT, "%5s", c == 0 ? "." : Integer.toString(c)));
        }
        b.append('\n');
      }
      b.append("abbreviations: ");
      for (FailureMode m : FailureMode.values()) {
        b.append(abbrev(m)).append('=').append(m).append(' ');
      }
      b.append('\n');
      return b.toString();
    }
  }

  static String abbrev(FailureMode m) {
    StringBuilder b = new StringBuilder();
    for (String part : m.name().split("_")) {
      b.append(part, 0, Math.min(2, part.length()));
    }
    return b.substring(0, Math.min(4, b.length()));
  }

  private static double round(double x) {
    return Math.round(x * 10000) / 10000.0;
  }

  /** Scores a model (and the rule table baseline) on incidents. */
  public static Evaluation evaluate(
      RootCauseModel model, List<IncidentGenerator.Incident> incidents) {
    Evaluation e = new Evaluation();
    for (IncidentGenerator.Incident inc : incidents) {
      e.incidents++;
      if (!inc.detected()) {
        e.undetected++;
        e.perMode.computeIfAbsent(inc.mode(), k -> new int[4])[3]++;
      }
      for (IncidentGenerator.Sample s : inc.samples()) {
        Diagnosis d = model.diagnose(model.evidence(observation(s)), false);
        if (s.label() == null) {
          e.healthyN++;
          if (d.healthy() >= 0.5) {
            e.healthyRight++;
          }
          continue;
        }
        boolean t1 = d.best().mode() == s.label();
        boolean t3 = d.inTop(s.label(), 3);
        RuleTable.RankedCause rt = s.rules().top();
        boolean r1 = rt != null && rt.cause() == s.label();
        if (s.atDetection()) {
          e.n++;
          double[] post = model.posterior(model.evidence(observation(s)));
          e.logLoss -= Math.log(Math.max(1e-300, post[1 + s.label().ordinal()]));
          e.top1 += t1 ? 1 : 0;
          e.top3 += t3 ? 1 : 0;
          e.rulesTop1 += r1 ? 1 : 0;
          boolean r3 = false;
          for (int i = 0; i < Math.min(3, s.rules().ranked().size()); i++) {
            r3 |= s.rules().ranked().get(i).cause() == s.label();
          }
          e.rulesTop3 += r3 ? 1 : 0;
          e.confusion[s.label().ordinal()][d.best().mode().ordinal()]++;
          int[] c = e.perMode.computeIfAbsent(s.label(), k -> new int[4]);
          c[0]++;
          c[1] += t1 ? 1 : 0;
          c[2] += t3 ? 1 : 0;
        } else {
          e.laterN++;
          e.laterTop1 += t1 ? 1 : 0;
          e.laterTop3 += t3 ? 1 : 0;
          e.laterRulesTop1 += r1 ? 1 : 0;
        }
      }
    }
    return e;
  }

  /** Incident counts per mode (and cascades), for the report. */
  public static Map<String, Object> counts(List<IncidentGenerator.Incident> incidents) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (FailureMode mode : FailureMode.values()) {
      long n = incidents.stream().filter(i -> i.mode() == mode).count();
      long c =
          incidents.stream().filter(i -> i.mode() == mode && !i.childModes().isEmpty()).count();
      m.put(mode.name(), c == 0 ? n : n + " (" + c + " cascaded)");
    }
    return m;
  }

  /**
   * Runs the diagnosis training step alone, the full evaluation included: {@code DiagnosisTrainer
   * [seed] [weeks] [models-dir]} (defaults 42, 4, {@code models}) writes a new {@code recovery}
   * bundle version holding only the {@code diagnosis} component and prints the test report. {@code
   * DiagnosisTrainer --dump MODE [n] [seed]} prints the symptoms of n incidents of one mode; {@code
   * DiagnosisTrainer --shifted DIR VERSION SEED MILDNESS} scores a saved network on incidents with
   * milder faults than it was trained on.
   */
  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--shifted")) {
      shifted(
          java.nio.file.Path.of(args[1]),
          Integer.parseInt(args[2]),
          Long.parseLong(args[3]),
          Double.parseDouble(args[4]));
      return;
    }
    if (args.length > 0 && args[0].equals("--dump")) {
      dump(
          FailureMode.valueOf(args[1]),
          args.length > 2 ? Integer.parseInt(args[2]) : 5,
          args.length > 3 ? Long.parseLong(args[3]) : 42);
      return;
    }
    long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
    int weeks = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    java.nio.file.Path dir = java.nio.file.Path.of(args.length > 2 ? args[2] : "models");
    int version =
        dev.autopilot.api.model.ModelBundle.latestVersion(dir, "recovery").orElse(0)
            + 1;
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("seed", seed);
    training.put("weeks", weeks);
    dev.autopilot.api.model.ModelBundle.Writer writer =
        dev.autopilot.api.model.ModelBundle.create(dir, "recovery", version, training);
    java.io.PrintWriter err = new java.io.PrintWriter(System.err, true);
    TrainingContext ctx =
        new TrainingContext(
            seed,
            weeks,
            writer,
            java.nio.file.Files.createTempDirectory("diagnosis"),
            err,
            dev.autopilot.runtime.bench.ProgressBar.detectTerminal());
    Map<String, Object> headline = new DiagnosisTrainingStep().train(ctx);
    System.out.println("saved " + writer.commit() + ": " + headline);
  }

  /**
   * Robustness check: scores a trained network on 20 incidents per mode from {@code seed} whose
   * faults are all {@code mildness} of the way to harmless (see {@link IncidentGenerator#milder}),
   * with no severity jitter.
   */
  private static void shifted(java.nio.file.Path dir, int version, long seed, double mildness) {
    Config config = RuntimeConfig.load();
    SimSettings sim = IncidentGenerator.milder(SimSettings.create(config), mildness);
    IncidentGenerator.Settings d = IncidentGenerator.Settings.defaults();
    IncidentGenerator gen =
        new IncidentGenerator(
            sim,
            RecoverySettings.create(config),
            new IncidentGenerator.Settings(
                d.minLeadTicks(),
                d.maxLeadTicks(),
                d.detectStrength(),
                d.maxWaitTicks(),
                d.laterOffsets(),
                d.healthySamples(),
                d.maxStartTick(),
                0));
    List<IncidentGenerator.Incident> test =
        gen.generate(20, seed, dev.autopilot.runtime.bench.ProgressListener.none());
    RootCauseModel model =
        dev.autopilot.agents.recovery.diagnosis.Diagnoser.load(
                dev.autopilot.api.model.ModelBundle.load(dir, "recovery", version))
            .model();
    System.out.print(
        evaluate(model, test)
            .report("faults " + mildness + " milder, seed " + seed + " (" + model + ")"));
  }

  private static void dump(FailureMode mode, int n, long seed) {
    Config config = RuntimeConfig.load();
    IncidentGenerator gen =
        new IncidentGenerator(
            SimSettings.create(config),
            RecoverySettings.create(config),
            IncidentGenerator.Settings.defaults());
    for (int k = 0; k < n; k++) {
      IncidentGenerator.Incident inc = gen.incident("dump-" + k, mode, k % 2 == 1, seed + k);
      if (inc == null) {
        continue;
      }
      for (IncidentGenerator.Sample s : inc.samples()) {
        System.out.printf(
            Locale.ROOT,
            "%s %+d det=%s state=%s rules=%s%n  %s %s%n",
            inc.id(),
            s.ticksAfterInjection(),
            s.atDetection(),
            s.jobState(),
            s.rules().top() == null ? "-" : s.rules().top().label(),
            s.symptoms().present(0.1).stream()
                .map(f -> String.format(Locale.ROOT, "%s %.2f", f.symptom(), f.strength()))
                .toList(),
            s.observation().extras());
      }
    }
  }
}
