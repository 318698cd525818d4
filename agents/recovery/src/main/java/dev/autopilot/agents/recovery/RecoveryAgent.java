package dev.autopilot.agents.recovery;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.autopilot.agents.recovery.policy.Incident;
import dev.autopilot.agents.recovery.policy.RecoveryModels;
import dev.autopilot.agents.recovery.policy.RecoveryPolicy;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.JournalRecovery;
import dev.autopilot.persistence.JsonSerializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
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
 * The recovery agent of one pipeline: an event-sourced entity, sharded per pipeline under {@link
 * #ENTITY_TYPE_KEY} with persistence id {@code recovery|<pipeline>}. It runs the {@link
 * RecoveryPolicy} on every {@link AgentProtocol.Evaluate}, journals the incident lifecycle ({@link
 * IncidentOpened}, {@link ActionProposed}, {@link OutcomeRecorded}, {@link Escalated}, {@link
 * IncidentClosed}) and replies with the tick's {@link AgentProtocol.Proposals}; on an {@link
 * AgentProtocol.Outcome} it journals the outcome and escalates the ladder when the verification
 * failed.
 *
 * <p>Journaled state: the open incident (cause, targets, ladder rung, pending proposal) and the
 * incident counters, rebuilt only through {@link State#apply}. Transient working memory, not
 * journaled: the CUSUM/EWMA detector windows, counter histories, per-operator baselines, the
 * anomalous/healthy streaks and the last healthy configuration, all inside the policy instance.
 * After a restart they are rebuilt from the telemetry that follows; the detectors warm up again.
 *
 * <p>Bad input never fails the entity: an Evaluate for another pipeline, or with a snapshot the
 * policy cannot use (invalid, stale tick, no SLA), is logged and answered with empty proposals; an
 * outcome for a proposal that is not pending is logged and ignored.
 */
public final class RecoveryAgent
    extends EventSourcedBehaviorWithEnforcedReplies<
        AgentProtocol.Command, RecoveryAgent.Event, RecoveryAgent.State> {

  public static final EntityTypeKey<AgentProtocol.Command> ENTITY_TYPE_KEY =
      EntityTypeKey.create(AgentProtocol.Command.class, AgentKind.RECOVERY.entityTypeName());

  // ------------------------------------------------------------------ protocol

  /** Replies with the entity's current state. */
  public record GetState(ActorRef<State> replyTo) implements AgentProtocol.Command {}

  /** Journaled events; every one is on the audit timeline. */
  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = IncidentOpened.class, name = "incident-opened"),
    @JsonSubTypes.Type(value = ActionProposed.class, name = "action-proposed"),
    @JsonSubTypes.Type(value = OutcomeRecorded.class, name = "outcome-recorded"),
    @JsonSubTypes.Type(value = Escalated.class, name = "escalated"),
    @JsonSubTypes.Type(value = IncidentClosed.class, name = "incident-closed")
  })
  public sealed interface Event extends AuditEvent
      permits IncidentOpened, ActionProposed, OutcomeRecorded, Escalated, IncidentClosed {}

  /** An incident opened with its diagnosis. */
  public record IncidentOpened(String pipelineId, long tick, Incident incident) implements Event {
    @Override
    public String summary() {
      return String.format(
          Locale.ROOT,
          "recovery incident #%d opened: %s (%.2f); ranked %s",
          incident.number(),
          incident.cause(),
          incident.score(),
          incident.diagnosis());
    }
  }

  /** A ladder rung was proposed. */
  public record ActionProposed(
      String pipelineId,
      long tick,
      long incidentNumber,
      int rung,
      Action.Level level,
      Proposal proposal)
      implements Event {
    @Override
    public String summary() {
      return String.format(
          Locale.ROOT,
          "recovery incident #%d proposes %s (rung %d, %s), cause %s, confidence %.2f",
          incidentNumber,
          proposal.action().describe(),
          rung + 1,
          level,
          proposal.cause(),
          proposal.confidence());
    }
  }

  /** The outcome of the pending proposal arrived. */
  public record OutcomeRecorded(
      String pipelineId,
      long tick,
      long incidentNumber,
      String proposalId,
      AgentProtocol.OutcomeKind outcome,
      String detail)
      implements Event {
    @Override
    public String summary() {
      return "recovery incident #"
          + incidentNumber
          + ": "
          + proposalId
          + " "
          + outcome
          + (detail == null ? "" : " (" + detail + ")");
    }
  }

  /** The ladder moved up (or ran out). */
  public record Escalated(
      String pipelineId,
      long tick,
      long incidentNumber,
      String proposalId,
      int fromRung,
      int toRung,
      boolean exhausted,
      String reason)
      implements Event {
    @Override
    public String summary() {
      return "recovery incident #"
          + incidentNumber
          + (exhausted
              ? ": ladder exhausted after rung " + (fromRung + 1)
              : ": escalated to rung " + (toRung + 1))
          + ", "
          + reason;
    }
  }

  /** The incident closed. */
  public record IncidentClosed(
      String pipelineId,
      long tick,
      long incidentNumber,
      FailureMode cause,
      boolean resolved,
      String reason)
      implements Event {
    @Override
    public String summary() {
      return "recovery incident #"
          + incidentNumber
          + " ("
          + cause
          + ") closed "
          + (resolved ? "resolved" : "unresolved")
          + ": "
          + reason;
    }
  }

  /**
   * The journaled state.
   *
   * @param pipelineId the pipeline
   * @param incident the open incident, or null
   * @param incidentsOpened incidents opened so far
   * @param incidentsResolved incidents closed healthy
   * @param incidentsUnresolved incidents given up after the ladder ran out
   * @param lastClosed summary of the last closed incident, or null
   */
  public record State(
      String pipelineId,
      Incident incident,
      long incidentsOpened,
      long incidentsResolved,
      long incidentsUnresolved,
      String lastClosed)
      implements JsonSerializable {

    public static State empty(String pipelineId) {
      return new State(pipelineId, null, 0, 0, 0, null);
    }

    /** The only way state changes: folding one journaled event. */
    public State apply(Event e) {
      if (e instanceof IncidentOpened o) {
        return new State(
            pipelineId,
            o.incident(),
            incidentsOpened + 1,
            incidentsResolved,
            incidentsUnresolved,
            lastClosed);
      }
      if (incident == null) {
        return this;
      }
      if (e instanceof ActionProposed p) {
        Incident.Pending pending =
            new Incident.Pending(p.proposal().id(), p.tick(), p.rung(), p.proposal().action());
        return withIncident(incident.withProposal(pending));
      }
      if (e instanceof OutcomeRecorded r) {
        return withIncident(incident.withOutcome(r.proposalId(), r.outcome(), r.tick()));
      }
      if (e instanceof Escalated x) {
        return withIncident(incident.escalated(x.toRung(), x.exhausted(), x.tick()));
      }
      IncidentClosed c = (IncidentClosed) e;
      return new State(
          pipelineId,
          null,
          incidentsOpened,
          incidentsResolved + (c.resolved() ? 1 : 0),
          incidentsUnresolved + (c.resolved() ? 0 : 1),
          c.summary());
    }

    private State withIncident(Incident i) {
      return new State(
          pipelineId, i, incidentsOpened, incidentsResolved, incidentsUnresolved, lastClosed);
    }
  }

  // ------------------------------------------------------------------ construction

  private final ActorContext<AgentProtocol.Command> context;
  private final String pipelineId;
  private final RecoveryPolicy policy;
  private long lastTick = Long.MIN_VALUE;

  private RecoveryAgent(
      ActorContext<AgentProtocol.Command> context,
      String pipelineId,
      PersistenceId id,
      RecoverySettings settings,
      RecoveryModels models) {
    super(id, JournalRecovery.backoff(context.getSystem().settings().config()));
    this.context = context;
    this.pipelineId = pipelineId;
    this.policy = new RecoveryPolicy(settings, models);
  }

  /** The entity with the baseline policy (no learned model). */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId id, RecoverySettings settings) {
    return create(pipelineId, id, settings, RecoveryModels.NONE);
  }

  /**
   * The entity.
   *
   * @param pipelineId the pipeline
   * @param id its persistence id
   * @param settings policy settings
   * @param models learned models loaded once per node; the entity gets its own anomaly model
   *     instance and closes it when it stops
   */
  public static Behavior<AgentProtocol.Command> create(
      String pipelineId, PersistenceId id, RecoverySettings settings, RecoveryModels models) {
    return Behaviors.withMdc(
        AgentProtocol.Command.class,
        Map.of("agent", AgentKind.RECOVERY.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(ctx -> new RecoveryAgent(ctx, pipelineId, id, settings, models)));
  }

  /** Registers the recovery entity type with cluster sharding, with the baseline policy. */
  public static void initSharding(ActorSystem<?> system, RecoverySettings settings) {
    initSharding(system, settings, RecoveryModels.NONE);
  }

  /** Registers the recovery entity type with cluster sharding (entity id = pipeline id). */
  public static void initSharding(
      ActorSystem<?> system, RecoverySettings settings, RecoveryModels models) {
    ClusterSharding.get(system)
        .init(
            Entity.of(
                ENTITY_TYPE_KEY,
                ec ->
                    create(
                        ec.getEntityId(),
                        PersistenceId.of(ec.getEntityTypeKey().name(), ec.getEntityId()),
                        settings,
                        models)));
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(PostStop.instance(), state -> policy.close())
        .onSignal(RecoveryFailed.class, JournalRecovery.reporter(context, this))
        .build();
  }

  @Override
  public State emptyState() {
    return State.empty(pipelineId);
  }

  // ------------------------------------------------------------------ commands

  @Override
  public CommandHandlerWithReply<AgentProtocol.Command, Event, State> commandHandler() {
    return newCommandHandlerWithReplyBuilder()
        .forAnyState()
        .onCommand(AgentProtocol.Evaluate.class, this::onEvaluate)
        .onCommand(AgentProtocol.Outcome.class, this::onOutcome)
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onAnyCommand(this::onUnknown);
  }

  private ReplyEffect<Event, State> onEvaluate(State state, AgentProtocol.Evaluate cmd) {
    if (cmd.replyTo() == null) {
      context.getLog().warn("Evaluate without replyTo ignored");
      return Effect().none().thenNoReply();
    }
    TelemetrySnapshot s = cmd.snapshot();
    long tick = s == null ? -1 : s.tick();
    AgentProtocol.Proposals none =
        new AgentProtocol.Proposals(pipelineId, tick, AgentKind.RECOVERY, List.of());
    Optional<String> problem = cmd.problem(pipelineId, lastTick);
    if (problem.isPresent()) {
      context.getLog().warn("Evaluate rejected, answering with no proposal: {}", problem.get());
      return Effect().reply(cmd.replyTo(), none);
    }
    RecoveryPolicy.TickResult result;
    try {
      result = policy.evaluate(s, cmd.sla(), state.incident(), state.incidentsOpened());
    } catch (RuntimeException e) {
      context
          .getLog()
          .error("recovery policy failed on tick {}, answering with no proposal", tick, e);
      return Effect().reply(cmd.replyTo(), none);
    }
    lastTick = tick;
    List<Event> events = toEvents(result.changes(), tick);
    AgentProtocol.Proposals reply =
        new AgentProtocol.Proposals(
            pipelineId, tick, AgentKind.RECOVERY, result.proposals(), result.diagnostics());
    if (context.getLog().isDebugEnabled()) {
      context
          .getLog()
          .debug(
              "tick {}: top causes {}",
              tick,
              result.diagnosis().ranked().stream().limit(3).map(r -> r.label()).toList());
    }
    if (events.isEmpty()) {
      return Effect().reply(cmd.replyTo(), reply);
    }
    for (Proposal p : result.proposals()) {
      context.getLog().info("proposal {}: {} (cause {})", p.id(), p.action().describe(), p.cause());
    }
    return Effect().persist(events).thenReply(cmd.replyTo(), st -> reply);
  }

  private ReplyEffect<Event, State> onOutcome(State state, AgentProtocol.Outcome cmd) {
    if (cmd.proposalId() == null || cmd.outcome() == null) {
      context.getLog().warn("malformed outcome ignored: {}", cmd);
      return Effect().none().thenNoReply();
    }
    List<RecoveryPolicy.Change> changes =
        policy.outcome(cmd.proposalId(), cmd.outcome(), cmd.tick(), cmd.detail(), state.incident());
    if (changes.isEmpty()) {
      context
          .getLog()
          .debug(
              "outcome {} of {} does not concern a pending proposal",
              cmd.outcome(),
              cmd.proposalId());
      return Effect().none().thenNoReply();
    }
    context.getLog().info("proposal {} outcome {}", cmd.proposalId(), cmd.outcome());
    return Effect().persist(toEvents(changes, cmd.tick())).thenNoReply();
  }

  private ReplyEffect<Event, State> onUnknown(State state, AgentProtocol.Command cmd) {
    context.getLog().warn("unsupported command ignored: {}", cmd.getClass().getSimpleName());
    return Effect().none().thenNoReply();
  }

  private List<Event> toEvents(List<RecoveryPolicy.Change> changes, long tick) {
    List<Event> events = new ArrayList<>();
    for (RecoveryPolicy.Change c : changes) {
      if (c instanceof RecoveryPolicy.Opened o) {
        events.add(new IncidentOpened(pipelineId, tick, o.incident()));
      } else if (c instanceof RecoveryPolicy.Proposed p) {
        events.add(
            new ActionProposed(
                pipelineId,
                tick,
                p.incidentNumber(),
                p.rung().index(),
                p.rung().level(),
                p.proposal()));
      } else if (c instanceof RecoveryPolicy.OutcomeSeen o) {
        events.add(
            new OutcomeRecorded(
                pipelineId, tick, o.incidentNumber(), o.proposalId(), o.outcome(), o.detail()));
      } else if (c instanceof RecoveryPolicy.Escalated x) {
        events.add(
            new Escalated(
                pipelineId,
                tick,
                x.incidentNumber(),
                x.proposalId(),
                x.fromRung(),
                x.toRung(),
                x.exhausted(),
                x.reason()));
      } else if (c instanceof RecoveryPolicy.Closed x) {
        events.add(
            new IncidentClosed(
                pipelineId, tick, x.incidentNumber(), x.cause(), x.resolved(), x.reason()));
      }
    }
    return events;
  }

  // ------------------------------------------------------------------ events

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }
}
