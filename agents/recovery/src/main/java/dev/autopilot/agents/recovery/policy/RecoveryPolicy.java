package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The recovery agent's per-tick policy: update the detectors, extract symptoms, diagnose, and run
 * the incident lifecycle.
 *
 * <ul>
 *   <li>Detect: a tick is anomalous when the top cause scores at least {@code open-score} and a
 *       detector alarmed recently (or the detectors are still warming up); an incident opens after
 *       {@code open-consecutive-ticks} anomalous ticks.
 *   <li>Propose: the current rung of the cause's ladder, once; nothing more while it awaits its
 *       outcome, nor after a VERIFIED outcome until the grace period decides (close or escalate). A
 *       REJECTED proposal is proposed again on the next tick.
 *   <li>Escalate: to the next rung on a ROLLED_BACK or FAILED outcome, when the incident is still
 *       present {@code verify-grace-ticks} after a VERIFIED one, or when no outcome came within
 *       {@code outcome-timeout-ticks} and the incident persists.
 *   <li>Close: after {@code close-healthy-ticks} ticks without the incident's cause (resolved);
 *       when another cause has matched instead for {@code open-consecutive-ticks} (superseded: the
 *       new incident opens at once); or {@code exhausted-close-ticks} after the ladder ran out
 *       (unresolved).
 * </ul>
 *
 * <p>The incident itself ({@link Incident}) is owned by the caller, which journals the returned
 * {@link Change}s and folds them with the same transitions. The detector bank, the anomalous,
 * healthy and unhealthy streaks and the last healthy configuration are transient working memory,
 * rebuilt from telemetry after a restart. Pure Java: no actor, no clock, event time only.
 */
public final class RecoveryPolicy {

  /** A state change of the incident lifecycle, to be journaled by the caller. */
  public sealed interface Change permits Opened, Proposed, OutcomeSeen, Escalated, Closed {}

  /** An incident opened. */
  public record Opened(Incident incident) implements Change {}

  /**
   * A rung was proposed.
   *
   * @param incidentNumber the incident
   * @param rung the ladder rung
   * @param proposal the proposal
   */
  public record Proposed(long incidentNumber, RecoveryLadder.Rung rung, Proposal proposal)
      implements Change {}

  /** The outcome of the pending proposal arrived. */
  public record OutcomeSeen(
      long incidentNumber,
      String proposalId,
      AgentProtocol.OutcomeKind outcome,
      long tick,
      String detail)
      implements Change {}

  /**
   * The ladder moved up.
   *
   * @param incidentNumber the incident
   * @param proposalId the proposal whose verification failed, or null
   * @param fromRung rung that failed
   * @param toRung rung to try next
   * @param exhausted whether no rung is left
   * @param reason why
   */
  public record Escalated(
      long incidentNumber,
      String proposalId,
      int fromRung,
      int toRung,
      boolean exhausted,
      String reason)
      implements Change {}

  /**
   * The incident closed.
   *
   * @param incidentNumber the incident
   * @param cause its cause
   * @param resolved true when healthy again, false when given up after the ladder ran out
   * @param reason why
   */
  public record Closed(long incidentNumber, FailureMode cause, boolean resolved, String reason)
      implements Change {}

  /**
   * What one tick produced.
   *
   * @param symptoms the symptoms
   * @param diagnosis the ranked causes
   * @param changes lifecycle changes, in order
   * @param proposals this tick's proposals (zero or one)
   * @param diagnostics detector votes, fused verdict and ranked causes of this tick
   */
  public record TickResult(
      Symptoms symptoms,
      RuleTable.Diagnosis diagnosis,
      List<Change> changes,
      List<Proposal> proposals,
      Diagnostics diagnostics) {
    public TickResult {
      changes = List.copyOf(changes);
      proposals = List.copyOf(proposals);
    }
  }

  private final RecoverySettings settings;
  private final DetectorBank bank;
  private final SymptomExtractor extractor;
  private final RuleTable rules;
  private final RecoveryLadder ladder;
  private final AnomalyModel anomalyModel;
  private final CauseModel causeModel;
  private final HealthModel healthModel;
  private final String modelVersion;
  private final RecoveryActionChooser chooser;

