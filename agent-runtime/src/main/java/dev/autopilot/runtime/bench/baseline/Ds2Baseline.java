package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.agents.optimization.policy.Ds2Controller;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.policy.ProposalHistory;
import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code ds2} baseline: the optimization agent's rate-based {@link Ds2Controller} acting alone,
 * without the meta-agent, the other agents or the actuator's verification and rollback.
 *
 * <p><b>Scaling.</b> Each tick the controller evaluates the snapshot through its normal {@code
 * evaluate()} (settle ticks, hysteresis band, dead band, cooldown, held-back bounded scale-down,
 * all from {@code autopilot.optimization}); a proposal's target configuration is fitted into the
 * meta-agent's hard bounds on size ({@link ParallelismBounds}: minimum parallelism 4, tested range
 * 4..256, TaskManagers for the slots, cluster share) and applied at once as one {@link
 * Action.Reconfigure}. A target the bounds refuse, or one equal to the running configuration, is
 * not applied. There is no pending proposal (the change is applied in the same tick) and no
 * rollback, so the proposal history only carries the last proposal's tick (for the cooldown).
 *
 * <p><b>Faults.</b> DS2 does not recover failures: the rule-based baseline's {@link AlertRecovery}
 * (alert after 4.5 minutes, fix after a human's approval 5 minutes later).
 *
 * <p>One instance per pipeline; event time only.
 */
public final class Ds2Baseline implements BaselineController {

  private static final Logger LOG = LoggerFactory.getLogger(Ds2Baseline.class);

  private final Ds2Controller controller;
  private final SlaSpec sla;
  private final ParallelismBounds bounds;
  private final AlertRecovery recovery;
  private long lastProposalTick = Long.MIN_VALUE;
  private Long lastTick;
  private int refused;

  /**
   * @param settings the DS2 policy's settings ({@code autopilot.optimization})
   * @param sla the pipeline's SLA (quoted in the proposal's evidence)
   * @param bounds the meta-agent's hard bounds on size
   * @param recovery the shared alert-and-approve recovery of this pipeline
   */
  public Ds2Baseline(
      OptimizationSettings settings,
      SlaSpec sla,
      ParallelismBounds bounds,
      AlertRecovery recovery) {
    this.controller = new Ds2Controller(Objects.requireNonNull(settings, "settings"));
    this.sla = Objects.requireNonNull(sla, "sla");
    this.bounds = Objects.requireNonNull(bounds, "bounds");
    this.recovery = Objects.requireNonNull(recovery, "recovery");
  }

  /** Proposals the bounds refused so far. */
  public int refused() {
    return refused;
  }

  @Override
  public BaselineStep onTick(TelemetrySnapshot snapshot) {
    long tick = snapshot.tick();
    if (lastTick != null && tick <= lastTick) {
      return BaselineStep.idle();
    }
    lastTick = tick;
    return recovery.withScaling(snapshot.pipelineId(), tick, scaling(snapshot).stream().toList());
  }

  private Optional<Action> scaling(TelemetrySnapshot s) {
    Optional<Proposal> p =
        controller.evaluate(s, sla, new ProposalHistory(lastProposalTick, false)).proposal();
    if (p.isEmpty()) {
      return Optional.empty();
    }
    lastProposalTick = s.tick();
    PipelineConfig proposed = p.get().action().targetConfig(s.config());
    Optional<PipelineConfig> fitted = bounds.fit(proposed);
    if (fitted.isEmpty()) {
      refused++;
      LOG.warn(
          "ds2 {} tick {}: proposal refused by the hard bounds: {}",
          s.pipelineId(),
          s.tick(),
          bounds.violation(proposed).orElse("?"));
      return Optional.empty();
    }
    if (fitted.get().equals(s.config())) {
      return Optional.empty();
    }
    return Optional.of(new Action.Reconfigure(fitted.get(), p.get().cause()));
  }
}
