package dev.autopilot.agents.optimization;

import dev.autopilot.agents.optimization.policy.Ds2Controller;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.policy.ProposalHistory;
import dev.autopilot.agents.optimization.policy.ScalingDirection;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.JsonSerializable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;

/**
 * The optimization agent of one pipeline: DS2-style rate-based scaling ({@link Ds2Controller}).
 * Sharded per pipeline under {@link #ENTITY_TYPE_KEY}, persistence id {@code
 * optimization|<pipeline>}.
 *
 * <p>Journaled: every proposal ({@link ScalingProposed}) and every outcome reported back for one
 * ({@link OutcomeRecorded}); {@link State} is rebuilt from them only, so the pending proposal, the
 * cooldown and the back-off after a rolled-back or failed proposal (per direction, from the
 * journaled outcome of the proposal and the journaled direction) survive a restart or a node loss. Not journaled: the smoothed true processing rates,
 * the load estimator's last figures and the scale-down stabilisation windows. They are working
 * memory of the controller object, rebuilt from telemetry after a restart (the controller waits its
 * settle ticks again, and a scale-down waits a full stabilisation window again).
 *
 * <p>Bad input never fails the entity: an Evaluate with an invalid snapshot or for another pipeline
 * is answered with empty proposals, an outcome for a proposal of another agent or pipeline is
 * ignored.
 */
