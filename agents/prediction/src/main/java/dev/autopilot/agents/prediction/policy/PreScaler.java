package dev.autopilot.agents.prediction.policy;

import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Optional;

/**
 * A pre-scale policy of the prediction agent: takes in each validated snapshot of one pipeline and
 * may propose a pre-scale. Pure (event time only), stateful working memory, not thread-safe: one
 * instance per pipeline entity. Implementations: the Holt-trend baseline {@link PreScalePolicy} and
 * the learned {@link LearnedPreScalePolicy} ({@code autopilot.prediction.policy}).
 */
public interface PreScaler {

  /**
   * The outcome of one evaluation.
   *
   * @param proposal the proposal, when one is made
   * @param reason why a proposal was or was not made, for the logs
   */
  record Result(Optional<Proposal> proposal, String reason) {
    static Result quiet(String reason) {
      return new Result(Optional.empty(), reason);
    }
  }

  /** The policy's name in logs and status: {@code holt} or {@code learned}. */
  String name();

  /**
   * Takes in one validated snapshot of the pipeline and decides whether to propose a pre-scale.
   *
   * @param s a validated snapshot of this policy's pipeline (ticks increasing)
   * @param sla the pipeline's SLA
   * @param history the agent's earlier proposals
   */
  Result evaluate(TelemetrySnapshot s, SlaSpec sla, ProposalHistory history);
}