  /** Actions proposed per stage of the incident {@link #plannedIncident} (working memory). */
  private final TreeMap<Integer, Action> planned = new TreeMap<>();

  private long plannedIncident = -1;
  private int anomalousStreak;
  private int healthyStreak;
  private int unhealthyStreak;
  private int supersedeStreak;
  private PipelineConfig lastHealthyConfig;

  /** The baseline policy: CUSUM/EWMA detectors, the rule table and the fixed ladder. */
  public RecoveryPolicy(RecoverySettings settings) {
    this(settings, RecoveryModels.NONE);
  }

  /**
   * A baseline policy whose recovery actions come from a chooser (the fixed ladder or the learned
   * policy).
   *
   * @param settings the settings
   * @param chooser the chooser, or null for the fixed ladder
   */
  public RecoveryPolicy(RecoverySettings settings, RecoveryActionChooser chooser) {
    this(settings, RecoveryModels.NONE.withChooser(chooser));
  }

  /**
   * A policy that also consults learned models: the anomaly ensemble opens the incident gate next
   * to the detector bank, the cause model names the cause, the health model reports health indices,
   * and the chooser picks the recovery actions.
   *
   * @param settings the settings
   * @param models the learned models (any part may be absent)
   */
  public RecoveryPolicy(RecoverySettings settings, RecoveryModels models) {
    this.settings = settings;
    this.bank = new DetectorBank(settings);
    this.extractor = new SymptomExtractor(settings);
    this.rules = new RuleTable(settings);
    this.ladder = new RecoveryLadder(settings);
    this.anomalyModel = models.anomaly() == null ? null : models.anomaly().get();
    this.causeModel = models.causes();
    this.healthModel = models.health() == null ? null : models.health().get();
    this.modelVersion = models.version();
    this.chooser = models.chooser() == null ? new LadderChooser(ladder) : models.chooser();
  }

  /** Releases the anomaly model's native resources. */
  public void close() {
    if (anomalyModel != null) {
      anomalyModel.close();
    }
  }

  public RecoveryLadder ladder() {
    return ladder;
  }

  /** Where the recovery actions come from. */
  public RecoveryActionChooser chooser() {
    return chooser;
  }

  public RuleTable rules() {
    return rules;
  }

