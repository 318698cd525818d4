package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.FailureMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;

/**
 * Maps symptom patterns to the 15 {@link FailureMode}s. Each rule has required symptom groups
 * (every group must be present; a group is satisfied by its strongest member), supporting symptoms
 * that raise confidence, excluding symptoms that point elsewhere (a root cause upstream of a
 * cascade, or a different error kind), and a weight. It encodes how these failures look in real
 * Flink (the fault catalogue contract of the brief), not any simulator code.
 *
 * <p>Score of a rule: {@code weight * geomean(required) * (1 - w + w * mean(supporting)) * prod(1 -
 * penalty * excluded)}, in [0, weight]. Causes are ranked by score; the share is the score
 * normalized over all matching causes.
 */
public final class RuleTable {

  /**
   * One rule.
   *
   * @param cause the failure mode
   * @param weight prior plausibility
   * @param required groups of symptoms; each group needs its strongest member present
   * @param supporting symptoms that raise the score
   * @param excluded symptoms that lower it
   * @param operatorFrom the symptom whose operator the recovery action targets, or null
   * @param nodeFrom the symptom whose node the recovery action targets, or null
   */
  public record Rule(
      FailureMode cause,
      double weight,
      List<List<Symptom>> required,
      List<Symptom> supporting,
      List<Symptom> excluded,
      Symptom operatorFrom,
      Symptom nodeFrom) {}

  /**
   * One candidate cause.
   *
   * @param cause the failure mode
   * @param score absolute match, 0..1
   * @param share score normalized over all matching causes
   * @param operator the operator the evidence points at, or null
   * @param node the node the evidence points at, or null
   * @param evidence the symptoms behind it, human-readable
   */
  public record RankedCause(
      FailureMode cause,
      double score,
      double share,
      String operator,
      String node,
      List<String> evidence) {
    public RankedCause {
      evidence = List.copyOf(evidence);
    }

    /** "CAUSE (0.82)". */
    public String label() {
      return String.format(Locale.ROOT, "%s (%.2f)", cause, score);
    }
  }

  /**
   * The ranked causes of one tick, best first (only causes with a positive score).
   *
   * @param tick the tick
   * @param ranked candidates, best first
   */
  public record Diagnosis(long tick, List<RankedCause> ranked) {
    public Diagnosis {
      ranked = List.copyOf(ranked);
    }

    /** The best cause, or null when nothing matches. */
    public RankedCause top() {
      return ranked.isEmpty() ? null : ranked.get(0);
    }

    public double topScore() {
      return ranked.isEmpty() ? 0 : ranked.get(0).score();
    }

    /** Score of one cause (0 when it does not match). */
    public double scoreOf(FailureMode cause) {
      for (RankedCause r : ranked) {
        if (r.cause() == cause) {
          return r.score();
        }
      }
      return 0;
    }
  }

  private final RecoverySettings.RuleSettings settings;
  private final List<Rule> rules;

  public RuleTable(RecoverySettings settings) {
    this.settings = settings.rules();
    this.rules = buildRules(this.settings);
  }

  public List<Rule> rules() {
    return rules;
  }

  /** Ranks the causes that match the symptoms. */
  public Diagnosis diagnose(Symptoms symptoms) {
    List<double[]> scored = new ArrayList<>();
    double total = 0;
    for (int i = 0; i < rules.size(); i++) {
      double score = score(rules.get(i), symptoms);
      if (score > 0) {
        scored.add(new double[] {i, score});
        total += score;
      }
    }
    scored.sort(Comparator.<double[]>comparingDouble(a -> -a[1]).thenComparingDouble(a -> a[0]));
    List<RankedCause> ranked = new ArrayList<>();
    for (double[] s : scored) {
      Rule rule = rules.get((int) s[0]);
      ranked.add(
          new RankedCause(
              rule.cause(),
              s[1],
              s[1] / total,
              target(rule.operatorFrom(), symptoms, true),
              target(rule.nodeFrom(), symptoms, false),
              evidence(rule, symptoms)));
    }
    return new Diagnosis(symptoms.tick(), ranked);
  }

  private double score(Rule rule, Symptoms s) {
    double logSum = 0;
    for (List<Symptom> group : rule.required()) {
      double g = 0;
      for (Symptom m : group) {
        g = Math.max(g, s.strength(m));
      }
      if (g < settings.requiredMin()) {
        return 0;
      }
      logSum += Math.log(g);
    }
    double required = Math.exp(logSum / rule.required().size());
    double support = 1;
    if (!rule.supporting().isEmpty()) {
      double sum = 0;
      for (Symptom m : rule.supporting()) {
        sum += s.strength(m);
      }
      support = sum / rule.supporting().size();
    }
    double w = settings.supportWeight();
    double score = rule.weight() * required * (1 - w + w * support);
    for (Symptom m : rule.excluded()) {
      score *= 1 - settings.exclusionPenalty() * s.strength(m);
    }
    return score;
  }

