package dev.autopilot.api;

import dev.autopilot.persistence.JsonSerializable;
import java.util.List;

/**
 * An agent's proposal for one tick.
 *
 * @param id unique id, {@code <agent>-<pipeline>-<tick>-<n>}
 * @param pipelineId the target pipeline
 * @param agent the proposing agent
 * @param priority arbitration class
 * @param action the proposed action
 * @param confidence 0–1
 * @param expectedEffect what the agent predicts
 * @param evidence the observations behind it, human-readable
 * @param cause the diagnosed or forecast cause
 * @param tick the tick it was made for
 * @param expiryTick the last tick at which it may still be executed
 */
public record Proposal(
    String id,
    String pipelineId,
    AgentKind agent,
    PriorityClass priority,
    Action action,
    double confidence,
    ExpectedEffect expectedEffect,
    List<String> evidence,
    String cause,
    long tick,
    long expiryTick)
    implements JsonSerializable {

  public Proposal {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }

  public boolean expiredAt(long currentTick) {
    return currentTick > expiryTick;
  }
}
