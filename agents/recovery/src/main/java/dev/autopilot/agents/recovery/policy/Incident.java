package dev.autopilot.agents.recovery.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import java.util.List;

/**
 * An open recovery incident: the journaled part of the recovery agent's state. Immutable; its
 * {@code with...} methods are the only transitions, used both by the policy and by the actor's
 * event handler.
 *
 * @param number 1-based incident number per pipeline
 * @param openedTick tick it opened
 * @param cause diagnosed cause
 * @param score the cause's score when it opened
 * @param diagnosis the ranked causes when it opened ("CAUSE (score)"), best first
 * @param operator the operator the diagnosis points at, or null
 * @param node the node the diagnosis points at, or null
 * @param baselineThroughput pre-incident throughput level, events/s
 * @param baselineLatencyP99Ms pre-incident p99 latency level, ms
 * @param knownGood last configuration seen running healthy before the incident, or null
 * @param rung ladder index of the current (or next) rung
 * @param pending the proposal awaiting its outcome, or null
 * @param settledTick tick the last action was verified, or -1
 * @param exhausted whether no rung is left
 * @param exhaustedTick tick the ladder was exhausted, or -1
 * @param attempts actions proposed so far
 */
public record Incident(
    long number,
    long openedTick,
    FailureMode cause,
    double score,
    List<String> diagnosis,
    String operator,
    String node,
    double baselineThroughput,
    double baselineLatencyP99Ms,
    PipelineConfig knownGood,
    int rung,
    Pending pending,
    long settledTick,
    boolean exhausted,
    long exhaustedTick,
    int attempts) {

  public Incident {
    diagnosis = diagnosis == null ? List.of() : List.copyOf(diagnosis);
  }

  /**
   * A proposal of this incident awaiting its outcome.
   *
   * @param proposalId the proposal
   * @param tick the tick it was made for
   * @param rung its ladder index
   * @param action the proposed action
   */
  public record Pending(String proposalId, long tick, int rung, Action action) {}

  /** A proposal was made for rung {@code p.rung()}. */
  public Incident withProposal(Pending p) {
    return new Incident(
        number,
        openedTick,
        cause,
        score,
        diagnosis,
        operator,
        node,
        baselineThroughput,
        baselineLatencyP99Ms,
        knownGood,
        p.rung(),
        p,
        -1,
        exhausted,
        exhaustedTick,
        attempts + 1);
  }

  /** The pending proposal's outcome arrived (escalation, if any, is a separate transition). */
  public Incident withOutcome(String proposalId, AgentProtocol.OutcomeKind kind, long tick) {
    if (pending == null || !pending.proposalId().equals(proposalId)) {
      return this;
    }
    long settled = kind == AgentProtocol.OutcomeKind.VERIFIED ? tick : settledTick;
    return new Incident(
        number,
        openedTick,
        cause,
        score,
        diagnosis,
        operator,
        node,
        baselineThroughput,
        baselineLatencyP99Ms,
        knownGood,
        rung,
        null,
        settled,
        exhausted,
        exhaustedTick,
        attempts);
  }

  /** Moved to rung {@code toRung}; {@code nowExhausted} when no rung is left. */
  public Incident escalated(int toRung, boolean nowExhausted, long tick) {
    return new Incident(
        number,
        openedTick,
        cause,
        score,
        diagnosis,
        operator,
        node,
        baselineThroughput,
        baselineLatencyP99Ms,
        knownGood,
        toRung,
        null,
        -1,
        nowExhausted,
        nowExhausted ? tick : -1,
        attempts);
  }
}