  private static String target(Symptom from, Symptoms s, boolean operator) {
    if (from == null) {
      return null;
    }
    Symptoms.Finding f = s.finding(from);
    if (f == null) {
      return null;
    }
    return operator ? f.operator() : f.node();
  }

  private static List<String> evidence(Rule rule, Symptoms s) {
    java.util.Set<Symptom> seen = EnumSet.noneOf(Symptom.class);
    List<String> out = new ArrayList<>();
    List<Symptom> all = new ArrayList<>();
    rule.required().forEach(all::addAll);
    all.addAll(rule.supporting());
    for (Symptom m : all) {
      Symptoms.Finding f = s.finding(m);
      if (f != null && f.strength() >= 0.1 && seen.add(m)) {
        out.add(String.format(Locale.ROOT, "%s %.2f: %s", m, f.strength(), f.detail()));
      }
    }
    return out;
  }

  private static List<Rule> buildRules(RecoverySettings.RuleSettings s) {
    List<Rule> r = new ArrayList<>();
    r.add(
        rule(
            s,
            FailureMode.TASK_CRASH,
            List.of(
                List.of(Symptom.TASK_FAILURES, Symptom.JOB_RESTARTING),
                List.of(Symptom.EXCEPTIONS, Symptom.OPERATOR_INPUT_DROP)),
            List.of(
                Symptom.TASK_FAILURES,
                Symptom.JOB_RESTARTING,
                Symptom.EXCEPTIONS,
                Symptom.OPERATOR_INPUT_DROP,
                Symptom.THROUGHPUT_DROP),
            List.of(
                Symptom.RESTART_LOOP,
                Symptom.DESERIALIZATION_ERRORS,
                Symptom.SERIALIZATION_ERRORS,
                Symptom.CLASSLOADING_ERRORS,
                Symptom.LOG_ERRORS_AFTER_RESTART,
                Symptom.HEAP_CLIMBING,
                Symptom.NODE_NOT_READY,
                Symptom.TM_MISSING),
            Symptom.OPERATOR_INPUT_DROP,
            null));
    r.add(
        rule(
            s,
            FailureMode.CHECKPOINT_TIMEOUT,
            List.of(List.of(Symptom.CHECKPOINT_SLOW), List.of(Symptom.CHECKPOINT_FAILING)),
            List.of(Symptom.CHECKPOINT_ALIGNMENT_SLOW, Symptom.BACKPRESSURE_HIGH),
            // A degraded network or a full disk upstream explains failing checkpoints (a cascade).
            // Cluster-wide CPU load does not: it explains slow records and slower checkpoints, but
            // the rule requires checkpoints that fail, and a checkpoint that outlives its timeout
            // is a checkpoint problem (barriers stuck in aligned buffers) whatever the CPU load.
            List.of(Symptom.NET_DEGRADED, Symptom.DISK_FULL),
            null,
            null));
    r.add(
        rule(
            s,
            FailureMode.NETWORK_PARTITION,
            List.of(List.of(Symptom.NET_DEGRADED)),
            List.of(
                Symptom.BACKPRESSURE_HIGH,
                Symptom.THROUGHPUT_DROP,
                Symptom.LATENCY_HIGH,
                Symptom.CHECKPOINT_SLOW,
                Symptom.CHECKPOINT_FAILING),
            List.of(Symptom.NODE_NOT_READY),
            null,
            Symptom.NET_DEGRADED));
    r.add(
        rule(
            s,
            FailureMode.DISK_FULL,
            List.of(List.of(Symptom.DISK_FULL)),
            List.of(Symptom.DISK_STALL, Symptom.CHECKPOINT_FAILING, Symptom.CHECKPOINT_SLOW),
            List.of(),
            null,
            Symptom.DISK_FULL));
    r.add(
        rule(
            s,
            FailureMode.MEMORY_LEAK,
            List.of(List.of(Symptom.HEAP_CLIMBING)),
            List.of(Symptom.GC_PRESSURE, Symptom.OOM_KILLS, Symptom.TASK_FAILURES),
            List.of(),
            null,
            Symptom.HEAP_CLIMBING));
    r.add(
        rule(
            s,
            FailureMode.CPU_SATURATION,
            List.of(List.of(Symptom.CPU_SATURATED)),
            List.of(Symptom.CPU_THROTTLED, Symptom.BACKPRESSURE_HIGH, Symptom.LAG_GROWING),
            // Right after a restart or rescale the catch-up of the replayed backlog loads the
            // busiest TaskManager's node: expected load, not a noisy neighbour.
            List.of(Symptom.CPU_SATURATED_CLUSTER, Symptom.HOT_OPERATOR, Symptom.RECENT_RESTART),
            null,
            Symptom.CPU_SATURATED));
    r.add(
        rule(
            s,
            FailureMode.BACKPRESSURE_DEADLOCK,
            List.of(List.of(Symptom.BUFFERS_FULL_STUCK)),
            List.of(Symptom.THROUGHPUT_DROP, Symptom.LAG_GROWING, Symptom.BACKPRESSURE_HIGH),
            List.of(
                Symptom.TASK_FAILURES,
                Symptom.JOB_RESTARTING,
                Symptom.NODE_NOT_READY,
                Symptom.NET_DEGRADED),
            Symptom.BUFFERS_FULL_STUCK,
            null));
    r.add(
        rule(
            s,
            FailureMode.STATE_CORRUPTION,
            List.of(
                List.of(Symptom.DESERIALIZATION_ERRORS),
                List.of(Symptom.RESTART_LOOP, Symptom.JOB_RESTARTING)),
            List.of(Symptom.RESTART_LOOP, Symptom.EXCEPTIONS, Symptom.RESTORE_REPEATED),
            List.of(Symptom.CLASSLOADING_ERRORS),
            null,
            null));
    r.add(
        rule(
            s,
            FailureMode.EXTERNAL_DEPENDENCY_FAILURE,
            List.of(List.of(Symptom.EXTERNAL_ERRORS)),
            List.of(
                Symptom.RECORDS_DROPPED,
                Symptom.THROUGHPUT_DROP,
                Symptom.LATENCY_HIGH,
                Symptom.HOT_OPERATOR),
            List.of(),
            Symptom.EXTERNAL_ERRORS,
            null));
    r.add(
        rule(
            s,
            FailureMode.CONFIGURATION_ERROR,
            List.of(List.of(Symptom.LOG_ERRORS_AFTER_RESTART)),
            List.of(Symptom.TASK_FAILURES, Symptom.JOB_RESTARTING, Symptom.THROUGHPUT_DROP),
            List.of(
                Symptom.RESTART_LOOP,
                Symptom.DESERIALIZATION_ERRORS,
                Symptom.SERIALIZATION_ERRORS,
                Symptom.CLASSLOADING_ERRORS),
            null,
            null));
    r.add(
        rule(
            s,
            FailureMode.RESOURCE_EXHAUSTION,
            List.of(List.of(Symptom.FD_EXHAUSTED, Symptom.TM_MISSING)),
            List.of(Symptom.FD_EXHAUSTED, Symptom.TM_MISSING, Symptom.THREADS_HIGH),
            List.of(Symptom.NODE_NOT_READY),
            null,
            Symptom.TM_MISSING));
    r.add(
        rule(
            s,
            FailureMode.OPERATOR_BUG,
            List.of(
                List.of(Symptom.RECORDS_DROPPED), List.of(Symptom.EXCEPTIONS, Symptom.LOG_ERRORS)),
            List.of(Symptom.EXCEPTIONS, Symptom.LOG_ERRORS),
            List.of(
                Symptom.RESTART_LOOP,
                Symptom.JOB_RESTARTING,
                Symptom.EXTERNAL_ERRORS,
                Symptom.LOG_ERRORS_AFTER_RESTART),
            Symptom.RECORDS_DROPPED,
            null));
    r.add(
        rule(
            s,
            FailureMode.DATA_SKEW,
            List.of(List.of(Symptom.HOT_OPERATOR)),
            List.of(Symptom.BACKPRESSURE_HIGH, Symptom.LAG_GROWING),
            List.of(Symptom.CPU_SATURATED, Symptom.CPU_SATURATED_CLUSTER, Symptom.EXTERNAL_ERRORS),
            Symptom.HOT_OPERATOR,
            null));
    r.add(
        rule(
            s,
            FailureMode.VERSION_INCOMPATIBILITY,
            List.of(List.of(Symptom.CLASSLOADING_ERRORS, Symptom.SERIALIZATION_ERRORS)),
            List.of(
                Symptom.CLASSLOADING_ERRORS,
                Symptom.SERIALIZATION_ERRORS,
                Symptom.JOB_RESTARTING,
                Symptom.RESTART_LOOP),
            List.of(Symptom.DESERIALIZATION_ERRORS),
            null,
            null));
    r.add(
        rule(
            s,
            FailureMode.INFRASTRUCTURE_FAILURE,
            List.of(List.of(Symptom.NODE_NOT_READY)),
            List.of(Symptom.TM_MISSING, Symptom.JOB_RESTARTING, Symptom.TASK_FAILURES),
            List.of(),
            null,
            Symptom.NODE_NOT_READY));
    return List.copyOf(r);
  }

  private static Rule rule(
      RecoverySettings.RuleSettings s,
      FailureMode cause,
      List<List<Symptom>> required,
      List<Symptom> supporting,
      List<Symptom> excluded,
      Symptom operatorFrom,
      Symptom nodeFrom) {
    return new Rule(
        cause, s.weights().get(cause), required, supporting, excluded, operatorFrom, nodeFrom);
  }
}
