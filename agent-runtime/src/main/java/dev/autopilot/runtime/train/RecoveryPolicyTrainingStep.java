package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.learn.LearnedRecoveryPolicy;
import dev.autopilot.agents.recovery.learn.PolicyMetrics;
import dev.autopilot.agents.recovery.learn.QLearning;
import dev.autopilot.agents.recovery.learn.QTable;
import dev.autopilot.agents.recovery.learn.RecoveryOption;
import dev.autopilot.agents.recovery.learn.RecoveryPolicyModel;
import dev.autopilot.agents.recovery.learn.RecoveryPolicySelector;
import dev.autopilot.agents.recovery.learn.RecoveryState;
import dev.autopilot.agents.recovery.policy.LadderChooser;
import dev.autopilot.agents.recovery.policy.RecoveryActionChooser;
import dev.autopilot.agents.recovery.policy.RecoveryLadder;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Trains the learned recovery policy (tabular Q-learning) in the simulator, compares it with the
 * fixed ladder on the same held-out faults, and records the winner in the bundle component {@value
 * RecoveryPolicySelector#COMPONENT}.
 *
 * <ul>
 *   <li>Training: {@code 25 * weeks} episodes per failure mode (every mode of {@link FailureMode}),
 *       one injected fault each, on training seeds; ε-greedy with ε decaying from 0.3 to 0.02, and
 *       every admissible option tried once per state first. The diagnosis the policy acts on is the
 *       rule table's, with its real confusion.
 *   <li>Reward per decision: minus the minutes until the next decision (or the repair, or the
 *       horizon), minus {@value #FAILED_PENALTY} for an action that did not repair the fault, plus
 *       {@value #SUCCESS_BONUS} for the action that repaired it within the bound.
 *   <li>Inference: greedy, deviating from the ladder's rung only where the best option was visited
 *       at least {@value #MIN_VISITS} times, as was the ladder's, and beats it by more than {@value
 *       #MARGIN} (safe policy improvement with baseline bootstrapping).
 *   <li>Validation (decides) and test (reported only): {@value #VALIDATION_PER_MODE} faults per
 *       mode each, on seeds disjoint from training and from each other; both choosers see exactly
 *       the same faults (same seed: same load, same target, same timing).
 * </ul>
 *
 * <p>Action durations come from the simulator ({@code autopilot.simulation.actions} and pod/node
 * start times), unchanged: L1 task restart or buffer expansion 10-15 s, reconnect 5-10 s; L2
 * redeploy, checkpoint restore or rescale a job restart of 10-15 s plus state restore, plus 45-75 s
 * when pods must start (redistribute, more TaskManagers); L3 full restart 90-150 s plus restore,
 * drain a node pod start plus restart, fail over 180-300 s plus restore. The step prints the
 * measured mean time to settle per action type (seed 42: restart task 20 s, reconnect 10 s,
 * redeploy 30 s, restore 30 s, redistribute ~78 s, scale TaskManagers ~94 s, full restart ~137 s,
 * fail over ~333 s, at the 10 s tick granularity).
 */
public final class RecoveryPolicyTrainingStep implements TrainingStep {
  static final double FAILED_PENALTY = 2.0;
  static final double SUCCESS_BONUS = 20.0;
  static final double TIME_COST_PER_MINUTE = 1.0;
  static final int VALIDATION_PER_MODE = 20;
  static final int EPISODES_PER_MODE_PER_WEEK = 25;
  static final int MAX_STAGES = 4;
  static final int MIN_VISITS = 5;
  static final double MARGIN = 1.0;
  static final double EPSILON_START = 0.3;
  static final double EPSILON_END = 0.02;

  private final Config config;

  public RecoveryPolicyTrainingStep() {
    this(ConfigFactory.load());
  }

  RecoveryPolicyTrainingStep(Config config) {
    this.config = config;
  }

  @Override
  public String name() {
    return "recovery-policy";
  }

  @Override
  public Map<String, Object> train(TrainingContext ctx) throws Exception {
    SimSettings sim = SimSettings.create(config);
    RecoverySettings rs = RecoverySettings.create(config);
    SlaSpec sla = PipelineSlas.of(config, List.of("p1")).get("p1");
    RecoveryEpisodes episodes =
        new RecoveryEpisodes(sim, rs, sla, RecoveryEpisodes.Settings.defaults());
    FailureMode[] modes = FailureMode.values();
    int total = EPISODES_PER_MODE_PER_WEEK * ctx.weeks() * modes.length;
    Trained t = train(episodes, rs, ctx.seed(), total, ctx.progress(name() + ": Q-learning", "episodes"));

    Comparison val =
        compare(episodes, rs, t.policy(), ctx.seed(), 2, ctx.progress(name() + ": validation", "faults"));
    Comparison test =
        compare(episodes, rs, t.policy(), ctx.seed(), 3, ctx.progress(name() + ": test", "faults"));
    String chosen = RecoveryPolicySelector.choose(val.learned(), val.ladder());

    RecoveryPolicyModel model =
        RecoveryPolicyModel.of(chosen, val.learned(), val.ladder(), t.policy());
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("learned", val.learned().asMap());
    metrics.put("ladder", val.ladder().asMap());
    metrics.put("chosen", chosen);
    metrics.put("test", Map.of("learned", test.learned().asMap(), "ladder", test.ladder().asMap()));
    metrics.put("trainingEpisodes", total);
    metrics.put("qEntries", t.policy().table().size());
    metrics.put("validationDiagnosisTop1", val.diagnosisTop1());
    metrics.put("validationDetected", val.detected());
    metrics.put("actionSeconds", val.actionSeconds());
    ctx.bundle()
        .put(
            RecoveryPolicySelector.COMPONENT,
            "recovery-policy.json",
            RecoveryPolicyModel.SCHEMA,
            metrics,
            model::write);
    ctx.err().println(name() + ": validation (" + val.learned().faults() + " faults)");
    ctx.err().print(table(val));
    ctx.err().println(name() + ": test (" + test.learned().faults() + " faults)");
    ctx.err().print(table(test));
    ctx.err().println(name() + ": per true mode, validation, learned/ladder:");
    val.perMode().forEach((m, v) -> ctx.err().println("  " + m + " " + v));
    ctx.err()
        .println(
            name() + ": stage 0, ladder rung vs best learned option (* = the policy deviates):");
    ctx.err().print(firstActions(t.policy(), rs));
    ctx.err().println(name() + ": chosen " + chosen);
    ctx.err().flush();
    Map<String, Object> headline = new LinkedHashMap<>();
    headline.put("chosen", chosen);
    headline.put("learned", val.learned().asMap());
    headline.put("ladder", val.ladder().asMap());
    headline.put("testLearned", test.learned().asMap());
    headline.put("testLadder", test.ladder().asMap());
    return headline;
  }

  /** The trained policy. */
  record Trained(LearnedRecoveryPolicy policy, int decisions) {}

  /** Q-learning over {@code total} episodes cycling through the failure modes. */
  static Trained train(
      RecoveryEpisodes episodes,
      RecoverySettings rs,
      long seed,
      int total,
      ProgressListener progress) {
    RecoveryLadder ladder = new RecoveryLadder(rs);
    QTable table = new QTable();
    LearnedRecoveryPolicy policy =
        new LearnedRecoveryPolicy(table, ladder, MAX_STAGES, MIN_VISITS, MARGIN);
    QLearning q = new QLearning(table, QLearning.Settings.defaults());
    FailureMode[] modes = FailureMode.values();
    SplittableRandom rnd = new SplittableRandom(seedOf(seed, 1, -1));
    int decisions = 0;
    for (int i = 0; i < total; i++) {
      double frac = total <= 1 ? 1 : i / (double) (total - 1);
      double eps = EPSILON_START + (EPSILON_END - EPSILON_START) * frac;
      ExploringChooser chooser = new ExploringChooser(policy, rnd.split(), eps);
      FailureMode mode = modes[i % modes.length];
      RecoveryEpisodes.Result r = episodes.run(seedOf(seed, 1, i), mode, chooser);
      List<LearnedRecoveryPolicy.Decision> made =
          chooser.decisions.subList(r.falseAlarmActions(), chooser.decisions.size());
      List<QLearning.Transition> ts = transitions(r, made, episodes.settings());
      q.learnEpisode(ts);
      decisions += ts.size();
      progress.onProgress(i + 1, total);
    }
    if (progress instanceof dev.autopilot.runtime.bench.ProgressBar bar) {
      bar.finish();
    }
    return new Trained(policy, decisions);
  }

  /** The rewarded transitions of one episode (decisions after the injection only). */
  static List<QLearning.Transition> transitions(
      RecoveryEpisodes.Result r,
      List<LearnedRecoveryPolicy.Decision> decisions,
      RecoveryEpisodes.Settings s) {
    List<QLearning.Transition> out = new ArrayList<>();
    int m = Math.min(decisions.size(), r.attempts().size());
    for (int k = 0; k < m; k++) {
      long start = r.attempts().get(k).tick();
      boolean last = k == m - 1;
      long end;
      if (!last) {
        end = r.attempts().get(k + 1).tick();
      } else {
        end = r.resolvedTick() >= 0 ? r.resolvedTick() : r.endTick();
      }
      double minutes = Math.max(0, end - start) * 10.0 / 60.0;
      double reward = -TIME_COST_PER_MINUTE * minutes;
      boolean repaired = last && r.resolvedByAction();
      if (!repaired) {
        reward -= FAILED_PENALTY;
      } else if (r.autoRecovered(s)) {
        reward += SUCCESS_BONUS;
      }
      LearnedRecoveryPolicy.Decision d = decisions.get(k);
      RecoveryState next = last ? null : decisions.get(k + 1).state();
      out.add(
          new QLearning.Transition(
              d.state(),
              d.option(),
              reward,
              next,
              last ? java.util.Set.of() : decisions.get(k + 1).admissible()));
    }
    return out;
  }

  /**
   * Both choosers on the same faults.
   *
   * @param learned metrics of the learned policy (greedy)
   * @param ladder metrics of the fixed ladder
   * @param diagnosisTop1 share of faults whose first incident named the true cause
   * @param actionSeconds mean seconds until an executed action settled, per action type
   * @param perMode per true mode: auto-recovered, MTTR and failed attempts (learned/ladder) and the
   *     causes diagnosed at the first incident
   * @param detected faults for which an incident opened (ladder run)
   */
  record Comparison(
      PolicyMetrics learned,
      PolicyMetrics ladder,
      double diagnosisTop1,
      int detected,
      Map<String, Double> actionSeconds,
      Map<FailureMode, String> perMode) {}

  static Comparison compare(
      RecoveryEpisodes episodes,
      RecoverySettings rs,
      LearnedRecoveryPolicy learned,
      long seed,
      int stream,
      ProgressListener progress) {
    FailureMode[] modes = FailureMode.values();
    int n = VALIDATION_PER_MODE * modes.length;
    List<RecoveryEpisodes.Result> a = new ArrayList<>();
    List<RecoveryEpisodes.Result> b = new ArrayList<>();
    RecoveryActionChooser ladder = new LadderChooser(new RecoveryLadder(rs));
    for (int i = 0; i < n; i++) {
      FailureMode mode = modes[i % modes.length];
      long s = seedOf(seed, stream, i);
      a.add(episodes.run(s, mode, learned));
      b.add(episodes.run(s, mode, ladder));
      progress.onProgress(i + 1, n);
    }
    if (progress instanceof dev.autopilot.runtime.bench.ProgressBar bar) {
      bar.finish();
    }
    int diagnosed = 0;
    int detected = 0;
    Map<String, double[]> secs = new TreeMap<>();
    for (List<RecoveryEpisodes.Result> rs2 : List.of(a, b)) {
      for (RecoveryEpisodes.Result r : rs2) {
        for (RecoveryEpisodes.Attempt at : r.attempts()) {
          if (!at.rejected()) {
            double[] acc =
                secs.computeIfAbsent(at.action().getClass().getSimpleName(), k -> new double[2]);
            acc[0] += at.settleTicks() * 10.0;
            acc[1]++;
          }
        }
      }
    }
    for (RecoveryEpisodes.Result r : b) {
      if (r.firstDiagnosis() == r.mode()) {
        diagnosed++;
      }
      if (r.firstIncidentTick() >= 0) {
        detected++;
      }
    }
    Map<String, Double> actionSeconds = new LinkedHashMap<>();
    secs.forEach((k, v) -> actionSeconds.put(k, Math.round(v[0] / v[1] * 10) / 10.0));
    Map<FailureMode, String> perMode = new EnumMap<>(FailureMode.class);
    for (FailureMode m : modes) {
      List<RecoveryEpisodes.Result> ma = new ArrayList<>();
      List<RecoveryEpisodes.Result> mb = new ArrayList<>();
      Map<String, Integer> diagnoses = new TreeMap<>();
      for (int i = 0; i < n; i++) {
        if (a.get(i).mode() == m) {
          ma.add(a.get(i));
          mb.add(b.get(i));
          FailureMode d = b.get(i).firstDiagnosis();
          diagnoses.merge(d == null ? "undetected" : d.name(), 1, Integer::sum);
        }
      }
      PolicyMetrics pa = metrics(ma, episodes.settings());
      PolicyMetrics pb = metrics(mb, episodes.settings());
      perMode.put(
          m,
          String.format(
              Locale.ROOT,
              "auto %d/%d of %d, MTTR %.0f/%.0f s, failed %d/%d; diagnosed as %s",
              Math.round(pa.autoRecoveryRate() * ma.size()),
              Math.round(pb.autoRecoveryRate() * mb.size()),
              ma.size(),
              pa.mttrSeconds(),
              pb.mttrSeconds(),
              pa.failedAttempts(),
              pb.failedAttempts(),
              diagnoses));
    }
    return new Comparison(
        metrics(a, episodes.settings()),
        metrics(b, episodes.settings()),
        diagnosed / (double) n,
        detected,
        actionSeconds,
        perMode);
  }

  static PolicyMetrics metrics(List<RecoveryEpisodes.Result> results, RecoveryEpisodes.Settings s) {
    int auto = 0;
    double ttr = 0;
    int failed = 0;
    for (RecoveryEpisodes.Result r : results) {
      failed += r.failedAttempts();
      if (r.autoRecovered(s)) {
        auto++;
        ttr += (r.resolvedTick() - r.injectedTick()) * 10.0;
      }
    }
    int n = results.size();
    return new PolicyMetrics(
        n,
        n == 0 ? 0 : auto / (double) n,
        auto == 0 ? 0 : Math.round(ttr / auto * 10) / 10.0,
        failed);
  }

  private static String table(Comparison c) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT, "  %-8s %10s %10s %10s%n", "policy", "auto-rec", "MTTR s", "failed"));
    for (var e : List.of(Map.entry("learned", c.learned()), Map.entry("ladder", c.ladder()))) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-8s %10.3f %10.1f %10d%n",
              e.getKey(),
              e.getValue().autoRecoveryRate(),
              e.getValue().mttrSeconds(),
              e.getValue().failedAttempts()));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "  detected %d of %d; diagnosis top-1 at first incident: %.3f%n",
            c.detected(),
            c.learned().faults(),
            c.diagnosisTop1()));
    sb.append("  mean seconds to settle per action: ").append(c.actionSeconds()).append('\n');
    return sb.toString();
  }

  /**
   * Per diagnosed cause and severity seen in training: the ladder's first rung and the best trusted
   * option at stage 0, with their values; {@code *} where the policy deviates from the ladder.
   */
  private static String firstActions(LearnedRecoveryPolicy p, RecoverySettings rs) {
    RecoveryLadder ladder = new RecoveryLadder(rs);
    QTable t = p.table();
    StringBuilder sb = new StringBuilder();
    for (FailureMode m : FailureMode.values()) {
      List<String> parts = new ArrayList<>();
      RecoveryOption base = null;
      for (RecoveryOption o : RecoveryOption.values()) {
        if (base == null && o.step() == ladder.steps(m).get(0)) {
          base = o;
        }
      }
      for (Severity sev : Severity.values()) {
        RecoveryState st = new RecoveryState(m, 0, sev);
        var best = t.greedy(st, java.util.EnumSet.allOf(RecoveryOption.class), p.minVisits());
        if (best.isEmpty()) {
          continue;
        }
        boolean deviates =
            base != null
                && best.get() != base
                && t.visits(st, base) >= p.minVisits()
                && t.q(st, best.get()) > t.q(st, base) + p.margin();
        parts.add(
            String.format(
                Locale.ROOT,
                "%s ladder %s (Q %.1f, n %d), best %s (Q %.1f, n %d)%s",
                sev,
                base,
                t.q(st, base),
                t.visits(st, base),
                best.get(),
                t.q(st, best.get()),
                t.visits(st, best.get()),
                deviates ? " *" : ""));
      }
      if (!parts.isEmpty()) {
        sb.append("  ").append(m).append(": ").append(String.join("; ", parts)).append('\n');
      }
    }
    return sb.toString();
  }

  /** Seeds of stream 1 (training), 2 (validation) and 3 (test): disjoint for a base seed. */
  static long seedOf(long base, int stream, int i) {
    long z = base * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + i * 0x94D049BB133111EBL;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The learned policy with ε-greedy exploration, recording its decisions (training only). */
  static final class ExploringChooser implements RecoveryActionChooser {
    final LearnedRecoveryPolicy policy;
    final SplittableRandom rnd;
    final double epsilon;
    final List<LearnedRecoveryPolicy.Decision> decisions = new ArrayList<>();

    ExploringChooser(LearnedRecoveryPolicy policy, SplittableRandom rnd, double epsilon) {
      this.policy = policy;
      this.rnd = rnd;
      this.epsilon = epsilon;
    }

    @Override
    public String name() {
      return "learned-training";
    }

    @Override
    public int stages(FailureMode cause) {
      return policy.maxStages();
    }

    @Override
    public Optional<RecoveryLadder.Rung> choose(
        FailureMode cause,
        int stage,
        Severity severity,
        RecoveryLadder.Context ctx,
        List<Action> tried) {
      if (stage >= policy.maxStages()) {
        return Optional.empty();
      }
      Optional<LearnedRecoveryPolicy.Decision> d =
          policy.explore(new RecoveryState(cause, stage, severity), ctx, tried, rnd, epsilon);
      if (d.isEmpty()) {
        return Optional.empty();
      }
      decisions.add(d.get());
      return Optional.of(
          new RecoveryLadder.Rung(stage, d.get().option().level(), d.get().action()));
    }
  }
}