  /**
   * Runs one tick.
   *
   * @param s a validated snapshot of the pipeline
   * @param sla the pipeline's SLA (the latency bound caps the predicted latency)
   * @param open the open incident, or null
   * @param incidentsOpened incidents opened so far for this pipeline (numbers the next one)
   */
  public TickResult evaluate(
      TelemetrySnapshot s, SlaSpec sla, Incident open, long incidentsOpened) {
    RecoverySettings.IncidentSettings is = settings.incident();
    bank.update(s, open == null);
    Symptoms symptoms = extractor.extract(s, bank);
    RuleTable.Diagnosis diagnosis = rules.diagnose(symptoms);
    AnomalyModel.Verdict judged = anomalyModel == null ? null : anomalyModel.observe(s);
    // an ensemble out of its training distribution does not drive anything: the CUSUM/EWMA
    // detectors decide, as without a model, and the diagnostics record why
    AnomalyModel.Verdict verdict = judged != null && judged.trusted() ? judged : null;
    List<Diagnostics.CauseEstimate> causes =
        causeModel == null ? ruleCauses(diagnosis) : causeModel.rank(symptoms, bank, s);
    if (healthModel != null) {
      healthModel.update(
          bank,
          verdict == null ? Double.NaN : verdict.score(),
          verdict != null && verdict.anomaly());
    }
    Diagnostics diagnostics = diagnostics(verdict, judged, causes);
    List<Change> changes = new ArrayList<>();
    long tick = s.tick();
    boolean bankGate =
        !bank.warmedUp() || bank.anyAlarmWithin(settings.detector().alarmMemoryTicks());
    // the learned ensemble opens the gate too; the symptoms must still point at a cause
    boolean gate = bankGate || (verdict != null && verdict.anomaly());
    boolean anomalous = diagnosis.topScore() >= is.openScore() && gate;
    Incident inc = open;
    boolean healthy = false;
    if (inc != null) {
      healthy = !present(inc.cause(), diagnosis, causes);
      healthyStreak = healthy ? healthyStreak + 1 : 0;
      unhealthyStreak = healthy ? 0 : unhealthyStreak + 1;
      // another cause supersedes this incident only once its own action is no longer in flight
      boolean otherCause =
          healthy && anomalous && inc.pending() == null && diagnosis.top().cause() != inc.cause();
      supersedeStreak = otherCause ? supersedeStreak + 1 : 0;
      Closed closed = close(inc, diagnosis, tick);
      if (closed == null) {
        Escalated e = escalateIfStuck(inc, healthy, tick);
        if (e != null) {
          changes.add(e);
          inc = inc.escalated(e.toRung(), e.exhausted(), tick);
        }
      } else {
        changes.add(closed);
        boolean superseded = supersedeStreak >= is.openConsecutiveTicks();
        healthyStreak = 0;
        unhealthyStreak = 0;
        supersedeStreak = 0;
        if (!superseded) {
          return new TickResult(symptoms, diagnosis, changes, List.of(), diagnostics);
        }
        inc = open(s, diagnosis, causes, incidentsOpened + 1);
        changes.add(new Opened(inc));
        healthy = false;
      }
    } else {
      anomalousStreak = anomalous ? anomalousStreak + 1 : 0;
      if (!anomalous && diagnosis.topScore() < is.healthyScore()) {
        lastHealthyConfig = s.config();
      }
      if (anomalousStreak < is.openConsecutiveTicks()) {
        return new TickResult(symptoms, diagnosis, changes, List.of(), diagnostics);
      }
      inc = open(s, diagnosis, causes, incidentsOpened + 1);
      changes.add(new Opened(inc));
      anomalousStreak = 0;
      healthyStreak = 0;
      unhealthyStreak = 0;
      supersedeStreak = 0;
    }
    List<Proposal> proposals = new ArrayList<>();
    boolean awaitingSettle = inc.settledTick() >= 0;
    if (inc.pending() == null && !awaitingSettle && !inc.exhausted() && !healthy) {
      RecoveryLadder.Context ctx =
          new RecoveryLadder.Context(
              inc.operator(), inc.node(), fallbackOperator(s), s.config(), inc.knownGood());
      Severity severity =
          Severity.of(
              s.job().throughputPerSecond(),
              inc.baselineThroughput(),
              s.job().latencyP99Ms(),
              inc.baselineLatencyP99Ms());
      if (plannedIncident != inc.number()) {
        planned.clear();
        plannedIncident = inc.number();
      }
      List<Action> tried = new ArrayList<>(planned.headMap(inc.rung()).values());
      Optional<RecoveryLadder.Rung> rung =
          chooser.choose(inc.cause(), inc.rung(), severity, ctx, tried);
      rung.ifPresent(r -> planned.put(r.index(), r.action()));
      if (rung.isEmpty()) {
        int size = chooser.stages(inc.cause());
        changes.add(
            new Escalated(inc.number(), null, inc.rung(), size, true, "no applicable rung left"));
      } else {
        Proposal proposal = proposal(s, sla, inc, diagnosis, diagnostics, rung.get());
        changes.add(new Proposed(inc.number(), rung.get(), proposal));
        proposals.add(proposal);
      }
    }
    return new TickResult(symptoms, diagnosis, changes, proposals, diagnostics);
  }

  /**
   * Whether the incident's cause is still there: the rule table still scores it, or the learned
   * model still ranks it first while some symptom pattern persists.
   */
  private boolean present(
      FailureMode cause, RuleTable.Diagnosis d, List<Diagnostics.CauseEstimate> causes) {
    double healthy = settings.incident().healthyScore();
    if (d.scoreOf(cause) >= healthy) {
      return true;
    }
    return causeModel != null
        && !causes.isEmpty()
        && causes.get(0).mode() == cause
        && d.topScore() >= healthy;
  }

