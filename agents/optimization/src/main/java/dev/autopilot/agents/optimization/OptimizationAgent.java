package dev.autopilot.agents.optimization;

import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.agents.optimization.policy.Ds2Controller;
import dev.autopilot.agents.optimization.policy.LearnedGate;
import dev.autopilot.agents.optimization.policy.LearnedSettings;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.policy.ProposalHistory;
import dev.autopilot.agents.optimization.policy.ScalingDirection;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.JournalRecovery;
import dev.autopilot.persistence.JsonSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The optimization agent of one pipeline: DS2-style rate-based scaling ({@link Ds2Controller}).
 * Sharded per pipeline under {@link #ENTITY_TYPE_KEY}, persistence id {@code
 * optimization|<pipeline>}.
 *
 * <p>Journaled: every proposal ({@link ScalingProposed}) and every outcome reported back for one
 * ({@link OutcomeRecorded}); {@link State} is rebuilt from them only, so the pending proposal, the
 * cooldown and the back-off after a rolled-back or failed proposal (per direction, from the
 * journaled outcome of the proposal and the journaled direction) survive a restart or a node loss.
 * Not journaled: the smoothed true processing rates, the load estimator's last figures and the
 * scale-down stabilisation windows. They are working memory of the controller object, rebuilt from
 * telemetry after a restart (the controller waits its settle ticks again, and a scale-down waits a
 * full stabilisation window again).
 *
 * <p>A learned policy ({@link LearnedPolicy}, the PPO optimizer) is optional, one per entity from
 * the factory the composition root passes (absent: exactly the DS2 agent). Its safety path, kept by
 * {@link LearnedGate}:
 *
 * <ul>
 *   <li>Not promoted: DS2 is the live controller. The policy's recommendation goes to the
 *       meta-agent as a shadow proposal ({@link AgentProtocol.Proposals#shadowProposals()}), which
 *       the meta-agent checks with admission control and journals, never applies; it is journaled
 *       here as {@link ShadowProposed}, rate-limited (a changed recommendation, at most once per
 *       {@code shadow-interval-ticks}).
 *   <li>Promotion ({@link PolicyPromoted}, once per version): when the bundle's shadow evaluation
 *       beats DS2 on the validation seeds, or at once under the operator override {@code
 *       require-shadow-win = off} (journaled as an override). Checked at the first tick the entity
 *       evaluates with the policy.
 *   <li>Promoted: the policy's recommendations are the live proposals ({@link LearnedProposed}),
 *       under DS2's pending, cooldown and back-off discipline. DS2 is silent: it still sees every
 *       tick (its smoothed rates stay warm for a demotion) but proposes nothing and is not
 *       journaled, because a second live optimizer would only compete with the first, and DS2's
 *       opinion is what the shadow evaluation already measured.
 *   <li>Demotion ({@link PolicyDemoted}): after {@code demote-after-failures} live learned
 *       proposals were rolled back or failed since the promotion, the version goes back to shadow
 *       for good and DS2 is live again.
 * </ul>
 *
 * A policy that throws is treated as having no recommendation for that tick (logged), never as a
 * failure of the entity.
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
  public sealed interface Event extends AuditEvent
      permits ScalingProposed,
          OutcomeRecorded,
          ShadowProposed,
          LearnedProposed,
          PolicyPromoted,
          PolicyDemoted {}

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
   * The learned policy, not promoted, recommended a configuration: sent to the meta-agent as a
   * shadow proposal (journaled there with its admission verdict), never applied.
   *
   * @param pipelineId the pipeline
   * @param tick the tick
   * @param proposal the shadow proposal
   * @param policyVersion the policy bundle version
   */
  public record ShadowProposed(String pipelineId, long tick, Proposal proposal, int policyVersion)
      implements Event {
    @Override
    public String summary() {
      return "optimization shadow proposal "
          + proposal.id()
          + " of learned policy v"
          + policyVersion
          + ": "
          + proposal.action().describe()
          + " (not applied)";
    }
  }

  /**
   * The promoted learned policy proposed a configuration, live.
   *
   * @param pipelineId the pipeline
   * @param tick the tick
   * @param proposal the proposal as replied
   * @param direction up or down
   * @param policyVersion the policy bundle version
   */
  public record LearnedProposed(
      String pipelineId,
      long tick,
      Proposal proposal,
      ScalingDirection direction,
      int policyVersion)
      implements Event {
    @Override
    public String summary() {
      return "optimization proposed "
          + proposal.id()
          + " (learned policy v"
          + policyVersion
          + "): "
          + proposal.action().describe();
    }
  }

  /**
   * A learned policy version may act from now on.
   *
   * @param pipelineId the pipeline
   * @param tick the tick of the promotion
   * @param policyVersion the policy bundle version
   * @param evaluation its shadow evaluation against DS2
   * @param override whether the gate was overridden ({@code require-shadow-win = off})
   * @param reason why, with the evaluation's figures
   */
  public record PolicyPromoted(
      String pipelineId,
      long tick,
      int policyVersion,
      ShadowEvaluation evaluation,
      boolean override,
      String reason)
      implements Event {
    @Override
    public String summary() {
      return "learned policy v"
          + policyVersion
          + (override ? " promoted by OVERRIDE: " : " promoted: ")
          + reason;
    }
  }

  /**
   * A promoted learned policy version went back to shadow for good (DS2 is live again).
   *
   * @param pipelineId the pipeline
   * @param tick the tick of the demotion
   * @param policyVersion the policy bundle version
   * @param failures its live proposals rolled back or failed since the promotion
   * @param reason why
   */
  public record PolicyDemoted(
      String pipelineId, long tick, int policyVersion, long failures, String reason)
      implements Event {
    @Override
    public String summary() {
      return "learned policy v" + policyVersion + " demoted to shadow: " + reason;
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
   * @param lastFailedDownTick tick a scale-down was last rolled back or failed, MIN_VALUE when
   *     never
   * @param lastProposalLearned whether the last proposal was the learned policy's
   * @param promotedVersion the learned policy version that may act, 0 when none
   * @param demotedVersions learned policy versions demoted (never promoted again)
   * @param learnedFailures live learned proposals rolled back or failed since the promotion
   * @param shadowProposalsTotal shadow proposals made
   * @param lastShadowTick tick of the last shadow proposal, MIN_VALUE when none
   * @param lastShadowTarget its target configuration, null when none
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
      long lastFailedDownTick,
      boolean lastProposalLearned,
      int promotedVersion,
      Set<Integer> demotedVersions,
      long learnedFailures,
      long shadowProposalsTotal,
      long lastShadowTick,
      PipelineConfig lastShadowTarget)
      implements JsonSerializable {

    public State {
      outcomes = outcomes == null ? Map.of() : Map.copyOf(outcomes);
      demotedVersions =
          demotedVersions == null
              ? Set.of()
              : Collections.unmodifiableSet(new TreeSet<>(demotedVersions));
    }

    public static State empty(String pipelineId) {
      return new State(
          pipelineId,
          null,
          false,
          0,
          Map.of(),
          null,
          null,
          Long.MIN_VALUE,
          Long.MIN_VALUE,
          false,
          0,
          Set.of(),
          0,
          0,
          Long.MIN_VALUE,
          null);
    }

    /** Whether {@code version} is the promoted learned policy. */
    public boolean promoted(int version) {
      return promotedVersion != 0 && promotedVersion == version;
    }

    private State proposed(Proposal p, ScalingDirection direction, boolean learned) {
      return new State(
          pipelineId,
          p,
          false,
          proposalsTotal + 1,
          outcomes,
          lastOutcome,
          direction,
          lastFailedUpTick,
          lastFailedDownTick,
          learned,
          promotedVersion,
          demotedVersions,
          learnedFailures,
          shadowProposalsTotal,
          lastShadowTick,
          lastShadowTarget);
    }

    private State withLearned(
        int promoted,
        Set<Integer> demoted,
        long failures,
        long shadowTotal,
        long shadowTick,
        PipelineConfig shadowTarget) {
      return new State(
          pipelineId,
          lastProposal,
          lastProposalResolved,
          proposalsTotal,
          outcomes,
          lastOutcome,
          lastDirection,
          lastFailedUpTick,
          lastFailedDownTick,
          lastProposalLearned,
          promoted,
          demoted,
          failures,
          shadowTotal,
          shadowTick,
          shadowTarget);
    }

    /**
     * The state after one event; the only way state changes (live and on recovery). A ROLLED_BACK
     * or FAILED outcome of the last proposal starts the back-off in its direction.
     */
    public State apply(Event event) {
      if (event instanceof ScalingProposed p) {
        return proposed(p.proposal(), p.direction(), false);
      }
      if (event instanceof LearnedProposed p) {
        return proposed(p.proposal(), p.direction(), true);
      }
      if (event instanceof ShadowProposed p) {
        return withLearned(
            promotedVersion,
            demotedVersions,
            learnedFailures,
            shadowProposalsTotal + 1,
            p.tick(),
            p.proposal().action() instanceof Action.Reconfigure r ? r.target() : null);
      }
      if (event instanceof PolicyPromoted p) {
        return withLearned(
            p.policyVersion(),
            demotedVersions,
            0,
            shadowProposalsTotal,
            lastShadowTick,
            lastShadowTarget);
      }
      if (event instanceof PolicyDemoted d) {
        Set<Integer> demoted = new TreeSet<>(demotedVersions);
        demoted.add(d.policyVersion());
        return withLearned(
            promotedVersion == d.policyVersion() ? 0 : promotedVersion,
            demoted,
            learnedFailures,
            shadowProposalsTotal,
            lastShadowTick,
            lastShadowTarget);
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
      long learnedFailed =
          learnedFailures + (failed && lastProposalLearned && promotedVersion != 0 ? 1 : 0);
      return new State(
          pipelineId,
          lastProposal,
          resolved,
          proposalsTotal,
          counts,
          o,
          lastDirection,
          failedUp,
          failedDown,
          lastProposalLearned,
          promotedVersion,
          demotedVersions,
          learnedFailed,
          shadowProposalsTotal,
          lastShadowTick,
          lastShadowTarget);
    }

    /** What the controller needs to know of earlier proposals at a tick. */
    public ProposalHistory history(long tick) {
      if (lastProposal == null) {
        return ProposalHistory.NONE;
      }
      boolean pending = !lastProposalResolved && !lastProposal.expiredAt(tick);
      boolean rejected =
          lastOutcome != null
              && lastOutcome.proposalId().equals(lastProposal.id())
              && lastOutcome.outcome() == AgentProtocol.OutcomeKind.REJECTED;
      return new ProposalHistory(
          lastProposal.tick(), pending, lastFailedUpTick, lastFailedDownTick, rejected);
    }
  }

  private final String pipelineId;
  private final ActorContext<AgentProtocol.Command> context;
  private final Ds2Controller controller;
  private final LearnedPolicy policy;
  private final LearnedGate gate;

  private OptimizationAgent(
      String pipelineId,
      PersistenceId persistenceId,
      OptimizationSettings settings,
      LearnedGate gate,
      LearnedPolicy policy,
      ActorContext<AgentProtocol.Command> context) {
    super(persistenceId, JournalRecovery.backoff(context.getSystem().settings().config()));
    this.pipelineId = pipelineId;
    this.context = context;
    this.controller = new Ds2Controller(settings);
    this.gate = gate;
    this.policy = policy;
  }

  /** The entity of one pipeline: DS2 alone. */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId persistenceId, OptimizationSettings settings) {
    return create(pipelineId, persistenceId, settings, null, Optional.empty());
  }

  /**
   * The entity of one pipeline with an optional learned policy.
   *
   * @param gate the learned policy's safety gate; may be null when {@code policy} is empty
   * @param policy this entity's own learned policy instance (not shared), or empty for DS2 alone
   */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId,
      PersistenceId persistenceId,
      OptimizationSettings settings,
      LearnedGate gate,
      Optional<LearnedPolicy> policy) {
    if (policy.isPresent() && gate == null) {
      throw new IllegalArgumentException("a learned policy needs its gate (LearnedSettings)");
    }
    return Behaviors.withMdc(
        AgentProtocol.Command.class,
        Map.of("agent", AgentKind.OPTIMIZATION.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(
            ctx ->
                new OptimizationAgent(
                    pipelineId, persistenceId, settings, gate, policy.orElse(null), ctx)));
  }

  /** Registers the entity type with cluster sharding (DS2 alone); the entity id is the pipeline. */
  public static void initSharding(ActorSystem<?> system, OptimizationSettings settings) {
    initSharding(system, settings, null, pipeline -> Optional.empty());
  }

  /**
   * Registers the entity type with cluster sharding; the entity id is the pipeline id.
   *
   * @param learned the learned policy's gate settings (null when {@code policies} never answers)
   * @param policies makes each entity's own learned policy (the argument is the pipeline id), empty
   *     for DS2 alone; called once per entity start
   */
  public static void initSharding(
      ActorSystem<?> system,
      OptimizationSettings settings,
      LearnedSettings learned,
      Function<String, Optional<LearnedPolicy>> policies) {
    LearnedGate gate = learned == null ? null : new LearnedGate(settings, learned);
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                entity ->
                    create(
                        entity.getEntityId(),
                        PersistenceId.of(ENTITY_TYPE_KEY.name(), entity.getEntityId()),
                        settings,
                        gate,
                        policies.apply(entity.getEntityId()))));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryFailed.class, JournalRecovery.reporter(context, this))
        .build();
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
      return Effect().reply(cmd.replyTo(), proposals(tick, List.of(), List.of()));
    }
    Proposal last = state.lastProposal();
    if (last != null && last.tick() == s.tick()) {
      // A repeated Evaluate for the tick that produced the last proposal: answer it again.
      return Effect().reply(cmd.replyTo(), proposals(s.tick(), List.of(last), List.of()));
    }
    List<Event> events = new ArrayList<>();
    State st = state;
    if (policy != null) {
      Optional<LearnedGate.Promotion> promotion =
          gate.promotion(
              policy.version(), evaluation(), st.promotedVersion(), st.demotedVersions());
      if (promotion.isPresent()) {
        LearnedGate.Promotion p = promotion.get();
        PolicyPromoted e =
            new PolicyPromoted(
                pipelineId, s.tick(), p.version(), p.evaluation(), p.override(), p.reason());
        context.getLog().info("optimization {} tick {}: {}", pipelineId, s.tick(), e.summary());
        events.add(e);
        st = st.apply(e);
      }
    }
    // DS2 sees every tick, promoted policy or not: its smoothed rates stay warm for a demotion.
    Ds2Controller.Result ds2 = controller.evaluate(s, cmd.sla(), st.history(s.tick()));
    List<Proposal> live = new ArrayList<>();
    List<Proposal> shadow = new ArrayList<>();
    if (policy != null && st.promoted(policy.version())) {
      Optional<LearnedPolicy.Recommendation> r = recommend(s, cmd);
      LearnedGate.Live l = gate.live(s, r.orElse(null), policy.version(), st.history(s.tick()));
      if (l.proposal().isPresent()) {
        Proposal proposal = l.proposal().get();
        logProposal(s, proposal);
        events.add(
            new LearnedProposed(pipelineId, s.tick(), proposal, l.direction(), policy.version()));
        live.add(proposal);
      } else {
        context.getLog().debug("optimization {} tick {}: {}", pipelineId, s.tick(), l.reason());
      }
    } else {
      if (ds2.proposal().isPresent()) {
        Proposal proposal = ds2.proposal().get();
        logProposal(s, proposal);
        events.add(
            new ScalingProposed(
                pipelineId,
                s.tick(),
                proposal,
                ScalingDirection.of(s.config(), proposal.action().targetConfig(s.config()))));
        live.add(proposal);
      } else {
        context.getLog().debug("optimization {} tick {}: {}", pipelineId, s.tick(), ds2.reason());
      }
      if (policy != null) {
        long lastShadowTick = st.lastShadowTick();
        PipelineConfig lastShadowTarget = st.lastShadowTarget();
        Optional<Proposal> sp =
            recommend(s, cmd)
                .flatMap(
                    r -> gate.shadow(s, r, policy.version(), lastShadowTick, lastShadowTarget));
        if (sp.isPresent()) {
          events.add(new ShadowProposed(pipelineId, s.tick(), sp.get(), policy.version()));
          shadow.add(sp.get());
        }
      }
    }
    AgentProtocol.Proposals reply = proposals(s.tick(), live, shadow);
    if (events.isEmpty()) {
      return Effect().reply(cmd.replyTo(), reply);
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), after -> reply);
  }

  private void logProposal(TelemetrySnapshot s, Proposal proposal) {
    context
        .getLog()
        .info(
            "optimization {} tick {}: proposing {}: {}",
            pipelineId,
            s.tick(),
            proposal.id(),
            proposal.action().describe());
  }

  /** The policy's recommendation; a policy that throws has none for this tick (logged). */
  private Optional<LearnedPolicy.Recommendation> recommend(
      TelemetrySnapshot s, AgentProtocol.Evaluate cmd) {
    try {
      Optional<LearnedPolicy.Recommendation> r = policy.recommend(s, cmd.sla());
      return r == null ? Optional.empty() : r;
    } catch (RuntimeException e) {
      context
          .getLog()
          .warn(
              "optimization {} tick {}: learned policy v{} failed, no recommendation: {}",
              pipelineId,
              s.tick(),
              policy.version(),
              e.toString());
      return Optional.empty();
    }
  }

  private ShadowEvaluation evaluation() {
    try {
      return policy.evaluation();
    } catch (RuntimeException e) {
      context.getLog().warn("optimization {}: no shadow evaluation: {}", pipelineId, e.toString());
      return ShadowEvaluation.none();
    }
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
    OutcomeRecorded recorded =
        new OutcomeRecorded(pipelineId, cmd.tick(), cmd.proposalId(), cmd.outcome(), cmd.detail());
    State next = state.apply(recorded);
    int limit = gate == null ? 0 : gate.learned().demoteAfterFailures();
    if (limit > 0
        && next.promotedVersion() != 0
        && next.learnedFailures() > state.learnedFailures()
        && next.learnedFailures() >= limit) {
      PolicyDemoted demoted =
          new PolicyDemoted(
              pipelineId,
              cmd.tick(),
              next.promotedVersion(),
              next.learnedFailures(),
              next.learnedFailures()
                  + " of its live proposals rolled back or failed since its promotion (limit "
                  + limit
                  + "), the last: "
                  + cmd.outcome()
                  + (cmd.detail() == null || cmd.detail().isEmpty() ? "" : " " + cmd.detail()));
      context.getLog().warn("optimization {}: {}", pipelineId, demoted.summary());
      return Effect().persist(List.of(recorded, demoted)).thenNoReply();
    }
    return Effect().persist(recorded).thenNoReply();
  }

  private AgentProtocol.Proposals proposals(long tick, List<Proposal> list, List<Proposal> shadow) {
    return new AgentProtocol.Proposals(
        pipelineId, tick, AgentKind.OPTIMIZATION, list, null, shadow);
  }
}
