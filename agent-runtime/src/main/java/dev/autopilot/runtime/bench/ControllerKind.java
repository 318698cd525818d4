package dev.autopilot.runtime.bench;

import java.util.Locale;
import java.util.Optional;

/** The controllers `run` compares over the same scenario. */
public enum ControllerKind {
  /** Fixed configuration sized for the regular peak; a human on call fixes faults. */
  STATIC("static"),
  /** The paper's baseline: CPU-threshold autoscaling, alert then approved recovery. */
  RULE_BASED("rule-based"),
  /**
   * The optimization agent's rate-based DS2 policy acting alone (within the meta-agent's hard
   * bounds on size), with rule-based's alert-then-approved recovery.
   */
  DS2("ds2"),
  /**
   * The Flink Kubernetes Operator autoscaler (the flink-autoscaler 1.10.0 library on the simulated
   * clock), with rule-based's alert-then-approved recovery.
   */
  FKO("fko"),
  /** The agent team (prediction, recovery, optimization, meta-agent, actuator). */
  AGENTS("agents"),
  /**
   * The agent team without the prediction agent (the ablation {@code run --ablate prediction}): the
   * meta-agent neither asks nor waits for it.
   */
  AGENTS_NO_PREDICTION("agents-no-prediction"),
  /**
   * The agent team without the optimization agent (the ablation {@code run --ablate optimization}):
   * the meta-agent neither asks nor waits for it, and no configuration is tuned beyond what
   * prediction and recovery propose.
   */
  AGENTS_NO_OPTIMIZATION("agents-no-optimization"),
  /**
   * The agent team with the learned (PPO) optimizer acting: the policy bundle of {@code
   * autopilot.optimization.learned} is promoted at the first tick by the gate's override ({@code
   * require-shadow-win = off}, journaled as an override), so that {@code run --controllers
   * agents,agents-learned} compares it with DS2 on the same seed. Fails when no bundle can be
   * loaded, rather than running DS2 under its name.
   */
  AGENTS_LEARNED("agents-learned");

  private final String id;

  ControllerKind(String id) {
    this.id = id;
  }

  /** Whether this controller is the agent runtime (complete or ablated). */
  public boolean agents() {
    return this == AGENTS
        || this == AGENTS_NO_PREDICTION
        || this == AGENTS_NO_OPTIMIZATION
        || this == AGENTS_LEARNED;
  }

  /** The name used on the command line, in results.json and in file names. */
  public String id() {
    return id;
  }

  /** The controller with this id (case-insensitive), if any. */
  public static Optional<ControllerKind> fromId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    for (ControllerKind k : values()) {
      if (k.id.equals(wanted)) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }
}