  /** The rule table's top 3 as estimates: each score's share of the ranked scores. */
  private static List<Diagnostics.CauseEstimate> ruleCauses(RuleTable.Diagnosis d) {
    List<Diagnostics.CauseEstimate> out = new ArrayList<>();
    double total = 0;
    for (RuleTable.RankedCause r : d.ranked()) {
      total += r.score();
    }
    for (int i = 0; i < Math.min(3, d.ranked().size()); i++) {
      RuleTable.RankedCause r = d.ranked().get(i);
      out.add(new Diagnostics.CauseEstimate(r.cause(), total > 0 ? r.score() / total : 0));
    }
    return out;
  }

  private Diagnostics diagnostics(
      AnomalyModel.Verdict verdict,
      AnomalyModel.Verdict judged,
      List<Diagnostics.CauseEstimate> causes) {
    List<Diagnostics.DetectorVote> votes = new ArrayList<>();
    boolean bankAlarm = bank.warmedUp() && bank.anyAlarmWithin(1);
    votes.add(new Diagnostics.DetectorVote("cusum-ewma", bankAlarm ? 1 : 0, bankAlarm));
    if (verdict != null) {
      votes.addAll(verdict.votes());
    } else if (judged != null) {
      // the ignored ensemble's votes, renamed so that nothing counts them, and the reason
      for (Diagnostics.DetectorVote v : judged.votes()) {
        votes.add(new Diagnostics.DetectorVote(v.detector() + " (ignored)", v.score(), false));
      }
      List<String> alarms = bank.warmedUp() ? bank.recentAlarms(1) : List.of();
      votes.add(
          new Diagnostics.DetectorVote(
              judged.outOfDistribution()
                  + (alarms.isEmpty() ? "" : "; cusum-ewma alarms: " + String.join(", ", alarms)),
              judged.score(),
              false));
    }
    boolean anomaly = verdict != null ? verdict.anomaly() : bankAlarm;
    double score = verdict != null ? verdict.score() : bankAlarm ? 1 : 0;
    return new Diagnostics(
        AgentKind.RECOVERY,
        votes,
        anomaly,
        score,
        causes,
        healthModel == null ? Map.of() : healthModel.indices());
  }

  /** Whether the open incident closes this tick, and why; null when it stays open. */
  private Closed close(Incident inc, RuleTable.Diagnosis diagnosis, long tick) {
    RecoverySettings.IncidentSettings is = settings.incident();
    if (healthyStreak >= is.closeHealthyTicks()) {
      return new Closed(
          inc.number(), inc.cause(), true, inc.cause() + " absent for " + healthyStreak + " ticks");
    }
    if (supersedeStreak >= is.openConsecutiveTicks()) {
      return new Closed(
          inc.number(),
          inc.cause(),
          false,
          "superseded: "
              + inc.cause()
              + " no longer matches while "
              + diagnosis.top().label()
              + " does");
    }
    if (inc.exhausted() && tick - inc.exhaustedTick() >= is.exhaustedCloseTicks()) {
      return new Closed(
          inc.number(),
          inc.cause(),
          false,
          "recovery ladder exhausted "
              + (tick - inc.exhaustedTick())
              + " ticks ago; still present");
    }
    return null;
  }

  /**
   * Escalation without an explicit failed outcome: no outcome long after proposing, or the cause
   * still present long after the action was verified. Null when neither applies.
   */
  private Escalated escalateIfStuck(Incident inc, boolean healthy, long tick) {
    RecoverySettings.IncidentSettings is = settings.incident();
    Incident.Pending p = inc.pending();
    if (p != null && tick - p.tick() >= is.outcomeTimeoutTicks() && !healthy) {
      return escalate(
          inc,
          "no outcome " + (tick - p.tick()) + " ticks after proposing, and the incident persists");
    }
    if (p == null
        && inc.settledTick() >= 0
        && tick - inc.settledTick() >= is.verifyGraceTicks()
        && unhealthyStreak >= is.verifyGraceTicks()) {
      return escalate(
          inc,
          "still present " + (tick - inc.settledTick()) + " ticks after the action was verified");
    }
    return null;
  }

