package dev.autopilot.agents.optimization.policy;

import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The safety gate around a learned policy (issue 5, "Safety"): when it may act, what it proposes in
 * shadow, and the discipline its live proposals keep. Pure: no Pekko, time is the snapshot's tick.
 *
 * <ul>
 *   <li><b>Promotion.</b> A policy version is promoted once, when its offline shadow evaluation
 *       {@link ShadowEvaluation#beatsBaseline() beats DS2} on the validation seeds, or at once when
 *       {@code require-shadow-win} is off (an operator override, said so in the reason). A version
 *       that was demoted is never promoted again, override or not: a new bundle version is needed.
 *   <li><b>Shadow.</b> Before its promotion, the policy's recommendation becomes a shadow proposal
 *       only when it differs from the running configuration and from the last shadow proposal, and
 *       at least {@code shadow-interval-ticks} after it: a steady opinion is journaled once, a
 *       wandering one at most once per interval.
 *   <li><b>Live.</b> After it, the recommendation is a live proposal under the same discipline as
 *       DS2's ({@link ProposalHistory}): none while the last proposal is pending, none within the
 *       cooldown, none in a direction that was rolled back or failed within the back-off.
 * </ul>
 *
 * <p>Learned proposals have the id {@code optimization-<pipeline>-<tick>-1} (DS2's end in {@code
 * -0}), priority {@link PriorityClass#OPTIMIZATION}, the policy's confidence and expected effect,
 * and evidence and cause naming the policy version.
 */
public final class LearnedGate {

  /** Why a version is promoted now. */
  public record Promotion(
      int version, ShadowEvaluation evaluation, boolean override, String reason) {}

  /** A live learned proposal, or why there is none. */
  public record Live(Optional<Proposal> proposal, ScalingDirection direction, String reason) {}

  private final OptimizationSettings settings;
  private final LearnedSettings learned;

  public LearnedGate(OptimizationSettings settings, LearnedSettings learned) {
    this.settings = settings;
    this.learned = learned;
  }

  /** The gate's settings. */
  public LearnedSettings learned() {
    return learned;
  }

  /**
   * Whether {@code version} (with its evaluation) is to be promoted now.
   *
   * @param promotedVersion the version promoted now, 0 when none
   * @param demotedVersions versions demoted before
   */
  public Optional<Promotion> promotion(
      int version, ShadowEvaluation evaluation, int promotedVersion, Set<Integer> demotedVersions) {
    if (version == promotedVersion || demotedVersions.contains(version)) {
      return Optional.empty();
    }
    ShadowEvaluation e = evaluation == null ? ShadowEvaluation.none() : evaluation;
    if (!learned.requireShadowWin()) {
      return Optional.of(
          new Promotion(
              version,
              e,
              true,
              "operator override (autopilot.optimization.learned.require-shadow-win = off): "
                  + "promoted without a shadow win; "
                  + describe(e)));
    }
    if (!e.beatsBaseline()) {
      return Optional.empty();
    }
    return Optional.of(
        new Promotion(version, e, false, "shadow evaluation beats DS2: " + describe(e)));
  }

  /**
   * The shadow proposal of a recommendation, or empty when it is not to be journaled.
   *
   * @param lastShadowTick tick of the last shadow proposal, {@code Long.MIN_VALUE} when none
   * @param lastShadowTarget its target configuration, null when none
   */
  public Optional<Proposal> shadow(
      TelemetrySnapshot s,
      LearnedPolicy.Recommendation r,
      int version,
      long lastShadowTick,
      PipelineConfig lastShadowTarget) {
    if (r == null || r.target() == null || r.target().equals(s.config())) {
      return Optional.empty();
    }
    if (r.target().equals(lastShadowTarget)) {
      return Optional.empty();
    }
    if (lastShadowTick != Long.MIN_VALUE
        && s.tick() - lastShadowTick < learned.shadowIntervalTicks()) {
      return Optional.empty();
    }
    return Optional.of(proposal(s, r, version, "shadow"));
  }

  /** The live proposal of a promoted policy's recommendation, under DS2's discipline. */
  public Live live(
      TelemetrySnapshot s, LearnedPolicy.Recommendation r, int version, ProposalHistory history) {
    if (r == null || r.target() == null || r.target().equals(s.config())) {
      return new Live(Optional.empty(), null, "learned policy v" + version + " keeps the config");
    }
    ScalingDirection direction = ScalingDirection.of(s.config(), r.target());
    if (history.pending()) {
      return new Live(Optional.empty(), direction, "last proposal still pending");
    }
    if (history.inCooldown(s.tick(), settings.cooldownTicks())) {
      return new Live(Optional.empty(), direction, "cooldown after the last proposal");
    }
    if (history.backedOff(direction, s.tick(), settings.rollbackBackoffTicks())) {
      return new Live(
          Optional.empty(),
          direction,
          "back-off: a scale-"
              + direction.name().toLowerCase(Locale.ROOT)
              + " failed, until tick "
              + history.backoffEnd(direction, settings.rollbackBackoffTicks()));
    }
    return new Live(Optional.of(proposal(s, r, version, "live")), direction, "proposed");
  }

  /** Proposal id of a learned proposal: {@code optimization-<pipeline>-<tick>-1}. */
  public static String proposalId(String pipelineId, long tick) {
    return Ds2Controller.proposalId(pipelineId, tick, 1);
  }

  /** The start of the cause every learned proposal carries. */
  public static final String CAUSE_PREFIX = "learned policy v";

  /** The cause every learned proposal carries: {@code learned policy v<N>}. */
  public static String cause(int version) {
    return CAUSE_PREFIX + version;
  }

  /** Whether {@code p} is a learned policy's proposal (shadow or live). */
  public static boolean isLearned(Proposal p) {
    return p != null
        && p.agent() == AgentKind.OPTIMIZATION
        && p.cause() != null
        && p.cause().startsWith(CAUSE_PREFIX);
  }

  private Proposal proposal(
      TelemetrySnapshot s, LearnedPolicy.Recommendation r, int version, String mode) {
    List<String> evidence = new ArrayList<>();
    evidence.add(cause(version) + " (" + mode + ")");
    evidence.addAll(r.evidence());
    return new Proposal(
        proposalId(s.pipelineId(), s.tick()),
        s.pipelineId(),
        AgentKind.OPTIMIZATION,
        PriorityClass.OPTIMIZATION,
        new Action.Reconfigure(r.target(), cause(version)),
        r.confidence(),
        r.expectedEffect(),
        evidence,
        cause(version),
        s.tick(),
        s.tick() + settings.proposalExpiryTicks());
  }

  private static String describe(ShadowEvaluation e) {
    if (e.validationSeeds().isEmpty()) {
      return "no shadow evaluation";
    }
    return String.format(
        Locale.ROOT,
        "seeds %s, SLA violations %.2f %% vs DS2 %.2f %%, cost/M events %.4f vs %.4f",
        e.validationSeeds(),
        e.policySlaViolationPct(),
        e.baselineSlaViolationPct(),
        e.policyCostPerMillionEvents(),
        e.baselineCostPerMillionEvents());
  }
}
