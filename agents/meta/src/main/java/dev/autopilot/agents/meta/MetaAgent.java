package dev.autopilot.agents.meta;

import dev.autopilot.agents.meta.policy.AdmissionControl;
import dev.autopilot.agents.meta.policy.Arbiter;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.Decision;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.JournalRecovery;
import dev.autopilot.persistence.JsonSerializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The meta-agent of one pipeline: collects the three agents' proposals for a tick, arbitrates them
 * ({@link Arbiter}: priority, admission control, conflicts, mode), journals the decision with every
 * rejection, hands the decision to its {@link Actuator} child, and closes the tick.
 *
 * <p>Sharded per pipeline ({@link #ENTITY_TYPE_KEY}, persistence id {@code meta|<pipeline>}). Ticks
 * are processed one at a time and in order: an {@link OpenTick} that arrives while another is open
 * is stashed.
 *
 * <p>Journal: a {@link DecisionMade} is persisted for every tick that had proposals (or a pending
 * approval, or a missing agent), with the decision's reason and every rejection; a tick where no
 * agent proposed anything and all answered is decided {@code NO_ACTION} without an event. Such a
 * tick carries no information that the telemetry does not, and at one tick per 10 s a week is 60
 * 480 ticks per pipeline: journaling them would drown the audit timeline and the journal in empty
 * decisions. Mode changes, approvals and denials are events too.
 *
 * <p>Shadow proposals ({@link AgentProtocol.Proposals#shadowProposals()}: a learned policy that has
 * not been promoted yet) are checked by the same {@link AdmissionControl}, against the same context
 * as the tick's live proposals, and each is journaled as a {@link ShadowProposalRecorded} with its
 * verdict. They never reach the {@link Arbiter} or the actuator: a shadow proposal cannot be
 * chosen, cannot win a conflict, cannot start a cooldown, and is never applied. Admission of a
 * shadow proposal says only that it would have passed the hard constraints had it been live.
 *
 * <p>Transient (not journaled): the tick being collected and the last closed tick. After a restart
 * the driver re-opens the tick it did not get a {@link TickClosed} for; a tick interrupted by a
 * journal failure is abandoned when the meta-agent has recovered (the restart keeps this object).
 * The actuator's status (is a verification open, when was the last change) is asked from the
 * actuator at every tick, so the actuator's journal is its only source.
 */
public final class MetaAgent
    extends EventSourcedBehavior<MetaAgent.Command, MetaAgent.Event, MetaAgent.State> {

  /** Sharding key of the meta-agent. */
  public static final EntityTypeKey<Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(Command.class, "meta");

  /**
   * Every agent that may be asked at a tick, in the order their proposals are considered; the ones
   * actually asked are {@link MetaSettings#proposers()}.
   */
  public static final List<AgentKind> PROPOSERS = MetaSettings.ALL_PROPOSERS;

  private static final String DEADLINE_TIMER = "deadline";
  private static final String ACTUATOR_TIMER = "actuator";

  // ------------------------------------------------------------------ protocol

  /** Commands of the meta-agent. */
  public sealed interface Command extends JsonSerializable
      permits OpenTick,
          Approve,
          Deny,
          SetMode,
          RequestRollback,
          GetState,
          GetActuatorState,
          WrappedProposals,
          WrappedActuatorState,
          WrappedTickDone,
          DeadlinePassed,
          ActuatorTimedOut {}

  /**
   * Decide one tick.
   *
   * <p>A tick that waited past {@code expiresAtMillis} (stashed behind a slow tick, or while the
   * meta-agent restarted because its journal was down) is not decided: its sender gave up on it and
   * has moved on, and its snapshot is stale. It is answered {@code NO_ACTION} ("tick refused: ...
   * expired") at once, so that a backlog of such ticks drains without deciding or actuating on old
   * telemetry.
   *
   * @param snapshot the validated snapshot of the tick
   * @param sla the pipeline's SLA
   * @param replyTo receives {@link TickClosed} once the actuator finished the tick
   * @param expiresAtMillis wall-clock time (epoch milliseconds) after which the sender no longer
   *     waits for the answer; 0 for never
   */
  public record OpenTick(
      TelemetrySnapshot snapshot, SlaSpec sla, ActorRef<TickClosed> replyTo, long expiresAtMillis)
      implements Command {

    /** A tick that never expires. */
    public OpenTick(TelemetrySnapshot snapshot, SlaSpec sla, ActorRef<TickClosed> replyTo) {
      this(snapshot, sla, replyTo, 0);
    }
  }

  /** Approves a decision that awaits approval; it is executed at the next tick. */
  public record Approve(String decisionId, String approver, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Denies a decision that awaits approval; the proposing agent is told. */
  public record Deny(
      String decisionId, String approver, String reason, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /**
   * Changes the mode.
   *
   * @param mode the new mode
   * @param requestedBy who asked (journaled with the {@link ModeChanged}); null when unknown
   */
  public record SetMode(Mode mode, String requestedBy, ActorRef<StatusReply<Done>> replyTo)
      implements Command {}

  /** Forwards a manual rollback to the actuator (see {@link Actuator.Rollback}). */
  public record RequestRollback(
      int levels, String reason, String requestedBy, ActorRef<StatusReply<PipelineConfig>> replyTo)
      implements Command {}

  /** Replies with the current state. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  /** Replies with the state of this pipeline's actuator (its configuration history, for audits). */
  public record GetActuatorState(ActorRef<Actuator.State> replyTo) implements Command {}

  record WrappedProposals(AgentProtocol.Proposals proposals) implements Command {}

  record WrappedActuatorState(Actuator.State state) implements Command {}

  record WrappedTickDone(Actuator.TickDone done) implements Command {}

  record DeadlinePassed(long tick) implements Command {}

  record ActuatorTimedOut(long tick) implements Command {}

  /**
   * The end of a tick, for the driver (and the runtime's metrics).
   *
   * @param pipelineId the pipeline
   * @param tick the tick
   * @param decision the decision (NO_ACTION when nothing was proposed)
   * @param proposals the agents' proposals of this tick, by agent
   * @param missingAgents agents that did not answer before the deadline
   * @param actuations what the actuator did this tick, preceded by what it reported too late for an
   *     earlier tick (a platform call that outlasted {@code autopilot.meta.actuator.tick-timeout}
   *     closed that tick without its reports)
   * @param diagnostics what the agents saw this tick
   * @param shadowProposals the shadow proposals of this tick with their admission verdicts (never
   *     applied)
   */
  public record TickClosed(
      String pipelineId,
      long tick,
      Decision decision,
      List<Proposal> proposals,
      List<AgentKind> missingAgents,
      List<Actuator.Report> actuations,
      List<Diagnostics> diagnostics,
      List<ShadowProposalRecorded> shadowProposals)
      implements JsonSerializable {
    public TickClosed {
      shadowProposals = shadowProposals == null ? List.of() : List.copyOf(shadowProposals);
      proposals = List.copyOf(proposals);
      missingAgents = List.copyOf(missingAgents);
      actuations = List.copyOf(actuations);
      diagnostics = diagnostics == null ? List.of() : List.copyOf(diagnostics);
    }

    /** As the canonical constructor, without shadow proposals. */
    public TickClosed(
        String pipelineId,
        long tick,
        Decision decision,
        List<Proposal> proposals,
        List<AgentKind> missingAgents,
        List<Actuator.Report> actuations,
        List<Diagnostics> diagnostics) {
      this(
          pipelineId, tick, decision, proposals, missingAgents, actuations, diagnostics, List.of());
    }

    /** The diagnostics of one agent this tick, or null. */
    public Diagnostics diagnosticsOf(AgentKind agent) {
      for (Diagnostics d : diagnostics) {
        if (d.agent() == agent) {
          return d;
        }
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ events

  /** Events of the meta-agent; all on the audit timeline. */
  public sealed interface Event extends AuditEvent
      permits DecisionMade, ModeChanged, ApprovalGranted, ApprovalDenied, ShadowProposalRecorded {}

  /** A tick was decided; the decision lists every rejected proposal with its reason. */
  public record DecisionMade(
      String pipelineId, long tick, Decision decision, Mode mode, List<AgentKind> missingAgents)
      implements Event {
    public DecisionMade {
      missingAgents = List.copyOf(missingAgents);
    }

    @Override
    public String summary() {
      return decision.verdict()
          + " ("
          + mode
          + ", "
          + decision.rejections().size()
          + " rejected"
          + (missingAgents.isEmpty() ? "" : ", missing " + missingAgents)
          + "): "
          + decision.reason();
    }
  }

  /**
   * A shadow proposal was checked by admission control and journaled; it was not arbitrated and not
   * applied, whatever the verdict.
   *
   * @param pipelineId the pipeline
   * @param tick the tick it was proposed at
   * @param proposal the shadow proposal as the agent sent it
   * @param admitted whether it passes admission control (it would have been a candidate)
   * @param code the first constraint it breaks, null when admitted
   * @param reason why it was refused, null when admitted
   */
  public record ShadowProposalRecorded(
      String pipelineId,
      long tick,
      Proposal proposal,
      boolean admitted,
      Decision.RejectionCode code,
      String reason)
      implements Event {
    @Override
    public String summary() {
      String action = proposal.action() == null ? "?" : proposal.action().describe();
      return "shadow "
          + proposal.id()
          + " ("
          + proposal.cause()
          + "): "
          + action
          + ", "
          + (admitted ? "admitted" : "refused " + code + ": " + reason)
          + ", not applied";
    }
  }

  /**
   * The mode changed.
   *
   * @param requestedBy who asked for it; null in events journaled before the field existed and when
   *     the runtime itself changed it
   */
  public record ModeChanged(String pipelineId, long tick, Mode from, Mode to, String requestedBy)
      implements Event {
    @Override
    public String summary() {
      return "mode " + from + " -> " + to + (requestedBy == null ? "" : " by " + requestedBy);
    }
  }

  /** A human approved a decision; its proposal is executed at the next tick. */
  public record ApprovalGranted(String pipelineId, long tick, String decisionId, String approver)
      implements Event {
    @Override
    public String summary() {
      return decisionId + " approved by " + approver;
    }
  }

  /** A human denied a decision. */
  public record ApprovalDenied(
      String pipelineId, long tick, String decisionId, String approver, String reason)
      implements Event {
    @Override
    public String summary() {
      return decisionId + " denied by " + approver + ": " + reason;
    }
  }

  // ------------------------------------------------------------------ state

  /**
   * The meta-agent's state, rebuilt only through {@link #apply(Event)}.
   *
   * @param pipelineId the pipeline
   * @param mode the current mode
   * @param lastDecisionTick tick of the last journaled decision, MIN_VALUE before any
   * @param decisions journaled decisions
   * @param awaitingApproval decision id to its chosen proposal, waiting for a human
   * @param approved decision id to its approved proposal, to be executed at the next tick
   * @param shadowProposals shadow proposals journaled (admitted or not, never applied)
   * @param shadowAdmitted of those, the ones admission control let through
   */
  public record State(
      String pipelineId,
      Mode mode,
      long lastDecisionTick,
      long decisions,
      Map<String, Proposal> awaitingApproval,
      Map<String, Proposal> approved,
      long shadowProposals,
      long shadowAdmitted)
      implements JsonSerializable {

    public State {
      awaitingApproval = sorted(awaitingApproval);
      approved = sorted(approved);
    }

    /** The state before any event. */
    public static State initial(String pipelineId, Mode mode) {
      return new State(pipelineId, mode, Long.MIN_VALUE, 0, Map.of(), Map.of(), 0, 0);
    }

    /** The one way the state evolves. */
    public State apply(Event event) {
      if (event instanceof DecisionMade e) {
        Map<String, Proposal> waiting = new TreeMap<>(awaitingApproval);
        waiting.values().removeIf(p -> p.expiredAt(e.tick()));
        Decision d = e.decision();
        if (d.verdict() == Decision.Verdict.AWAITING_APPROVAL && d.chosen() != null) {
          waiting.put(d.id(), d.chosen());
        }
        // Approved proposals were candidates of this decision: chosen or rejected, consumed.
        return new State(
            pipelineId,
            mode,
            e.tick(),
            decisions + 1,
            waiting,
            Map.of(),
            shadowProposals,
            shadowAdmitted);
      }
      if (event instanceof ModeChanged e) {
        return new State(
            pipelineId,
            e.to(),
            lastDecisionTick,
            decisions,
            awaitingApproval,
            approved,
            shadowProposals,
            shadowAdmitted);
      }
      if (event instanceof ApprovalGranted e) {
        Map<String, Proposal> waiting = new TreeMap<>(awaitingApproval);
        Proposal p = waiting.remove(e.decisionId());
        Map<String, Proposal> ok = new TreeMap<>(approved);
        if (p != null) {
          ok.put(e.decisionId(), p);
        }
        return new State(
            pipelineId,
            mode,
            lastDecisionTick,
            decisions,
            waiting,
            ok,
            shadowProposals,
            shadowAdmitted);
      }
      if (event instanceof ApprovalDenied e) {
        Map<String, Proposal> waiting = new TreeMap<>(awaitingApproval);
        waiting.remove(e.decisionId());
        return new State(
            pipelineId,
            mode,
            lastDecisionTick,
            decisions,
            waiting,
            approved,
            shadowProposals,
            shadowAdmitted);
      }
      if (event instanceof ShadowProposalRecorded e) {
        return new State(
            pipelineId,
            mode,
            lastDecisionTick,
            decisions,
            awaitingApproval,
            approved,
            shadowProposals + 1,
            shadowAdmitted + (e.admitted() ? 1 : 0));
      }
      throw new IllegalArgumentException("unknown event " + event);
    }

    private static Map<String, Proposal> sorted(Map<String, Proposal> m) {
      return m == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(m));
    }
  }

  // ------------------------------------------------------------------ sharding

  /** Starts the meta-agent's sharding on this node. */
  public static void initSharding(ActorSystem<?> system, MetaSettings settings, Platform platform) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                ec ->
                    create(
                        ec.getEntityId(),
                        PersistenceId.of(ENTITY_TYPE_KEY.name(), ec.getEntityId()),
                        settings,
                        platform)));
  }

  /** The sharding key of a proposing agent. */
  public static EntityTypeKey<AgentProtocol.Command> agentKey(AgentKind kind) {
    return EntityTypeKey.create(AgentProtocol.Command.class, kind.entityTypeName());
  }

  /**
   * The meta-agent of one pipeline.
   *
   * @param pipelineId the pipeline (the entity id)
   * @param persistenceId {@code meta|<pipeline>}
   * @param settings module settings
   * @param platform the platform port, handed to the actuator
   */
  public static Behavior<Command> create(
      String pipelineId, PersistenceId persistenceId, MetaSettings settings, Platform platform) {
    return Behaviors.withMdc(
        Command.class,
        Map.of("agent", AgentKind.META.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(
            ctx ->
                Behaviors.withTimers(
                    timers ->
                        new MetaAgent(
                            ctx, timers, pipelineId, persistenceId, settings, platform))));
  }

  // ------------------------------------------------------------------ behaviour

  private enum Stage {
    COLLECTING,
    ACTUATING
  }

  /** The tick being decided (transient). */
  private static final class InFlight {
    final OpenTick open;
    final Map<AgentKind, List<Proposal>> answers = new EnumMap<>(AgentKind.class);
    final Map<AgentKind, Diagnostics> diagnostics = new EnumMap<>(AgentKind.class);
    final Map<AgentKind, List<Proposal>> shadow = new EnumMap<>(AgentKind.class);
    List<ShadowProposalRecorded> shadowRecords = List.of();
    final Set<AgentKind> unreachable = new HashSet<>();
    Actuator.State actuator;
    Stage stage = Stage.COLLECTING;
    Decision decision;
    List<Proposal> proposals = List.of();
    List<AgentKind> missing = List.of();
    final List<AgentKind> proposers;

    InFlight(OpenTick open, List<AgentKind> proposers) {
      this.open = open;
      this.proposers = proposers;
    }

    long tick() {
      return open.snapshot().tick();
    }

    /** Every agent answered (or cannot be reached at all) and the actuator reported. */
    boolean complete() {
      Set<AgentKind> done = new HashSet<>(answers.keySet());
      done.addAll(unreachable);
      return actuator != null && done.containsAll(proposers);
    }
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final String pipelineId;
  private final MetaSettings settings;
  private final Arbiter arbiter;
  private final AdmissionControl admission;
  private final ClusterSharding sharding;
  private final ActorRef<Actuator.Command> actuator;
  private final ActorRef<AgentProtocol.Proposals> proposalsAdapter;
  private final ActorRef<Actuator.State> actuatorStateAdapter;
  private final ActorRef<Actuator.TickDone> tickDoneAdapter;

  private InFlight inFlight;
  private long lastClosedTick = Long.MIN_VALUE;

  /**
   * Reports of ticks closed without them (the actuator's platform call outlasted the tick timeout),
   * handed on with the next closed tick so that nothing the actuator did goes uncounted. Transient.
   */
  private final List<Actuator.Report> lateReports = new ArrayList<>();

  private MetaAgent(
      ActorContext<Command> ctx,
      TimerScheduler<Command> timers,
      String pipelineId,
      PersistenceId persistenceId,
      MetaSettings settings,
      Platform platform) {
    // A journal failure restarts the event-sourced part of the meta-agent (it recovers its state
    // from the journal) but not its actuator child: the child is spawned once, here, and this
    // object's reference to it must stay valid across such restarts. The actuator has its own
    // journal and its own restart-with-backoff supervision.
    super(
        persistenceId,
        SupervisorStrategy.restartWithBackoff(
                settings.actuator().minBackoff(),
                settings.actuator().maxBackoff(),
                settings.actuator().randomFactor())
            .withStopChildren(false));
    this.ctx = ctx;
    this.timers = timers;
    this.pipelineId = pipelineId;
    this.settings = settings;
    this.arbiter = new Arbiter(settings.arbiter());
    this.admission = new AdmissionControl(settings.arbiter().admission());
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.actuator = ctx.spawn(Actuator.supervised(pipelineId, settings, platform), "actuator");
    this.proposalsAdapter =
        ctx.messageAdapter(AgentProtocol.Proposals.class, WrappedProposals::new);
    this.actuatorStateAdapter = ctx.messageAdapter(Actuator.State.class, WrappedActuatorState::new);
    this.tickDoneAdapter = ctx.messageAdapter(Actuator.TickDone.class, WrappedTickDone::new);
  }

  @Override
  public State emptyState() {
    return State.initial(pipelineId, settings.mode());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), state -> abandonInterruptedTick())
        .onSignal(RecoveryFailed.class, JournalRecovery.reporter(ctx, this))
        .build();
  }

  /**
   * Forgets the tick a journal failure interrupted. A journal failure restarts the event-sourced
   * behaviour (it recovers its state from the journal) but not this object: without this, the
   * interrupted tick would stay in flight and every later tick would be stashed behind it, forever.
   * The interrupted tick is not answered: its decision was not journaled, so it was not made; its
   * sender gives up on it and sends the next one.
   */
  private void abandonInterruptedTick() {
    if (inFlight != null) {
      ctx.getLog()
          .warn(
              "abandoning tick {} of {}, interrupted by a journal failure",
              inFlight.tick(),
              pipelineId);
      inFlight = null;
    }
    timers.cancel(DEADLINE_TIMER);
    timers.cancel(ACTUATOR_TIMER);
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(OpenTick.class, this::onOpenTick)
        .onCommand(WrappedProposals.class, this::onProposals)
        .onCommand(WrappedActuatorState.class, this::onActuatorState)
        .onCommand(DeadlinePassed.class, this::onDeadline)
        .onCommand(WrappedTickDone.class, this::onTickDone)
        .onCommand(ActuatorTimedOut.class, this::onActuatorTimedOut)
        .onCommand(Approve.class, this::onApprove)
        .onCommand(Deny.class, this::onDeny)
        .onCommand(SetMode.class, this::onSetMode)
        .onCommand(RequestRollback.class, this::onRequestRollback)
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(GetActuatorState.class, this::onGetActuatorState)
        .build();
  }

  // ------------------------------------------------------------------ tick

  private Effect<Event, State> onOpenTick(State state, OpenTick cmd) {
    if (inFlight != null) {
      return Effect().stash();
    }
    String problem = problemWith(cmd);
    if (problem != null) {
      ctx.getLog().warn("tick refused for {}: {}", pipelineId, problem);
      long tick = cmd.snapshot() == null ? lastClosedTick : cmd.snapshot().tick();
      if (cmd.replyTo() != null) {
        Decision none =
            new Decision(
                Arbiter.decisionId(pipelineId, tick),
                pipelineId,
                tick,
                Decision.Verdict.NO_ACTION,
                null,
                "tick refused: " + problem,
                List.of());
        cmd.replyTo()
            .tell(
                new TickClosed(pipelineId, tick, none, List.of(), List.of(), List.of(), List.of()));
      }
      return Effect().none();
    }
    inFlight = new InFlight(cmd, settings.proposers());
    long tick = cmd.snapshot().tick();
    for (AgentKind kind : settings.proposers()) {
      try {
        sharding
            .entityRefFor(agentKey(kind), pipelineId)
            .tell(new AgentProtocol.Evaluate(cmd.snapshot(), cmd.sla(), proposalsAdapter));
      } catch (RuntimeException e) {
        // Its sharding is not started on this node: do not wait for it until the deadline.
        inFlight.unreachable.add(kind);
        ctx.getLog().warn("cannot reach the {} agent of {}: {}", kind, pipelineId, e.getMessage());
      }
    }
    actuator.tell(new Actuator.GetState(actuatorStateAdapter));
    timers.startSingleTimer(DEADLINE_TIMER, new DeadlinePassed(tick), settings.decisionDeadline());
    return Effect().none();
  }

  private String problemWith(OpenTick cmd) {
    TelemetrySnapshot s = cmd.snapshot();
    if (cmd.replyTo() == null) {
      return "no replyTo";
    }
    if (s == null
        || s.config() == null
        || s.job() == null
        || s.operators() == null
        || s.operators().isEmpty()
        || s.taskManagers() == null) {
      return "incomplete snapshot";
    }
    if (!pipelineId.equals(s.pipelineId())) {
      return "snapshot of pipeline '" + s.pipelineId() + "' sent to '" + pipelineId + "'";
    }
    if (cmd.sla() == null) {
      return "no SLA";
    }
    if (s.tick() <= lastClosedTick) {
      return "tick " + s.tick() + " is not after the last closed tick " + lastClosedTick;
    }
    long late = cmd.expiresAtMillis() == 0 ? 0 : System.currentTimeMillis() - cmd.expiresAtMillis();
    if (late > 0) {
      return "tick " + s.tick() + " expired " + late + " ms ago, before it could be decided";
    }
    return null;
  }

  private Effect<Event, State> onProposals(State state, WrappedProposals w) {
    AgentProtocol.Proposals p = w.proposals();
    InFlight f = inFlight;
    if (f == null
        || f.stage != Stage.COLLECTING
        || p.tick() != f.tick()
        || !pipelineId.equals(p.pipelineId())
        || !settings.proposers().contains(p.agent())
        || f.answers.containsKey(p.agent())) {
      ctx.getLog()
          .debug("ignoring late or unexpected proposals {} of tick {}", p.agent(), p.tick());
      return Effect().none();
    }
    f.answers.put(p.agent(), p.proposals());
    if (p.diagnostics() != null) {
      f.diagnostics.put(p.agent(), p.diagnostics());
    }
    if (!p.shadowProposals().isEmpty()) {
      f.shadow.put(p.agent(), p.shadowProposals());
    }
    return f.complete() ? decide(state) : Effect().none();
  }

  private Effect<Event, State> onActuatorState(State state, WrappedActuatorState w) {
    InFlight f = inFlight;
    if (f == null || f.stage != Stage.COLLECTING) {
      return Effect().none();
    }
    f.actuator = w.state();
    return f.complete() ? decide(state) : Effect().none();
  }

  private Effect<Event, State> onDeadline(State state, DeadlinePassed d) {
    if (inFlight == null || inFlight.stage != Stage.COLLECTING || inFlight.tick() != d.tick()) {
      return Effect().none();
    }
    return decide(state);
  }

  private Effect<Event, State> decide(State state) {
    timers.cancel(DEADLINE_TIMER);
    InFlight f = inFlight;
    f.stage = Stage.ACTUATING;
    List<AgentKind> missing = new ArrayList<>();
    List<Proposal> proposals = new ArrayList<>();
    for (AgentKind kind : settings.proposers()) {
      List<Proposal> answer = f.answers.get(kind);
      if (answer == null) {
        missing.add(kind);
      } else {
        proposals.addAll(answer);
      }
    }
    Set<String> ids = new HashSet<>();
    proposals.forEach(p -> ids.add(p == null ? null : p.id()));
    List<Proposal> candidates = new ArrayList<>(proposals);
    for (Proposal p : state.approved().values()) {
      if (!ids.contains(p.id())) {
        candidates.add(p);
      }
    }
    Actuator.State a = f.actuator;
    boolean verificationOpen = a == null || a.verificationOpen();
    Action underVerification =
        a == null
            ? null
            : a.verifying() != null
                ? a.verifying().change().action()
                : a.inFlight() != null ? a.inFlight().action() : null;
    long lastChange = a == null ? AdmissionControl.NO_CHANGE : a.lastChangeTick();
    Set<String> approvedIds = new HashSet<>();
    state.approved().values().forEach(p -> approvedIds.add(p.id()));
    Arbiter.Situation situation =
        new Arbiter.Situation(
            pipelineId,
            f.tick(),
            f.open.snapshot(),
            state.mode(),
            lastChange,
            verificationOpen,
            underVerification,
            approvedIds,
            f.open.sla());
    Decision decision = arbiter.decide(situation, candidates);
    f.decision = decision;
    f.proposals = proposals.stream().filter(p -> p != null).toList();
    f.missing = List.copyOf(missing);
    if (a == null) {
      ctx.getLog().warn("actuator of {} did not report its state by the deadline", pipelineId);
    }
    List<Event> events = new ArrayList<>();
    if (!candidates.isEmpty() || !missing.isEmpty()) {
      events.add(new DecisionMade(pipelineId, f.tick(), decision, state.mode(), missing));
    }
    f.shadowRecords = shadowRecords(f, situation);
    events.addAll(f.shadowRecords);
    if (events.isEmpty()) {
      return Effect().none().thenRun(s -> afterDecision(decision));
    }
    return Effect().persist(events).thenRun(s -> afterDecision(decision));
  }

  /**
   * Admission control's verdict on each shadow proposal of the tick, against the same context as
   * the live ones. Only admission: a shadow proposal is never a candidate of the arbiter, so it
   * cannot be chosen, win a conflict or reach the actuator. Shadow proposals of another pipeline or
   * with a duplicate id are recorded as refused ({@code INVALID}), as admission reports them.
   */
  private List<ShadowProposalRecorded> shadowRecords(InFlight f, Arbiter.Situation s) {
    if (f.shadow.isEmpty()) {
      return List.of();
    }
    TelemetrySnapshot snapshot = s.snapshot();
    AdmissionControl.Context context =
        new AdmissionControl.Context(
            pipelineId,
            s.tick(),
            snapshot.config(),
            s.lastChangeTick(),
            s.sla(),
            snapshot.operators().isEmpty() ? 0 : snapshot.source().recordsInPerSecond());
    List<ShadowProposalRecorded> out = new ArrayList<>();
    for (AgentKind kind : settings.proposers()) {
      for (Proposal p : f.shadow.getOrDefault(kind, List.of())) {
        if (p == null) {
          continue;
        }
        Optional<AdmissionControl.Refusal> refusal =
            p.agent() == kind
                ? admission.check(p, context)
                : Optional.of(
                    new AdmissionControl.Refusal(
                        Decision.RejectionCode.INVALID,
                        "shadow proposal of " + p.agent() + " sent by the " + kind + " agent"));
        out.add(
            new ShadowProposalRecorded(
                pipelineId,
                f.tick(),
                p,
                refusal.isEmpty(),
                refusal.map(AdmissionControl.Refusal::code).orElse(null),
                refusal.map(AdmissionControl.Refusal::reason).orElse(null)));
      }
    }
    return out;
  }

  private static List<Diagnostics> diagnostics(InFlight f) {
    return List.copyOf(f.diagnostics.values());
  }

  private void afterDecision(Decision d) {
    InFlight f = inFlight;
    if (d.verdict() != Decision.Verdict.NO_ACTION) {
      ctx.getLog().info("{} {} {}: {}", d.id(), d.verdict(), d.chosen().id(), d.reason());
    } else {
      ctx.getLog().debug("{} NO_ACTION: {}", d.id(), d.reason());
    }
    for (Decision.Rejection r : d.rejections()) {
      tellAgent(
          r.agent(),
          new AgentProtocol.Outcome(
              r.proposalId(),
              d.tick(),
              AgentProtocol.OutcomeKind.REJECTED,
              r.code() + ": " + r.reason()));
    }
    if (d.verdict() == Decision.Verdict.SHADOW) {
      tellAgent(
          d.chosen().agent(),
          new AgentProtocol.Outcome(
              d.chosen().id(),
              d.tick(),
              AgentProtocol.OutcomeKind.REJECTED,
              "shadow mode: decided and journaled, not applied"));
    }
    Decision toApply = d.verdict() == Decision.Verdict.APPLY ? d : null;
    actuator.tell(new Actuator.Tick(f.open.snapshot(), toApply, tickDoneAdapter));
    timers.startSingleTimer(
        ACTUATOR_TIMER, new ActuatorTimedOut(f.tick()), settings.actuator().tickTimeout());
  }

  private Effect<Event, State> onTickDone(State state, WrappedTickDone w) {
    Actuator.TickDone done = w.done();
    for (Actuator.Feedback fb : done.feedback()) {
      tellAgent(
          fb.agent(),
          new AgentProtocol.Outcome(fb.proposalId(), done.tick(), fb.outcome(), fb.detail()));
    }
    if (inFlight == null || inFlight.stage != Stage.ACTUATING || inFlight.tick() != done.tick()) {
      ctx.getLog()
          .warn(
              "late actuator report for tick {} of {}: {} report(s) go with the next closed tick",
              done.tick(),
              pipelineId,
              done.reports().size());
      lateReports.addAll(done.reports());
      return Effect().none();
    }
    return close(done.reports());
  }

  private Effect<Event, State> onActuatorTimedOut(State state, ActuatorTimedOut t) {
    if (inFlight == null || inFlight.stage != Stage.ACTUATING || inFlight.tick() != t.tick()) {
      return Effect().none();
    }
    ctx.getLog().warn("actuator of {} did not finish tick {} in time", pipelineId, t.tick());
    return close(List.of());
  }

  private Effect<Event, State> close(List<Actuator.Report> tickReports) {
    timers.cancel(ACTUATOR_TIMER);
    List<Actuator.Report> reports = tickReports;
    if (!lateReports.isEmpty()) {
      reports = new ArrayList<>(lateReports);
      reports.addAll(tickReports);
      lateReports.clear();
    }
    InFlight f = inFlight;
    inFlight = null;
    lastClosedTick = f.tick();
    TickClosed closed =
        new TickClosed(
            pipelineId,
            f.tick(),
            f.decision,
            f.proposals,
            f.missing,
            reports,
            diagnostics(f),
            f.shadowRecords);
    return Effect().none().thenRun(s -> f.open.replyTo().tell(closed)).thenUnstashAll();
  }

  private void tellAgent(AgentKind agent, AgentProtocol.Outcome outcome) {
    if (agent == null || !settings.proposers().contains(agent)) {
      return;
    }
    try {
      sharding.entityRefFor(agentKey(agent), pipelineId).tell(outcome);
    } catch (RuntimeException e) {
      ctx.getLog().warn("cannot tell the {} agent of {}: {}", agent, pipelineId, e.getMessage());
    }
  }

  // ------------------------------------------------------------------ operator commands

  private long currentTick(State state) {
    return Math.max(0, Math.max(lastClosedTick, state.lastDecisionTick()));
  }

  private Effect<Event, State> onApprove(State state, Approve cmd) {
    if (!state.awaitingApproval().containsKey(cmd.decisionId())) {
      return Effect()
          .none()
          .thenRun(
              s ->
                  cmd.replyTo()
                      .tell(
                          StatusReply.error(
                              "no decision " + cmd.decisionId() + " awaits approval")));
    }
    return Effect()
        .persist(
            new ApprovalGranted(pipelineId, currentTick(state), cmd.decisionId(), cmd.approver()))
        .thenRun(s -> cmd.replyTo().tell(StatusReply.ack()));
  }

  private Effect<Event, State> onDeny(State state, Deny cmd) {
    Proposal p = state.awaitingApproval().get(cmd.decisionId());
    if (p == null) {
      return Effect()
          .none()
          .thenRun(
              s ->
                  cmd.replyTo()
                      .tell(
                          StatusReply.error(
                              "no decision " + cmd.decisionId() + " awaits approval")));
    }
    long tick = currentTick(state);
    String reason = cmd.reason() == null ? "denied" : cmd.reason();
    return Effect()
        .persist(new ApprovalDenied(pipelineId, tick, cmd.decisionId(), cmd.approver(), reason))
        .thenRun(
            s -> {
              tellAgent(
                  p.agent(),
                  new AgentProtocol.Outcome(
                      p.id(),
                      tick,
                      AgentProtocol.OutcomeKind.REJECTED,
                      Decision.RejectionCode.APPROVAL_DENIED
                          + ": "
                          + cmd.approver()
                          + ": "
                          + reason));
              cmd.replyTo().tell(StatusReply.ack());
            });
  }

  private Effect<Event, State> onSetMode(State state, SetMode cmd) {
    if (cmd.mode() == null) {
      return Effect().none().thenRun(s -> cmd.replyTo().tell(StatusReply.error("no mode")));
    }
    if (cmd.mode() == state.mode()) {
      return Effect().none().thenRun(s -> cmd.replyTo().tell(StatusReply.ack()));
    }
    return Effect()
        .persist(
            new ModeChanged(
                pipelineId, currentTick(state), state.mode(), cmd.mode(), cmd.requestedBy()))
        .thenRun(s -> cmd.replyTo().tell(StatusReply.ack()));
  }

  private Effect<Event, State> onGetActuatorState(State state, GetActuatorState cmd) {
    actuator.tell(new Actuator.GetState(cmd.replyTo()));
    return Effect().none();
  }

  private Effect<Event, State> onRequestRollback(State state, RequestRollback cmd) {
    actuator.tell(
        new Actuator.Rollback(cmd.levels(), cmd.reason(), cmd.requestedBy(), cmd.replyTo()));
    return Effect().none();
  }
}
