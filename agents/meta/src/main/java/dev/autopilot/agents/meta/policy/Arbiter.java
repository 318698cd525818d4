package dev.autopilot.agents.meta.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.Decision.RejectionCode;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Arbitrates the proposals of one tick into one {@link Decision}.
 *
 * <p>Order: {@link dev.autopilot.api.PriorityClass} (safety and recovery first, then SLA
 * protection, then optimization); inside a class approved proposals first, then expected net
 * benefit (higher first); ties by agent kind, then proposal id, so the result never depends on
 * arrival order.
 *
 * <p>Each proposal then passes {@link AdmissionControl} and the explicit conflict rules, and the
 * first that survives is chosen; every other proposal is listed in {@link Decision#rejections()}
 * with its code and reason:
 *
 * <ul>
 *   <li>a recovery action supersedes configuration changes in the same tick ({@code CONFLICT}),
 *       whatever their class;
 *   <li>a configuration change is refused while the actuator's verification window is open ({@code
 *       ACTUATION_IN_PROGRESS}); a recovery action is not, unless it repeats the action being
 *       verified; nor is a scaling agent's pure scale-up while the pipeline is short of capacity
 *       ({@link #scalesUpOnly}: it replaces the open verification, whose change is reported
 *       superseded), because during a surge waiting for each verdict is what violates the SLA;
 *   <li>a scale-down while the prediction agent forecasts a surge: the forecast load (the
 *       prediction proposal's predicted throughput) is weighed against current utilisation (the
 *       bottleneck operator's busy ratio) scaled to the smaller configuration; when the forecast
 *       would push it above {@link ArbiterSettings#scaleDownMaxForecastUtilisation()} the
 *       scale-down is refused ({@code CONFLICT}), otherwise it is admitted and the reason says why
 *       the forecast fits.
 * </ul>
 *
 * <p>The verdict follows the mode: {@code APPLY} in autonomous mode, {@code SHADOW} in shadow mode,
 * and in approval mode {@code AWAITING_APPROVAL} for actions at or above the configured risk
 * (unless already approved), {@code APPLY} below it. No survivor gives {@code NO_ACTION}.
 */
public final class Arbiter {

  /**
   * What the arbiter knows of the pipeline at this tick.
   *
   * @param pipelineId the pipeline
   * @param tick the tick being closed
   * @param snapshot this tick's validated snapshot (its config is the running one)
   * @param mode the meta-agent's mode
   * @param lastChangeTick tick of the last configuration change, or {@link
   *     AdmissionControl#NO_CHANGE}
   * @param verificationOpen whether the actuator is still verifying a change (or its state is
   *     unknown)
   * @param actionUnderVerification the action being verified, null when none
   * @param approvedProposalIds proposals a human already approved
   */
  public record Situation(
      String pipelineId,
      long tick,
      TelemetrySnapshot snapshot,
      Mode mode,
      long lastChangeTick,
      boolean verificationOpen,
      Action actionUnderVerification,
      Set<String> approvedProposalIds,
      SlaSpec sla) {
    public Situation {
      approvedProposalIds =
          approvedProposalIds == null ? Set.of() : Set.copyOf(approvedProposalIds);
    }

    /** A situation without an SLA (admission applies its relative limits as they are). */
    public Situation(
        String pipelineId,
        long tick,
        TelemetrySnapshot snapshot,
        Mode mode,
        long lastChangeTick,
        boolean verificationOpen,
        Action actionUnderVerification,
        Set<String> approvedProposalIds) {
      this(
          pipelineId,
          tick,
          snapshot,
          mode,
          lastChangeTick,
          verificationOpen,
          actionUnderVerification,
          approvedProposalIds,
          null);
    }
  }

  private final ArbiterSettings settings;
  private final AdmissionControl admission;

  public Arbiter(ArbiterSettings settings) {
    this.settings = settings;
    this.admission = new AdmissionControl(settings.admission());
  }

  /** Decision id for a pipeline and tick: {@code decision-<pipeline>-<tick>}. */
  public static String decisionId(String pipelineId, long tick) {
    return "decision-" + pipelineId + "-" + tick;
  }

  /** Decides one tick. Never throws on bad proposals: they are rejected as {@code INVALID}. */
  public Decision decide(Situation s, List<Proposal> proposals) {
    String id = decisionId(s.pipelineId(), s.tick());
    PipelineConfig current = s.snapshot().config();
    List<Decision.Rejection> rejections = new ArrayList<>();
    List<Proposal> candidates = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (Proposal p : proposals) {
      if (p == null) {
        continue;
      }
      if (p.id() == null || !seen.add(p.id())) {
        rejections.add(reject(p, RejectionCode.INVALID, "duplicate or missing proposal id"));
      } else {
        candidates.add(p);
      }
    }
    candidates.sort(order(s.approvedProposalIds()));

    AdmissionControl.Context ctx =
        new AdmissionControl.Context(
            s.pipelineId(),
            s.tick(),
            current,
            s.lastChangeTick(),
            s.sla(),
            s.snapshot().operators().isEmpty() ? 0 : s.snapshot().source().recordsInPerSecond());
    List<Proposal> admitted = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    for (Proposal p : candidates) {
      Optional<AdmissionControl.Refusal> refusal = admission.check(p, ctx);
      if (refusal.isPresent()) {
        rejections.add(reject(p, refusal.get().code(), refusal.get().reason()));
        continue;
      }
      boolean recovery = p.action() instanceof Action.RecoveryAction;
      if (s.verificationOpen() && !recovery && supersedingScaleUp(p, s)) {
        notes.add(
            "scale-up "
                + p.id()
                + " admitted during the open verification of "
                + (s.actionUnderVerification() == null
                    ? "a change"
                    : s.actionUnderVerification().describe())
                + ": it only adds capacity, and waiting for that verdict while short of capacity"
                + " is what violates the SLA");
      } else if (s.verificationOpen() && !recovery) {
        rejections.add(
            reject(
                p,
                RejectionCode.ACTUATION_IN_PROGRESS,
                "the actuator is verifying "
                    + (s.actionUnderVerification() == null
                        ? "a change (state unknown)"
                        : s.actionUnderVerification().describe())
                    + "; configuration changes wait for its verdict"));
        continue;
      }
      if (recovery && p.action().equals(s.actionUnderVerification())) {
        rejections.add(
            reject(
                p,
                RejectionCode.ACTUATION_IN_PROGRESS,
                "the same action (" + p.action().describe() + ") is already being verified"));
        continue;
      }
      Optional<String> conflict = scaleDownConflict(p, s, candidates, notes);
      if (conflict.isPresent()) {
        rejections.add(reject(p, RejectionCode.CONFLICT, conflict.get()));
        continue;
      }
      admitted.add(p);
    }

    Proposal chosen =
        admitted.stream()
            .filter(p -> p.action() instanceof Action.RecoveryAction)
            .findFirst()
            .orElse(admitted.isEmpty() ? null : admitted.get(0));
    if (chosen == null) {
      String reason =
          proposals.isEmpty() ? "no proposals" : "no admissible proposal among " + proposals.size();
      return new Decision(
          id,
          s.pipelineId(),
          s.tick(),
          Decision.Verdict.NO_ACTION,
          null,
          reason,
          sortRejections(rejections, candidates));
    }
    boolean recoveryChosen = chosen.action() instanceof Action.RecoveryAction;
    for (Proposal p : admitted) {
      if (p == chosen) {
        continue;
      }
      if (recoveryChosen && p.action() instanceof Action.ConfigChange) {
        rejections.add(
            reject(
                p,
                RejectionCode.CONFLICT,
                "recovery action "
                    + chosen.id()
                    + " ("
                    + chosen.action().describe()
                    + ") supersedes configuration changes in the same tick"));
      } else {
        rejections.add(
            reject(
                p,
                RejectionCode.LOWER_PRIORITY,
                "lost to "
                    + chosen.id()
                    + " ("
                    + chosen.priority()
                    + ", net benefit "
                    + num(chosen.expectedEffect().netBenefit())
                    + ") against "
                    + p.priority()
                    + ", net benefit "
                    + num(p.expectedEffect().netBenefit())));
      }
    }

    Risk risk = Risk.of(chosen.action(), current, settings.risk());
    boolean approved = s.approvedProposalIds().contains(chosen.id());
    Decision.Verdict verdict =
        switch (s.mode()) {
          case AUTONOMOUS -> Decision.Verdict.APPLY;
          case SHADOW -> Decision.Verdict.SHADOW;
          case APPROVAL ->
              approved || !risk.atLeast(settings.approvalRisk())
                  ? Decision.Verdict.APPLY
                  : Decision.Verdict.AWAITING_APPROVAL;
        };
    StringBuilder reason =
        new StringBuilder()
            .append("chose ")
            .append(chosen.id())
            .append(" (")
            .append(chosen.agent())
            .append(", ")
            .append(chosen.priority())
            .append(", net benefit ")
            .append(num(chosen.expectedEffect().netBenefit()))
            .append(", risk ")
            .append(risk)
            .append("): ")
            .append(chosen.action().describe())
            .append("; mode ")
            .append(s.mode())
            .append(" -> ")
            .append(verdict);
    if (approved) {
      reason.append(" (approved)");
    }
    if (recoveryChosen && admitted.get(0) != chosen) {
      reason.append("; recovery supersedes configuration changes");
    }
    for (String note : notes) {
      reason.append("; ").append(note);
    }
    return new Decision(
        id,
        s.pipelineId(),
        s.tick(),
        verdict,
        chosen,
        reason.toString(),
        sortRejections(rejections, candidates));
  }

  /** Arbitration order: class, approved first, net benefit descending, agent, id. */
  static Comparator<Proposal> order(Set<String> approved) {
    return Comparator.<Proposal>comparingInt(
            p -> p.priority() == null ? Integer.MAX_VALUE : p.priority().ordinal())
        .thenComparing(p -> !approved.contains(p.id()))
        .thenComparing(
            p ->
                p.expectedEffect() == null || Double.isNaN(p.expectedEffect().netBenefit())
                    ? Double.NEGATIVE_INFINITY
                    : p.expectedEffect().netBenefit(),
            Comparator.reverseOrder())
        .thenComparingInt(p -> p.agent() == null ? Integer.MAX_VALUE : p.agent().ordinal())
        .thenComparing(Proposal::id);
  }

  /**
   * A scale-down (any operator's parallelism or the TaskManager CPU shrinks) while a prediction
   * proposal of the same tick forecasts more load than is processed now: refused when the forecast
   * would drive the bottleneck utilisation of the smaller configuration above the bound.
   */
  private Optional<String> scaleDownConflict(
      Proposal p, Situation s, List<Proposal> all, List<String> notes) {
    if (p.agent() == AgentKind.PREDICTION) {
      return Optional.empty();
    }
    PipelineConfig current = s.snapshot().config();
    PipelineConfig target = p.action().targetConfig(current);
    if (!scalesDown(current, target)) {
      return Optional.empty();
    }
    double load = s.snapshot().job().throughputPerSecond();
    Optional<Proposal> surge =
        all.stream()
            .filter(q -> q.agent() == AgentKind.PREDICTION && q.expectedEffect() != null)
            .filter(q -> q.expectedEffect().predictedThroughput() > load)
            .max(Comparator.comparingDouble(q -> q.expectedEffect().predictedThroughput()));
    if (surge.isEmpty()) {
      return Optional.empty();
    }
    double forecast = surge.get().expectedEffect().predictedThroughput();
    double growth = load > 0 ? forecast / load : Double.POSITIVE_INFINITY;
    double utilisation = 0;
    String bottleneck = "none";
    double tmFactor =
        (double) (current.taskManagers() * current.taskManagerCpu())
            / Math.max(1e-9, target.taskManagers() * target.taskManagerCpu());
    for (OperatorMetrics op : s.snapshot().operators()) {
      Integer before = current.parallelism().get(op.operatorId());
      Integer after = target.parallelism().get(op.operatorId());
      if (before == null || after == null || after <= 0) {
        continue;
      }
      double u = op.busyRatio() * growth * ((double) before / after) * Math.max(1.0, tmFactor);
      if (u > utilisation) {
        utilisation = u;
        bottleneck = op.operatorId();
      }
    }
    String weighed =
        String.format(
            Locale.ROOT,
            "%s forecasts %.0f/s against %.0f/s processed now (x%.2f); after %s the bottleneck %s"
                + " would run at %.0f %% utilisation (bound %.0f %%)",
            surge.get().id(),
            forecast,
            load,
            growth,
            p.id(),
            bottleneck,
            utilisation * 100,
            settings.scaleDownMaxForecastUtilisation() * 100);
    if (utilisation > settings.scaleDownMaxForecastUtilisation()) {
      return Optional.of("scale-down refused during a forecast surge: " + weighed);
    }
    notes.add("scale-down " + p.id() + " kept despite the forecast: " + weighed);
    return Optional.empty();
  }

  /**
   * Whether {@code target} only adds capacity to {@code current}: no operator's parallelism and no
   * TaskManager resource shrinks, and some parallelism, the TaskManager count, CPU or memory grows.
   * Such a change may replace a change under verification (see the class comment).
   */
  public static boolean scalesUpOnly(PipelineConfig current, PipelineConfig target) {
    if (scalesDown(current, target)
        || target.taskManagerMemoryGb() < current.taskManagerMemoryGb()
        || target.taskManagerCpu() < current.taskManagerCpu()
        || !target.parallelism().keySet().equals(current.parallelism().keySet())) {
      return false;
    }
    boolean grows =
        target.taskManagers() > current.taskManagers()
            || target.taskManagerCpu() > current.taskManagerCpu()
            || target.taskManagerMemoryGb() > current.taskManagerMemoryGb();
    for (Map.Entry<String, Integer> e : target.parallelism().entrySet()) {
      grows |= e.getValue() > current.parallelism().get(e.getKey());
    }
    return grows
        && target.networkBufferMb() == current.networkBufferMb()
        && target.checkpointIntervalSeconds() == current.checkpointIntervalSeconds();
  }

  /**
   * Whether a scaling agent's configuration change may replace the change under verification: it
   * only adds capacity ({@link #scalesUpOnly}) and the pipeline is short of it now (consumer lag
   * above one tick of throughput, or the bottleneck operator busier than {@value
   * #SHORT_OF_CAPACITY_BUSY}).
   */
  private static boolean supersedingScaleUp(Proposal p, Situation s) {
    if (s.actionUnderVerification() == null
        || (p.agent() != AgentKind.PREDICTION && p.agent() != AgentKind.OPTIMIZATION)) {
      return false;
    }
    PipelineConfig current = s.snapshot().config();
    PipelineConfig target;
    try {
      target = p.action().targetConfig(current);
    } catch (RuntimeException e) {
      return false;
    }
    if (!scalesUpOnly(current, target)) {
      return false;
    }
    double throughput = s.snapshot().job().throughputPerSecond();
    double busiest = 0;
    for (OperatorMetrics op : s.snapshot().operators()) {
      busiest = Math.max(busiest, op.busyRatio());
    }
    return s.snapshot().job().consumerLag() > throughput * TICK_SECONDS_FOR_LAG
        || busiest > SHORT_OF_CAPACITY_BUSY;
  }

  /** A bottleneck busier than this is short of capacity (ours). */
  private static final double SHORT_OF_CAPACITY_BUSY = 0.9;

  /** A backlog above this many seconds of throughput is short of capacity (ours: one tick). */
  private static final double TICK_SECONDS_FOR_LAG = 10;

  static boolean scalesDown(PipelineConfig current, PipelineConfig target) {
    for (Map.Entry<String, Integer> e : target.parallelism().entrySet()) {
      Integer before = current.parallelism().get(e.getKey());
      if (before != null && e.getValue() < before) {
        return true;
      }
    }
    return target.taskManagers() * target.taskManagerCpu()
        < current.taskManagers() * current.taskManagerCpu();
  }

  private static List<Decision.Rejection> sortRejections(
      List<Decision.Rejection> rejections, List<Proposal> order) {
    List<String> ids = order.stream().map(Proposal::id).toList();
    List<Decision.Rejection> sorted = new ArrayList<>(rejections);
    sorted.sort(
        Comparator.comparingInt(
            r -> {
              int i = ids.indexOf(r.proposalId());
              return i < 0 ? Integer.MAX_VALUE : i;
            }));
    return sorted;
  }

  private static Decision.Rejection reject(Proposal p, RejectionCode code, String reason) {
    String action;
    try {
      action = p.action() == null ? "none" : p.action().describe();
    } catch (RuntimeException e) {
      action = "undescribable action";
    }
    return new Decision.Rejection(p.id(), p.agent(), action, code, reason);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.3f", v);
  }
}
