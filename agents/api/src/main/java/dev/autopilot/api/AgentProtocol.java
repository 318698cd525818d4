package dev.autopilot.api;

import dev.autopilot.persistence.JsonSerializable;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The messages the meta-agent exchanges with the three proposing agents (prediction, recovery,
 * optimization). Defined here so that {@code agents/meta} names the other agents' messages only
 * through {@code agents/api}. Each agent is sharded under {@code
 * EntityTypeKey.create(AgentProtocol.Command.class, kind.entityTypeName())}, with the pipeline id
 * as entity id.
 */
public final class AgentProtocol {
  private AgentProtocol() {}

  /** Supertype of every command a proposing agent accepts. Agents add their own (status...). */
  public interface Command extends JsonSerializable {}

  /**
   * Evaluate one validated snapshot; reply with this tick's proposals (possibly none).
   *
   * @param snapshot the validated snapshot
   * @param sla the pipeline's SLA
   * @param replyTo where the proposals go
   */
  public record Evaluate(TelemetrySnapshot snapshot, SlaSpec sla, ActorRef<Proposals> replyTo)
      implements Command {

    /**
     * Why this request cannot be evaluated by the agent of {@code pipelineId}, or empty when it
     * can: a snapshot of another pipeline, no SLA, or a snapshot that fails {@link
     * SnapshotValidator} (ticks at or before {@code lastAcceptedTick} included).
     */
    public Optional<String> problem(String pipelineId, long lastAcceptedTick) {
      if (snapshot != null
          && snapshot.pipelineId() != null
          && !pipelineId.equals(snapshot.pipelineId())) {
        return Optional.of(
            "snapshot of pipeline '" + snapshot.pipelineId() + "' sent to the agent of '"
                + pipelineId + "'");
      }
      if (sla == null) {
        return Optional.of("no SLA");
      }
      return SnapshotValidator.validate(snapshot, Set.of(pipelineId), lastAcceptedTick)
          .map(r -> r.reason() + ": " + r.message());
    }
  }

  /**
   * Feedback on a proposal of this agent: what became of it. The recovery ladder escalates on a
   * failed verification; every agent may learn from it.
   *
   * @param proposalId the proposal
   * @param tick the tick at which the outcome became known
   * @param outcome what became of it
   * @param detail human-readable detail
   */
  public record Outcome(String proposalId, long tick, OutcomeKind outcome, String detail)
      implements Command {}

  /** What became of a proposal. */
  public enum OutcomeKind {
    /** Applied, and the verification window passed. */
    VERIFIED,
    /** Applied, then rolled back after a failed verification. */
    ROLLED_BACK,
    /** The platform refused or failed the action. */
    FAILED,
    /** Not chosen, or refused by admission control. */
    REJECTED,
    /**
     * Applied, then replaced by a recovery action before its verification completed: neither
     * verified nor found harmful, so no reason to back off or escalate.
     */
    SUPERSEDED
  }

  /**
   * An agent's answer for one tick.
   *
   * <p>{@code shadowProposals} carries what a learned policy that is not yet allowed to act would
   * have done (the optimization agent's PPO policy before its promotion): the meta-agent runs
   * admission control on each, journals it with the verdict, and never arbitrates or applies it.
   * Kept apart from {@code proposals} (rather than a flag on {@link Proposal}, which is journaled
   * in every decision) so that nothing that consumes {@code proposals} can act on one by mistake.
   * Optional on the wire: JSON without the field (written before it existed) reads as no shadow
   * proposals.
   *
   * @param pipelineId the pipeline
   * @param tick the tick
   * @param agent the answering agent
   * @param proposals zero or more proposals
   * @param diagnostics what the agent saw this tick (detector votes, causes, health), or null
   * @param shadowProposals proposals to journal with their admission verdict, never to apply
   */
  public record Proposals(
      String pipelineId,
      long tick,
      AgentKind agent,
      List<Proposal> proposals,
      Diagnostics diagnostics,
      List<Proposal> shadowProposals)
      implements JsonSerializable {
    public Proposals {
      proposals = proposals == null ? List.of() : List.copyOf(proposals);
      shadowProposals = shadowProposals == null ? List.of() : List.copyOf(shadowProposals);
    }

    /** Proposals with diagnostics and without shadow proposals. */
    public Proposals(
        String pipelineId,
        long tick,
        AgentKind agent,
        List<Proposal> proposals,
        Diagnostics diagnostics) {
      this(pipelineId, tick, agent, proposals, diagnostics, List.of());
    }

    /** Proposals without diagnostics. */
    public Proposals(String pipelineId, long tick, AgentKind agent, List<Proposal> proposals) {
      this(pipelineId, tick, agent, proposals, null, List.of());
    }
  }
}
