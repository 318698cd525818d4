package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.optimization.OptimizationAgent;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.policy.LearnedSettings;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.prediction.LearnedComponents;
import dev.autopilot.agents.prediction.PreScalers;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.agents.prediction.forecast.UpperForecaster;
import dev.autopilot.agents.prediction.forecast.WorkloadForecaster;
import dev.autopilot.agents.prediction.forecast.WorkloadSettings;
import dev.autopilot.agents.prediction.learn.LearningSettings;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.agents.prediction.policy.LearnedPolicySettings;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.agents.recovery.RecoveryAgent;
import dev.autopilot.agents.recovery.RecoveryModelSettings;
import dev.autopilot.agents.recovery.RecoveryModelsLoader;
import dev.autopilot.agents.recovery.detect.EnsembleSettings;
import dev.autopilot.agents.recovery.drift.HealthSettings;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Platform;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;

/** Registers every agent's sharding on a node: the composition root's one place for it. */
public final class AgentEntities {
  private AgentEntities() {}

  /**
   * Starts sharding for the prediction, recovery, optimization and meta entities on this node (the
   * prediction and optimization agents only when they are among {@code autopilot.meta.proposers}:
   * an ablation without one runs no entity of it). Every node of the cluster must call it, with a
   * platform that reaches the same pipelines. The recovery agent's pinned models are loaded here,
   * before any entity runs.
   */
  public static void init(ActorSystem<?> system, Platform platform) {
    init(system, platform, PredictionModelsLoader.load(system.settings().config()));
  }

  /**
   * As {@link #init(ActorSystem, Platform)}, with the prediction agent's learned forecaster parts
   * given ({@link PredictionModels#NONE}: the Holt baseline alone).
   */
  public static void init(ActorSystem<?> system, Platform platform, PredictionModels prediction) {
    init(system, platform, prediction, LearnedPolicyLoader.load(system.settings().config()));
  }

  /**
   * As {@link #init(ActorSystem, Platform, PredictionModels)}, with the optimization agent's
   * learned-policy factory given ({@link LearnedPolicyLoader#load}; a factory that answers empty
   * leaves DS2 alone).
   */
  public static void init(
      ActorSystem<?> system,
      Platform platform,
      PredictionModels prediction,
      Function<String, Optional<LearnedPolicy>> learnedPolicies) {
    Config c = system.settings().config();
    MetaSettings meta = MetaSettings.create(c);
    if (meta.proposers().contains(AgentKind.PREDICTION)) {
      PredictionSettings settings = PredictionSettings.create(c);
      // The learned pre-scale policy and the agent's scoring and learning share one set of parts
      // (PredictionModelsLoader); pre-scales are sized for the higher of the seasonal workload
      // forecast and Holt's trend (a one-off ramp is in neither's pattern but in the trend).
      WorkloadSettings workload = WorkloadSettings.create(c);
      PredictionAgent.initSharding(
          system,
          settings,
          PreScalers.factory(
              settings,
              LearnedPolicySettings.create(c),
              LearnedComponents.of(
                  prediction,
                  () ->
                      new UpperForecaster(
                          List.of(
                              new WorkloadForecaster(workload),
                              LearnedComponents.holtForecaster(settings))),
                  settings)),
          LearningSettings.create(c),
          prediction);
    }
    RecoverySettings recovery = RecoverySettings.create(c);
    RecoveryAgent.initSharding(
        system,
        recovery,
        RecoveryModelsLoader.load(
            RecoveryModelSettings.create(c),
            recovery,
            EnsembleSettings.create(c),
            EnsembleSettings.oodGuard(c),
            HealthSettings.create(c)));
    if (meta.proposers().contains(AgentKind.OPTIMIZATION)) {
      OptimizationAgent.initSharding(
          system, OptimizationSettings.create(c), LearnedSettings.create(c), learnedPolicies);
    }
    MetaAgent.initSharding(system, meta, platform);
  }
}