public final class OptimizationAgent
    extends EventSourcedBehaviorWithEnforcedReplies<
        AgentProtocol.Command, OptimizationAgent.Event, OptimizationAgent.State> {

  public static final EntityTypeKey<AgentProtocol.Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(AgentProtocol.Command.class, AgentKind.OPTIMIZATION.entityTypeName());

  /** Asks for the entity's current state. */
  public record GetState(ActorRef<State> replyTo) implements AgentProtocol.Command {}

  /** Journaled events of the optimization agent. */
  public sealed interface Event extends AuditEvent permits ScalingProposed, OutcomeRecorded {}

  /**
   * A scaling was proposed.
   *
   * @param pipelineId the pipeline
   * @param tick the tick it was proposed at
   * @param proposal the proposal as replied
   * @param direction up or down (null in events journaled before directions were recorded)
   */
  public record ScalingProposed(
      String pipelineId, long tick, Proposal proposal, ScalingDirection direction)
      implements Event {
    @Override
    public String summary() {
      return "optimization proposed "
          + proposal.id()
          + ": "
          + proposal.action().describe()
          + " ("
          + proposal.cause()
          + ")";
    }
  }

  /**
   * The outcome of one of this agent's proposals became known.
   *
   * @param pipelineId the pipeline
   * @param tick the tick the outcome became known
   * @param proposalId the proposal
   * @param outcome what became of it
   * @param detail human-readable detail
   */
  public record OutcomeRecorded(
      String pipelineId,
      long tick,
      String proposalId,
      AgentProtocol.OutcomeKind outcome,
      String detail)
      implements Event {
    @Override
    public String summary() {
      return "optimization proposal "
          + proposalId
          + " "
          + outcome
          + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
  }

  /**
   * The entity's journaled state.
   *
   * @param pipelineId the pipeline
   * @param lastProposal the last proposal made, null before the first
   * @param lastProposalResolved whether an outcome arrived for the last proposal
   * @param proposalsTotal proposals made
   * @param outcomes outcomes received, by kind
   * @param lastOutcome the last outcome received, null before the first
   * @param lastDirection direction of the last proposal, null when unknown
   * @param lastFailedUpTick tick a scale-up was last rolled back or failed, MIN_VALUE when never
   * @param lastFailedDownTick tick a scale-down was last rolled back or failed, MIN_VALUE when never
   */
  public record State(
      String pipelineId,
      Proposal lastProposal,
      boolean lastProposalResolved,
      long proposalsTotal,
      Map<AgentProtocol.OutcomeKind, Long> outcomes,
      OutcomeRecorded lastOutcome,
      ScalingDirection lastDirection,
      long lastFailedUpTick,
      long lastFailedDownTick)
      implements JsonSerializable {

    public State {
      outcomes = outcomes == null ? Map.of() : Map.copyOf(outcomes);
    }

    public static State empty(String pipelineId) {
      return new State(
          pipelineId, null, false, 0, Map.of(), null, null, Long.MIN_VALUE, Long.MIN_VALUE);
    }

    /**
     * The state after one event; the only way state changes (live and on recovery). A ROLLED_BACK
     * or FAILED outcome of the last proposal starts the back-off in its direction.
     */
    public State apply(Event event) {
      if (event instanceof ScalingProposed p) {
        return new State(
            pipelineId,
            p.proposal(),
            false,
            proposalsTotal + 1,
            outcomes,
            lastOutcome,
            p.direction(),
            lastFailedUpTick,
            lastFailedDownTick);
      }
      OutcomeRecorded o = (OutcomeRecorded) event;
      Map<AgentProtocol.OutcomeKind, Long> counts = new EnumMap<>(AgentProtocol.OutcomeKind.class);
      counts.putAll(outcomes);
      counts.merge(o.outcome(), 1L, Long::sum);
      boolean ofLast = lastProposal != null && lastProposal.id().equals(o.proposalId());
      boolean resolved = lastProposalResolved || ofLast;
      boolean failed =
          ofLast
              && (o.outcome() == AgentProtocol.OutcomeKind.ROLLED_BACK
                  || o.outcome() == AgentProtocol.OutcomeKind.FAILED);
      long failedUp = lastFailedUpTick;
      long failedDown = lastFailedDownTick;
      if (failed && lastDirection == ScalingDirection.UP) {
        failedUp = Math.max(failedUp, o.tick());
      } else if (failed && lastDirection == ScalingDirection.DOWN) {
        failedDown = Math.max(failedDown, o.tick());
      }
      return new State(
          pipelineId,
          lastProposal,
          resolved,
          proposalsTotal,
          counts,
          o,
          lastDirection,
          failedUp,
          failedDown);
    }

    /** What the controller needs to know of earlier proposals at a tick. */
    public ProposalHistory history(long tick) {
      if (lastProposal == null) {
        return ProposalHistory.NONE;
      }
      boolean pending = !lastProposalResolved && !lastProposal.expiredAt(tick);
      return new ProposalHistory(
          lastProposal.tick(), pending, lastFailedUpTick, lastFailedDownTick);
    }
  }

  private final String pipelineId;
  private final ActorContext<AgentProtocol.Command> context;
  private final Ds2Controller controller;

  private OptimizationAgent(
      String pipelineId,
      PersistenceId persistenceId,
      OptimizationSettings settings,
      ActorContext<AgentProtocol.Command> context) {
    super(persistenceId);
    this.pipelineId = pipelineId;
    this.context = context;
    this.controller = new Ds2Controller(settings);
  }

  /** The entity of one pipeline. */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId persistenceId, OptimizationSettings settings) {
    return Behaviors.withMdc(
        AgentProtocol.Command.class,
        Map.of("agent", AgentKind.OPTIMIZATION.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(ctx -> new OptimizationAgent(pipelineId, persistenceId, settings, ctx)));
  }

  /** Registers the entity type with cluster sharding; the entity id is the pipeline id. */
  public static void initSharding(ActorSystem<?> system, OptimizationSettings settings) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                entity ->
                    create(
                        entity.getEntityId(),
                        PersistenceId.of(ENTITY_TYPE_KEY.name(), entity.getEntityId()),
                        settings)));
  }

  @Override
  public State emptyState() {
    return State.empty(pipelineId);
  }

  @Override
  public CommandHandlerWithReply<AgentProtocol.Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(AgentProtocol.Evaluate.class, this::onEvaluate)
        .onCommand(AgentProtocol.Outcome.class, this::onOutcome)
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .build();
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  private ReplyEffect<Event, State> onEvaluate(State state, AgentProtocol.Evaluate cmd) {
    TelemetrySnapshot s = cmd.snapshot();
    Optional<String> problem = cmd.problem(pipelineId, Long.MIN_VALUE);
    if (problem.isPresent()) {
      context.getLog().warn("optimization {}: evaluate ignored: {}", pipelineId, problem.get());
      long tick = s == null ? -1 : s.tick();
      return Effect().reply(cmd.replyTo(), proposals(tick, List.of()));
    }
    Proposal last = state.lastProposal();
    if (last != null && last.tick() == s.tick()) {
      // A repeated Evaluate for the tick that produced the last proposal: answer it again.
      return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of(last)));
    }
    Ds2Controller.Result result = controller.evaluate(s, cmd.sla(), state.history(s.tick()));
    if (result.proposal().isEmpty()) {
      context.getLog().debug("optimization {} tick {}: {}", pipelineId, s.tick(), result.reason());
      return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of()));
    }
    Proposal proposal = result.proposal().get();
    context
        .getLog()
        .info(
            "optimization {} tick {}: proposing {}: {}",
            pipelineId,
            s.tick(),
            proposal.id(),
            proposal.action().describe());
    return Effect()
        .persist(
            new ScalingProposed(
                pipelineId,
                s.tick(),
                proposal,
                ScalingDirection.of(s.config(), proposal.action().targetConfig(s.config()))))
        .thenReply(cmd.replyTo(), st -> proposals(s.tick(), List.of(proposal)));
  }

  private ReplyEffect<Event, State> onOutcome(State state, AgentProtocol.Outcome cmd) {
    String prefix = AgentKind.OPTIMIZATION.entityTypeName() + "-" + pipelineId + "-";
    if (cmd.proposalId() == null || !cmd.proposalId().startsWith(prefix) || cmd.outcome() == null) {
      context
          .getLog()
          .warn(
              "optimization {}: outcome for foreign proposal {} ignored",
              pipelineId,
              cmd.proposalId());
      return Effect().noReply();
    }
    return Effect()
        .persist(
            new OutcomeRecorded(
                pipelineId, cmd.tick(), cmd.proposalId(), cmd.outcome(), cmd.detail()))
        .thenNoReply();
  }

  private AgentProtocol.Proposals proposals(long tick, List<Proposal> list) {
    return new AgentProtocol.Proposals(pipelineId, tick, AgentKind.OPTIMIZATION, list);
  }
}
