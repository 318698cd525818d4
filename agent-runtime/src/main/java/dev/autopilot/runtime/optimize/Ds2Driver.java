package dev.autopilot.runtime.optimize;

import dev.autopilot.agents.optimization.policy.Ds2Controller;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.policy.ProposalHistory;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Optional;

/**
 * The DS2 baseline as a {@link SimEnvironment.TickController}: the optimization agent's {@link
 * Ds2Controller} evaluates every tick through its normal {@code evaluate()} (settle ticks,
 * hysteresis, cooldown and scale-down stabilisation included), and its proposal's target
 * configuration is applied at once (no meta-agent, no admission control: the learned policy is
 * applied the same way in the shadow evaluation). One per episode.
 */
public final class Ds2Driver implements SimEnvironment.TickController {

  private final Ds2Controller controller;
  private final SlaSpec sla;
  private long lastProposalTick = Long.MIN_VALUE;
  private int proposals;

  public Ds2Driver(OptimizationSettings settings, SlaSpec sla) {
    this.controller = new Ds2Controller(settings);
    this.sla = sla;
  }

  /** Proposals made so far. */
  public int proposals() {
    return proposals;
  }

  @Override
  public Optional<PipelineConfig> onTick(TelemetrySnapshot s) {
    Optional<Proposal> p =
        controller.evaluate(s, sla, new ProposalHistory(lastProposalTick, false)).proposal();
    if (p.isEmpty()) {
      return Optional.empty();
    }
    lastProposalTick = s.tick();
    proposals++;
    return Optional.of(p.get().action().targetConfig(s.config()));
  }
}
