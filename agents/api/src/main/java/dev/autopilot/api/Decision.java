package dev.autopilot.api;

import dev.autopilot.persistence.JsonSerializable;
import java.util.List;

/**
 * The meta-agent's decision for one tick of one pipeline.
 *
 * @param id unique id, {@code decision-<pipeline>-<tick>}
 * @param pipelineId the pipeline
 * @param tick the tick it closes
 * @param verdict what happens to the chosen proposal
 * @param chosen the winning proposal, null when {@link Verdict#NO_ACTION}
 * @param reason why (arbitration and conflict resolution, in words)
 * @param rejections every other proposal of the tick, with the reason it lost or was refused
 */
public record Decision(
    String id,
    String pipelineId,
    long tick,
    Verdict verdict,
    Proposal chosen,
    String reason,
    List<Rejection> rejections)
    implements JsonSerializable {

  public Decision {
    rejections = rejections == null ? List.of() : List.copyOf(rejections);
  }

  /** What happens to the chosen proposal. */
  public enum Verdict {
    /** Sent to the actuator. */
    APPLY,
    /** Shadow mode: decided and journaled, never applied. */
    SHADOW,
    /** Approval mode: waits for an approval message. */
    AWAITING_APPROVAL,
    /** Nothing admissible was proposed. */
    NO_ACTION
  }

  /**
   * A proposal that was not chosen.
   *
   * @param proposalId the proposal
   * @param agent its agent
   * @param action its action, described
   * @param code machine-readable reason
   * @param reason human-readable reason
   */
  public record Rejection(
      String proposalId, AgentKind agent, String action, RejectionCode code, String reason)
      implements JsonSerializable {}

  /** Why a proposal was not chosen. */
  public enum RejectionCode {
    THROUGHPUT_DROP,
    LATENCY_RISE,
    MIN_PARALLELISM,
    CAPACITY,
    OUT_OF_TESTED_RANGE,
    COOLDOWN,
    EXPIRED,
    INVALID,
    CONFLICT,
    LOWER_PRIORITY,
    ACTUATION_IN_PROGRESS,
    APPROVAL_DENIED
  }
}
