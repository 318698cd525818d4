package dev.autopilot.agents.prediction;

import dev.autopilot.agents.prediction.policy.PreScalePolicy;
import dev.autopilot.agents.prediction.policy.PreScaler;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.agents.prediction.policy.ProposalHistory;
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
import java.util.function.Function;
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
 * The prediction agent of one pipeline: proposes a pre-scale before demand outgrows the capacity,
 * with the policy chosen by {@code autopilot.prediction.policy} ({@link PreScalers}): the learned
 * violation model with a demand forecaster, or Holt's linear trend ({@link PreScalePolicy}).
 * Sharded per pipeline under {@link #ENTITY_TYPE_KEY}, persistence id {@code
 * prediction|<pipeline>}.
 *
 * <p>Journaled: every proposal ({@link PreScaleProposed}) and every outcome reported back for one
 * ({@link OutcomeRecorded}); {@link State} is rebuilt from them only, so the pending proposal and
 * the cooldown survive a restart or a node loss. Not journaled: the Holt level and trend and the
 * load estimator's last rates. They are working memory of the policy object, rebuilt from telemetry
 * after a restart (the forecaster needs {@code min-observations} ticks before it may trigger
 * again).
 *
 * <p>Bad input never fails the entity: an Evaluate with an invalid snapshot or for another pipeline
 * is answered with empty proposals, an outcome for a proposal of another agent or pipeline is
 * ignored.
 */
public final class PredictionAgent
    extends EventSourcedBehaviorWithEnforcedReplies<
        AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State> {

  public static final EntityTypeKey<AgentProtocol.Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(AgentProtocol.Command.class, AgentKind.PREDICTION.entityTypeName());

  /** Asks for the entity's current state. */
  public record GetState(ActorRef<State> replyTo) implements AgentProtocol.Command {}

  /** Journaled events of the prediction agent. */
  public sealed interface Event extends AuditEvent permits PreScaleProposed, OutcomeRecorded {}

  /**
   * A pre-scale was proposed.
   *
   * @param pipelineId the pipeline
   * @param tick the tick it was proposed at
   * @param proposal the proposal as replied
   */
  public record PreScaleProposed(String pipelineId, long tick, Proposal proposal) implements Event {
    @Override
    public String summary() {
      return "prediction proposed "
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
      return "prediction proposal "
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
   * @param lastFailedTick tick a pre-scale was last rolled back or failed (the back-off), MIN_VALUE
   *     when never
   */
  public record State(
      String pipelineId,
      Proposal lastProposal,
      boolean lastProposalResolved,
      long proposalsTotal,
      Map<AgentProtocol.OutcomeKind, Long> outcomes,
      OutcomeRecorded lastOutcome,
      long lastFailedTick)
      implements JsonSerializable {

    public State {
      outcomes = outcomes == null ? Map.of() : Map.copyOf(outcomes);
    }

    public static State empty(String pipelineId) {
      return new State(pipelineId, null, false, 0, Map.of(), null, Long.MIN_VALUE);
    }

    /**
     * The state after one event; the only way state changes (live and on recovery). A ROLLED_BACK
     * or FAILED outcome of the last proposal starts the back-off.
     */
    public State apply(Event event) {
      if (event instanceof PreScaleProposed p) {
        return new State(
            pipelineId,
            p.proposal(),
            false,
            proposalsTotal + 1,
            outcomes,
            lastOutcome,
            lastFailedTick);
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
      return new State(
          pipelineId,
          lastProposal,
          resolved,
          proposalsTotal,
          counts,
          o,
          failed ? Math.max(lastFailedTick, o.tick()) : lastFailedTick);
    }

    /** What the policy needs to know of earlier proposals at a tick. */
    public ProposalHistory history(long tick) {
      if (lastProposal == null) {
        return ProposalHistory.NONE;
      }
      boolean pending = !lastProposalResolved && !lastProposal.expiredAt(tick);
      return new ProposalHistory(lastProposal.tick(), pending, lastFailedTick);
    }
  }

  private final String pipelineId;
  private final ActorContext<AgentProtocol.Command> context;
  private final PreScaler policy;

  private PredictionAgent(
      String pipelineId,
      PersistenceId persistenceId,
      PreScaler policy,
      ActorContext<AgentProtocol.Command> context) {
    super(persistenceId);
    this.pipelineId = pipelineId;
    this.context = context;
    this.policy = policy;
  }

  /** The entity of one pipeline, with the Holt-trend baseline policy. */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId persistenceId, PredictionSettings settings) {
    return create(pipelineId, persistenceId, id -> new PreScalePolicy(settings));
  }

  /**
   * The entity of one pipeline, with the pre-scale policy the factory makes for it (called once,
   * when the entity starts; see {@link PreScalers}).
   */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId persistenceId, Function<String, PreScaler> policies) {
    return Behaviors.withMdc(
        AgentProtocol.Command.class,
        Map.of("agent", AgentKind.PREDICTION.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(
            ctx ->
                new PredictionAgent(
                    pipelineId, persistenceId, policies.apply(pipelineId), ctx)));
  }

  /** Registers the entity type with cluster sharding, with the Holt-trend baseline policy. */
  public static void initSharding(ActorSystem<?> system, PredictionSettings settings) {
    initSharding(system, id -> new PreScalePolicy(settings));
  }

  /**
   * Registers the entity type with cluster sharding; the entity id is the pipeline id, and each
   * entity gets the policy the factory makes for its pipeline.
   */
  public static void initSharding(ActorSystem<?> system, Function<String, PreScaler> policies) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                entity ->
                    create(
                        entity.getEntityId(),
                        PersistenceId.of(ENTITY_TYPE_KEY.name(), entity.getEntityId()),
                        policies)));
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
      context.getLog().warn("prediction {}: evaluate ignored: {}", pipelineId, problem.get());
      long tick = s == null ? -1 : s.tick();
      return Effect().reply(cmd.replyTo(), proposals(tick, List.of()));
    }
    Proposal last = state.lastProposal();
    if (last != null && last.tick() == s.tick()) {
      // A repeated Evaluate for the tick that produced the last proposal: answer it again.
      return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of(last)));
    }
    PreScaler.Result result = policy.evaluate(s, cmd.sla(), state.history(s.tick()));
    if (result.proposal().isEmpty()) {
      context.getLog().debug("prediction {} tick {}: {}", pipelineId, s.tick(), result.reason());
      return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of()));
    }
    Proposal proposal = result.proposal().get();
    context
        .getLog()
        .info(
            "prediction {} tick {}: proposing {}: {}",
            pipelineId,
            s.tick(),
            proposal.id(),
            proposal.action().describe());
    return Effect()
        .persist(new PreScaleProposed(pipelineId, s.tick(), proposal))
        .thenReply(cmd.replyTo(), st -> proposals(s.tick(), List.of(proposal)));
  }

  private ReplyEffect<Event, State> onOutcome(State state, AgentProtocol.Outcome cmd) {
    String prefix = AgentKind.PREDICTION.entityTypeName() + "-" + pipelineId + "-";
    if (cmd.proposalId() == null || !cmd.proposalId().startsWith(prefix) || cmd.outcome() == null) {
      context
          .getLog()
          .warn(
              "prediction {}: outcome for foreign proposal {} ignored",
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
    return new AgentProtocol.Proposals(pipelineId, tick, AgentKind.PREDICTION, list);
  }
}