  /**
   * Records the outcome of a proposal: escalates on ROLLED_BACK or FAILED. An outcome of a proposal
   * that is not the pending one of the open incident changes nothing.
   */
  public List<Change> outcome(
      String proposalId, AgentProtocol.OutcomeKind kind, long tick, String detail, Incident open) {
    if (open == null || open.pending() == null || !open.pending().proposalId().equals(proposalId)) {
      return List.of();
    }
    List<Change> changes = new ArrayList<>();
    changes.add(new OutcomeSeen(open.number(), proposalId, kind, tick, detail));
    if (kind == AgentProtocol.OutcomeKind.ROLLED_BACK || kind == AgentProtocol.OutcomeKind.FAILED) {
      changes.add(
          escalate(
              open, "verification failed: " + kind + (detail == null ? "" : " (" + detail + ")")));
    }
    return changes;
  }

  private Escalated escalate(Incident inc, String reason) {
    int from = inc.pending() != null ? inc.pending().rung() : inc.rung();
    int to = from + 1;
    boolean exhausted = to >= chooser.stages(inc.cause());
    return new Escalated(
        inc.number(),
        inc.pending() == null ? null : inc.pending().proposalId(),
        from,
        to,
        exhausted,
        reason);
  }

  private Incident open(
      TelemetrySnapshot s,
      RuleTable.Diagnosis d,
      List<Diagnostics.CauseEstimate> causes,
      long number) {
    RuleTable.RankedCause top = d.top();
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < Math.min(3, d.ranked().size()); i++) {
      labels.add(d.ranked().get(i).label());
    }
    if (causeModel != null && !causes.isEmpty()) {
      top = learnedTop(d, causes.get(0));
      labels.clear();
      for (Diagnostics.CauseEstimate c : causes) {
        labels.add(String.format(Locale.ROOT, "%s (%.2f)", c.mode(), c.posterior()));
      }
    }
    double baselineThroughput =
        Math.max(bank.baseline(Signal.THROUGHPUT), s.job().throughputPerSecond());
    double baselineLatency = bank.baseline(Signal.LATENCY_P99);
    if (!(baselineLatency > 0)) {
      baselineLatency = s.job().latencyP99Ms();
    }
    PipelineConfig knownGood = lastHealthyConfig;
    long change = bank.lastConfigChangeTick();
    if (change != Long.MIN_VALUE
        && s.tick() - change < settings.symptoms().recentRestartWindowTicks()
        && bank.configBeforeLastChange() != null) {
      // a configuration changed right before the incident: the one before it is the known-good
      knownGood = bank.configBeforeLastChange();
    }
    return new Incident(
        number,
        s.tick(),
        top.cause(),
        top.score(),
        labels,
        top.operator(),
        top.node(),
        baselineThroughput,
        baselineLatency,
        knownGood,
        0,
        null,
        -1,
        false,
        -1,
        0);
  }

  /**
   * The cause the learned model ranks first, with the operator or node the rule table's evidence
   * for that cause points at (or, when the rule table did not rank it, the strongest such finding).
   */
  private static RuleTable.RankedCause learnedTop(
      RuleTable.Diagnosis d, Diagnostics.CauseEstimate learned) {
    for (RuleTable.RankedCause r : d.ranked()) {
      if (r.cause() == learned.mode()) {
        return new RuleTable.RankedCause(
            r.cause(),
            Math.max(r.score(), learned.posterior()),
            learned.posterior(),
            r.operator(),
            r.node(),
            r.evidence());
      }
    }
    String operator = null;
    String node = null;
    for (RuleTable.RankedCause r : d.ranked()) {
      if (operator == null && r.operator() != null) {
        operator = r.operator();
      }
      if (node == null && r.node() != null) {
        node = r.node();
      }
    }
    return new RuleTable.RankedCause(
        learned.mode(), learned.posterior(), learned.posterior(), operator, node, List.of());
  }

  private Proposal proposal(
      TelemetrySnapshot s,
      SlaSpec sla,
      Incident inc,
      RuleTable.Diagnosis d,
      Diagnostics diagnostics,
      RecoveryLadder.Rung rung) {
    RecoverySettings.IncidentSettings is = settings.incident();
    RuleTable.RankedCause mine = null;
    for (RuleTable.RankedCause r : d.ranked()) {
      if (r.cause() == inc.cause()) {
        mine = r;
      }
    }
    double score = mine == null ? inc.score() : mine.score();
    double share = mine == null ? 0.5 : mine.share();
    double confidence = Math.max(0.01, Math.min(1, score * share));
    StringBuilder cause =
        new StringBuilder(String.format(Locale.ROOT, "%s (%.2f)", inc.cause(), score));
    List<String> runnerUps = new ArrayList<>();
    for (RuleTable.RankedCause r : d.ranked()) {
      if (r.cause() != inc.cause() && runnerUps.size() < is.runnerUps()) {
        runnerUps.add(r.label());
      }
    }
    if (!runnerUps.isEmpty()) {
      cause.append("; runner-ups: ").append(String.join(", ", runnerUps));
    }
    double current = Math.max(settings.floor(Signal.THROUGHPUT), s.job().throughputPerSecond());
    double predictedThroughput = inc.baselineThroughput();
    double predictedLatency = Math.min(inc.baselineLatencyP99Ms(), sla.latencyP99BoundMs());
    double currentLatency = Math.max(1, s.job().latencyP99Ms());
    double throughputChange = predictedThroughput / current - 1;
    double latencyChange = predictedLatency / currentLatency - 1;
    double netBenefit = confidence * (Math.max(0, throughputChange) + Math.max(0, -latencyChange));
    List<String> evidence = new ArrayList<>();
    evidence.add(
        String.format(
            Locale.ROOT,
            "incident #%d open since tick %d, diagnosis at open: %s",
            inc.number(),
            inc.openedTick(),
            String.join(", ", inc.diagnosis())));
    List<String> alarms = bank.recentAlarms(settings.detector().alarmMemoryTicks());
    if (!alarms.isEmpty()) {
      evidence.add("detector alarms: " + String.join(", ", alarms));
    }
    if (!diagnostics.causes().isEmpty()) {
      List<String> top = new ArrayList<>();
      for (Diagnostics.CauseEstimate c : diagnostics.causes()) {
        top.add(String.format(Locale.ROOT, "%s %.3f", c.mode(), c.posterior()));
      }
      evidence.add(
          (causeModel == null ? "rule table" : causeModel.describe())
              + " top-3 causes now: "
              + String.join(", ", top));
    }
    List<String> votes = new ArrayList<>();
    for (Diagnostics.DetectorVote v : diagnostics.votes()) {
      votes.add(
          String.format(
              Locale.ROOT, "%s %.2f %s", v.detector(), v.score(), v.vote() ? "ANOMALY" : "normal"));
    }
    evidence.add(
        String.format(
            Locale.ROOT,
            "detector votes (models %s): %s; fused %.2f %s",
            modelVersion,
            String.join(", ", votes),
            diagnostics.anomalyScore(),
            diagnostics.anomaly() ? "ANOMALY" : "normal"));
    if (mine != null) {
      evidence.addAll(mine.evidence());
    }
    evidence.add(
        String.format(
            Locale.ROOT,
            "%s rung %d of %d (%s), attempt %d",
            chooser.name(),
            rung.index() + 1,
            chooser.stages(inc.cause()),
            rung.level(),
            inc.attempts() + 1));
    return new Proposal(
        AgentKind.RECOVERY.entityTypeName() + "-" + s.pipelineId() + "-" + s.tick() + "-0",
        s.pipelineId(),
        AgentKind.RECOVERY,
        PriorityClass.RECOVERY,
        rung.action(),
        confidence,
        new ExpectedEffect(
            throughputChange, latencyChange, predictedThroughput, predictedLatency, netBenefit),
        evidence,
        cause.toString(),
        s.tick(),
        s.tick() + is.proposalExpiryTicks());
  }

  /** The operator to act on when the diagnosis names none: the one holding the most state. */
  private static String fallbackOperator(TelemetrySnapshot s) {
    OperatorMetrics best = s.operators().get(0);
    for (OperatorMetrics op : s.operators()) {
      if (op.stateSizeBytes() > best.stateSizeBytes()) {
        best = op;
      }
    }
    return best.operatorId();
  }
}
