package dev.autopilot.agents.optimization.learned;

import dev.autopilot.agents.optimization.ppo.PpoPolicy;
import dev.autopilot.agents.optimization.rl.ActionSpace;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.agents.optimization.rl.StateEncoder;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.EffectModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The trained PPO optimizer behind the {@link LearnedPolicy} seam: {@link StateEncoder} → {@link
 * PpoPolicy#act} (the deterministic tanh mean of the actor) → {@link ActionSpace}.
 *
 * <p>The encoder sees every tick (its trend window and rate estimates need them); the policy
 * decides on ticks that are multiples of {@link RlSettings#decisionTicks()}, as in training. It
 * recommends only when the target differs from the running configuration.
 *
 * <ul>
 *   <li><b>Confidence</b> is {@code exp(−mean σ)} of the actor's learned standard deviations: a
 *       policy that trained down to narrow actions is surer of them (1 = deterministic).
 *   <li><b>Expected effect</b>: the rate-based capacity scaled by the smallest relative parallelism
 *       change (the bottleneck may be any operator), the demand plus backlog catch-up up to that
 *       capacity as the predicted throughput, and the queueing latency change and net benefit of
 *       {@link EffectModel} (with the DS2 defaults: fixed latency share 0.8, utilisation cap 0.95,
 *       slot cost weight 0.5).
 * </ul>
 *
 * Not thread-safe; one instance per actor (it keeps the encoder's working memory).
 */
public final class PpoLearnedPolicy implements LearnedPolicy {

  /** The bundle component holding the policy bytes. */
  public static final String COMPONENT = "ppo-policy";

  private static final double LATENCY_FIXED_SHARE = 0.8;
  private static final double LATENCY_MAX_UTILISATION = 0.95;
  private static final double SLOT_COST_WEIGHT = 0.5;

  private final int version;
  private final PpoPolicy policy;
  private final RlSettings settings;
  private final ShadowEvaluation evaluation;
  private final StateEncoder encoder;
  private final ActionSpace actions;
  private final EffectModel effects;
  private final double confidence;

  /**
   * @param version bundle version
   * @param policy the trained actor
   * @param settings the encoder and action-space settings the policy was trained with
   * @param evaluation the bundle's shadow evaluation
   * @throws IllegalArgumentException when the policy's sizes do not match the encoder's
   */
  public PpoLearnedPolicy(
      int version, PpoPolicy policy, RlSettings settings, ShadowEvaluation evaluation) {
    if (policy.stateSize() != StateEncoder.SIZE || policy.actionSize() != ActionSpace.SIZE) {
      throw new IllegalArgumentException(
          "a PPO policy of "
              + policy.stateSize()
              + " states and "
              + policy.actionSize()
              + " actions does not fit the optimizer's "
              + StateEncoder.SIZE
              + " and "
              + ActionSpace.SIZE);
    }
    this.version = version;
    this.policy = policy;
    this.settings = settings;
    this.evaluation = evaluation == null ? ShadowEvaluation.none() : evaluation;
    this.encoder = new StateEncoder(settings);
    this.actions = new ActionSpace(settings);
    this.effects =
        new EffectModel(
            settings.targetUtilisation(),
            LATENCY_FIXED_SHARE,
            LATENCY_MAX_UTILISATION,
            SLOT_COST_WEIGHT);
    double meanStd = 0;
    for (double l : policy.logStd()) {
      meanStd += Math.exp(l);
    }
    this.confidence = Math.exp(-meanStd / Math.max(1, policy.logStd().length));
  }

  @Override
  public PpoLearnedPolicy fresh() {
    return new PpoLearnedPolicy(version, policy, settings, evaluation);
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public ShadowEvaluation evaluation() {
    return evaluation;
  }

  /** The trained actor. */
  public PpoPolicy policy() {
    return policy;
  }

  @Override
  public Optional<Recommendation> recommend(TelemetrySnapshot snapshot, SlaSpec sla) {
    StateEncoder.Observation o = encoder.observe(snapshot, sla);
    if (snapshot.tick() % settings.decisionTicks() != 0) {
      return Optional.empty();
    }
    double[] action = policy.act(o.features());
    PipelineConfig current = snapshot.config();
    PipelineConfig target = actions.target(o, action);
    if (target.equals(current)) {
      return Optional.empty();
    }
    return Optional.of(
        new Recommendation(
            target,
            confidence,
            effect(snapshot, o, target),
            evidence(snapshot, sla, o, action, target)));
  }

  private ExpectedEffect effect(
      TelemetrySnapshot s, StateEncoder.Observation o, PipelineConfig target) {
    PipelineConfig current = s.config();
    double ratio = Double.POSITIVE_INFINITY;
    for (Map.Entry<String, Integer> e : current.parallelism().entrySet()) {
      Integer next = target.parallelism().get(e.getKey());
      if (next != null && e.getValue() > 0) {
        ratio = Math.min(ratio, next / (double) e.getValue());
      }
    }
    if (!Double.isFinite(ratio)) {
      ratio = 1;
    }
    double capacityBefore = o.capacity();
    double capacityAfter = capacityBefore * ratio;
    double targetRate =
        o.demand() + s.job().consumerLag() / Math.max(1e-9, settings.catchUpSeconds());
    double throughput = s.job().throughputPerSecond();
    double predicted = capacityBefore > 0 ? Math.min(targetRate, capacityAfter) : throughput;
    double throughputChange = throughput > 0 ? predicted / throughput - 1 : 0;
    double latencyChange =
        capacityBefore > 0 ? effects.latencyChange(o.demand(), capacityBefore, capacityAfter) : 0;
    double netBenefit =
        capacityBefore > 0
            ? effects.netBenefit(
                targetRate,
                capacityBefore,
                capacityAfter,
                current.availableSlots(),
                target.availableSlots())
            : 0;
    return new ExpectedEffect(
        throughputChange,
        latencyChange,
        predicted,
        s.job().latencyP99Ms() * (1 + latencyChange),
        netBenefit);
  }

  private List<String> evidence(
      TelemetrySnapshot s,
      SlaSpec sla,
      StateEncoder.Observation o,
      double[] action,
      PipelineConfig target) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "PPO policy v%d: demand %.0f/s (SLA target %.0f/s), throughput %.0f/s, p99 %.0f ms"
                + " (bound %.0f ms), consumer lag %.0f, CPU %.2f",
            version,
            o.demand(),
            sla.throughputTarget(),
            s.job().throughputPerSecond(),
            s.job().latencyP99Ms(),
            sla.latencyP99BoundMs(),
            s.job().consumerLag(),
            o.features()[StateEncoder.CPU]));
    StringBuilder ops =
        new StringBuilder(
            "key operators (rate-based required + residual ->" + " target, running):");
    List<String> keys = settings.keyOperators();
    for (int k = 0; k < keys.size(); k++) {
      String op = keys.get(k);
      Integer required = o.required().get(op);
      Integer running = s.config().parallelism().get(op);
      ops.append(
          String.format(
              Locale.ROOT,
              " %s %s%+d -> %s (%s);",
              op,
              required,
              Math.round(settings.parallelismDelta() * Math.max(-1, Math.min(1, action[k]))),
              target.parallelism().get(op),
              running));
    }
    out.add(ops.toString());
    out.add("target " + target.summary() + " (running " + s.config().summary() + ")");
    out.add(
        evaluation.validationSeeds().isEmpty()
            ? "no shadow evaluation"
            : String.format(
                Locale.ROOT,
                "shadow evaluation on %d validation seeds: SLA violations %.2f %% (DS2 %.2f %%),"
                    + " cost %.4f $/M events (DS2 %.4f)%s",
                evaluation.validationSeeds().size(),
                evaluation.policySlaViolationPct(),
                evaluation.baselineSlaViolationPct(),
                evaluation.policyCostPerMillionEvents(),
                evaluation.baselineCostPerMillionEvents(),
                evaluation.beatsBaseline() ? ", beats DS2" : ", does not beat DS2"));
    return out;
  }
}
