package dev.autopilot.agents.meta;

import dev.autopilot.agents.meta.policy.Arbiter;
import dev.autopilot.agents.meta.policy.ConfigHistory;
import dev.autopilot.agents.meta.policy.RollbackGuard;
import dev.autopilot.agents.meta.policy.Verification;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.Decision;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.Explanation;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.estimate.LoadEstimator;
import dev.autopilot.persistence.JournalRecovery;
import dev.autopilot.persistence.JsonSerializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
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
 * Applies the meta-agent's decisions to the platform, verifies them, rolls back when they hurt, and
 * keeps the history of known-good configurations. A supervised child of the pipeline's MetaAgent
 * with its own persistence id {@code actuator|<pipeline>}.
 *
 * <p>Per {@link Tick}: record the first observed configuration as known-good; feed the snapshot to
 * the running verification (after the action's settle ticks, window and thresholds from {@link
 * Verification}); on a failed verification roll back to the newest known-good configuration, unless
 * {@link RollbackGuard} withholds it ({@link RollbackWithheld}: the target could not carry the
 * demand a change that did not hurt now carries, or it is the running configuration); on a passed
 * one push the configuration onto the history; then execute the tick's decision. Every platform
 * call runs on the blocking dispatcher ({@link MetaSettings#DISPATCHER_PATH}), its result comes
 * back with {@code pipeToSelf}. {@link ChangeStarted} is persisted before the call and {@link
 * ChangeApplied} / {@link RolledBack} / {@link ChangeFailed} after it; an unconfirmed change is
 * re-run after recovery (the port is idempotent: {@code apply} is declarative and {@code recover}
 * is keyed by the decision id). While a platform call is in flight, ticks and rollback requests are
 * stashed. A {@link PlatformException} (or any other failure of the call) becomes a journaled
 * {@link ChangeFailed}, never a crash.
 *
 * <p>The verification window starts only after the action's settle ticks, once the job runs and the
 * backlog of the restart is caught up ({@link Verification#windowStart}, against the consumer lag
 * journaled with the change), so it measures the steady state, not the restart transient.
 *
 * <p>Transient (rebuilt after a restart, not journaled): the verification samples of the running
 * change, whether its window has started, and the previous tick's consumer lag. After a restart the
 * verification window starts again, which only delays the verdict.
 */
public final class Actuator
    extends EventSourcedBehavior<Actuator.Command, Actuator.Event, Actuator.State> {

  // ------------------------------------------------------------------ protocol

  /** Commands of the actuator. */
  public sealed interface Command extends JsonSerializable
      permits Tick, Rollback, GetState, PlatformDone {}

  /**
   * One tick: verify the running change against the snapshot, then execute the decision.
   *
   * @param snapshot this tick's validated snapshot
   * @param decision the tick's decision, null when there is nothing to apply (only {@code APPLY}
   *     verdicts are executed)
   * @param replyTo receives {@link TickDone} once every platform call of the tick returned
   */
  public record Tick(TelemetrySnapshot snapshot, Decision decision, ActorRef<TickDone> replyTo)
      implements Command {}

  /**
   * Roll back {@code levels} known-good configurations: level 1 is the newest known-good one (the
   * running one when no change is under verification, so then level 1 goes one further). Replies
   * with the restored configuration. {@code requestedBy} (who asked, null when unknown) is
   * journaled in the rollback's cause.
   */
  public record Rollback(
      int levels, String reason, String requestedBy, ActorRef<StatusReply<PipelineConfig>> replyTo)
      implements Command {}

  /** Replies with the current state. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  /** Result of a platform call, brought back with {@code pipeToSelf}. */
  record PlatformDone(String changeId, ActuationResult result, String errorKind, String error)
      implements Command {}

  /**
   * The end of a tick.
   *
   * @param pipelineId the pipeline
   * @param tick the tick
   * @param reports what the actuator did this tick (and reports of rollbacks requested between
   *     ticks)
   * @param feedback outcomes to tell the proposing agents
   */
  public record TickDone(
      String pipelineId, long tick, List<Report> reports, List<Feedback> feedback)
      implements JsonSerializable {
    public TickDone {
      reports = List.copyOf(reports);
      feedback = List.copyOf(feedback);
    }
  }

  /**
   * One actuation, as reported at the end of a tick.
   *
   * @param kind what happened
   * @param proposalId the proposal concerned (null for a manual rollback of a verified config)
   * @param action the action, described
   * @param config the configuration after it (for FAILED: the one still running)
   * @param explanation the explanation record
   * @param errorKind why the change could not be executed, as its {@link ChangeFailed} records it:
   *     a {@link PlatformException.Kind} name when the platform call failed, {@code INVALID} or
   *     {@code ACTUATION_IN_PROGRESS} when the actuator refused the decision, the exception's class
   *     name for any other failure of the call; null for every other report (a FAILED verification
   *     included)
   */
  public record Report(
      Kind kind,
      String proposalId,
      String action,
      PipelineConfig config,
      Explanation explanation,
      String errorKind)
      implements JsonSerializable {

    /** What happened. */
    public enum Kind {
      APPLIED,
      VERIFIED,
      ROLLED_BACK,
      FAILED
    }
  }

  /**
   * An outcome for the agent that proposed a change.
   *
   * @param agent the proposing agent
   * @param proposalId its proposal
   * @param outcome what became of it
   * @param detail in words
   */
  public record Feedback(
      AgentKind agent, String proposalId, AgentProtocol.OutcomeKind outcome, String detail)
      implements JsonSerializable {}

  // ------------------------------------------------------------------ events

  /** Events of the actuator; all on the audit timeline. */
  public sealed interface Event extends AuditEvent
      permits BaselineRecorded,
          ChangeStarted,
          ChangeApplied,
          ChangeFailed,
          ChangeVerified,
          RolledBack,
          RollbackWithheld {}

  /** The first configuration observed becomes the first known-good one. */
  public record BaselineRecorded(String pipelineId, long tick, PipelineConfig config)
      implements Event {
    @Override
    public String summary() {
      return "baseline known-good configuration " + config.summary();
    }
  }

  /** A platform call is about to run (re-run after recovery when not confirmed). */
  public record ChangeStarted(String pipelineId, long tick, Change change) implements Event {
    @Override
    public String summary() {
      return "started "
          + change.kind().name().toLowerCase(Locale.ROOT)
          + " "
          + change.changeId()
          + ": "
          + change.action().describe();
    }
  }

  /** A decision was applied; its verification starts. */
  public record ChangeApplied(
      String pipelineId,
      long tick,
      String changeId,
      String proposalId,
      ActuationResult result,
      Explanation explanation)
      implements Event {
    @Override
    public String summary() {
      return "applied "
          + proposalId
          + " ("
          + result.outcome()
          + ", settles in "
          + result.settleTicks()
          + " ticks): "
          + explanation.action();
    }

    @Override
    public Explanation explanationOrNull() {
      return explanation;
    }
  }

  /** A platform call failed or the decision could not be executed; nothing changed. */
  public record ChangeFailed(
      String pipelineId,
      long tick,
      String changeId,
      String proposalId,
      String errorKind,
      String error,
      Explanation explanation)
      implements Event {
    @Override
    public String summary() {
      return "failed " + changeId + " (" + errorKind + "): " + error;
    }

    @Override
    public Explanation explanationOrNull() {
      return explanation;
    }
  }

  /** A change passed its verification; its configuration is the newest known-good. */
  public record ChangeVerified(
      String pipelineId,
      long tick,
      String changeId,
      String proposalId,
      PipelineConfig config,
      Explanation explanation)
      implements Event {
    @Override
    public String summary() {
      return "verified " + proposalId + ": " + explanation.verification();
    }

    @Override
    public Explanation explanationOrNull() {
      return explanation;
    }
  }

  /** The pipeline was rolled back to a known-good configuration. */
  public record RolledBack(
      String pipelineId,
      long tick,
      String changeId,
      String proposalId,
      PipelineConfig from,
      PipelineConfig to,
      int levels,
      Explanation explanation)
      implements Event {
    @Override
    public String summary() {
      return "rolled back " + levels + " level(s) to " + to.summary() + ": " + explanation.cause();
    }

    @Override
    public Explanation explanationOrNull() {
      return explanation;
    }
  }

  /**
   * A change failed its verification but its automatic rollback was withheld ({@link
   * RollbackGuard}): the rollback target could not carry the current demand, or it is the running
   * configuration already. The change is closed as failed; the running configuration stays and does
   * not become known-good.
   *
   * @param changeId the failed change
   * @param proposalId its proposal
   * @param target the rollback target that was not applied
   * @param reason why the rollback was withheld
   * @param explanation the explanation record
   */
  public record RollbackWithheld(
      String pipelineId,
      long tick,
      String changeId,
      String proposalId,
      PipelineConfig target,
      String reason,
      Explanation explanation)
      implements Event {
    @Override
    public String summary() {
      return "verification of " + proposalId + " failed; rollback withheld: " + reason;
    }

    @Override
    public Explanation explanationOrNull() {
      return explanation;
    }
  }

  // ------------------------------------------------------------------ state

  /** Why a platform call is made. */
  public enum ChangeKind {
    /** Executing a decision. */
    DECISION,
    /** Restoring a known-good configuration. */
    ROLLBACK
  }

  /**
   * A change the actuator executes, with what its explanation needs.
   *
   * @param changeId the decision id, or {@code rollback-<pipeline>-<n>}
   * @param kind decision or rollback
   * @param decisionTick tick of the decision (for a rollback: the tick it started)
   * @param proposalId the proposal (for a rollback: the change being undone, null for a manual
   *     rollback of a verified configuration)
   * @param agent its agent, null when none
   * @param action the action (a rollback is a {@link Action.Reconfigure})
   * @param before configuration before
   * @param target configuration after
   * @param expected the proposal's expected effect (verification input), null for a rollback
   *     without a change under verification
   * @param trigger what triggered it
   * @param evidence supporting observations
   * @param cause the cause
   * @param observed for a rollback after a failed verification: the observed outcome, else null
   * @param historyLevels for a rollback: the {@link ConfigHistory#rollbackTarget(int)} argument
   * @param lagBefore consumer lag when the decision was taken (the verification's catch-up
   *     reference), NaN when unknown
   * @param throughputBefore processed rate when the decision was taken (the rollback guard's
   *     reference), NaN when unknown (rollbacks; 0 in events journaled before it was recorded)
   */
  public record Change(
      String changeId,
      ChangeKind kind,
      long decisionTick,
      String proposalId,
      AgentKind agent,
      Action action,
      PipelineConfig before,
      PipelineConfig target,
      ExpectedEffect expected,
      String trigger,
      List<String> evidence,
      String cause,
      String observed,
      int historyLevels,
      double lagBefore,
      double throughputBefore) {
    public Change {
      evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }
  }

  /**
   * A change applied and under verification.
   *
   * @param change the change
   * @param appliedTick tick it was applied
   * @param settleTicks ticks before it is expected to have taken effect
   */
  public record Verifying(Change change, long appliedTick, int settleTicks) {}

  /**
   * The actuator's state, rebuilt only through {@link #apply(Event)}.
   *
   * @param pipelineId the pipeline
   * @param history known-good configurations, newest first
   * @param running the configuration the actuator last put in place (or observed first)
   * @param inFlight a change whose platform call is not confirmed yet
   * @param verifying the applied change under verification
   * @param lastDecisionTick tick of the last decision executed (idempotence), or MIN_VALUE
   * @param lastChangeTick tick of the last applied or rolled-back change, or MIN_VALUE
   * @param applied changes applied
   * @param verified changes verified
   * @param rolledBack rollbacks
   * @param failed failed changes
   */
  public record State(
      String pipelineId,
      ConfigHistory history,
      PipelineConfig running,
      Change inFlight,
      Verifying verifying,
      long lastDecisionTick,
      long lastChangeTick,
      int applied,
      int verified,
      int rolledBack,
      int failed)
      implements JsonSerializable {

    /** The state before any event. */
    public static State initial(String pipelineId, int historySize) {
      return new State(
          pipelineId,
          ConfigHistory.empty(historySize),
          null,
          null,
          null,
          Long.MIN_VALUE,
          Long.MIN_VALUE,
          0,
          0,
          0,
          0);
    }

    /** Whether a change is being executed or verified (configuration changes must wait). */
    public boolean verificationOpen() {
      return inFlight != null || verifying != null;
    }

    /** The one way the state evolves. */
    public State apply(Event event) {
      if (event instanceof BaselineRecorded e) {
        return new State(
            pipelineId,
            history.size() == 0 ? history.push(e.config()) : history,
            running == null ? e.config() : running,
            inFlight,
            verifying,
            lastDecisionTick,
            lastChangeTick,
            applied,
            verified,
            rolledBack,
            failed);
      }
      if (event instanceof ChangeStarted e) {
        Change c = e.change();
        boolean decision = c.kind() == ChangeKind.DECISION;
        return new State(
            pipelineId,
            history,
            running,
            c,
            decision ? null : verifying, // a new decision supersedes an open verification
            decision ? Math.max(lastDecisionTick, c.decisionTick()) : lastDecisionTick,
            lastChangeTick,
            applied,
            verified,
            rolledBack,
            failed);
      }
      if (event instanceof ChangeApplied e) {
        Change c = inFlight;
        return new State(
            pipelineId,
            history,
            c == null ? running : c.target(),
            null,
            c == null ? verifying : new Verifying(c, e.tick(), e.result().settleTicks()),
            lastDecisionTick,
            e.tick(),
            applied + 1,
            verified,
            rolledBack,
            failed);
      }
      if (event instanceof ChangeFailed e) {
        Change c = inFlight != null && inFlight.changeId().equals(e.changeId()) ? null : inFlight;
        return new State(
            pipelineId,
            history,
            running,
            c,
            verifying,
            lastDecisionTick,
            lastChangeTick,
            applied,
            verified,
            rolledBack,
            failed + 1);
      }
      if (event instanceof ChangeVerified e) {
        return new State(
            pipelineId,
            history.push(e.config()),
            running,
            inFlight,
            null,
            lastDecisionTick,
            lastChangeTick,
            applied,
            verified + 1,
            rolledBack,
            failed);
      }
      if (event instanceof RolledBack e) {
        int levels = inFlight != null ? inFlight.historyLevels() : 1;
        ConfigHistory h = history.canRollBack(levels) ? history.rolledBack(levels) : history;
        return new State(
            pipelineId,
            h,
            e.to(),
            null,
            null,
            lastDecisionTick,
            e.tick(),
            applied,
            verified,
            rolledBack + 1,
            failed);
      }
      if (event instanceof RollbackWithheld) {
        return new State(
            pipelineId,
            history,
            running,
            inFlight,
            null,
            lastDecisionTick,
            lastChangeTick,
            applied,
            verified,
            rolledBack,
            failed);
      }
      throw new IllegalArgumentException("unknown event " + event);
    }
  }

  // ------------------------------------------------------------------ behaviour

  /**
   * Busy share under which an operator's rate is not measured by the rollback guard's load estimate
   * (the agents' default {@code min-busy-ratio}).
   */
  private static final double ROLLBACK_GUARD_MIN_BUSY_RATIO = 0.05;

  /** Transient work of the tick being processed. */
  private static final class Work {
    final Tick tick;
    PipelineConfig current;
    Verification.Result failedVerification;
    boolean rollbackDone;
    Decision decision;
    final List<Report> reports = new ArrayList<>();
    final List<Feedback> feedback = new ArrayList<>();

    Work(Tick tick) {
      this.tick = tick;
      this.current = tick.snapshot().config();
    }
  }

  private final ActorContext<Command> ctx;
  private final String pipelineId;
  private final MetaSettings settings;
  private final Platform platform;
  private final Verification verification;
  private final Executor blocking;

  private Work work;
  private ActorRef<StatusReply<PipelineConfig>> rollbackReplyTo;
  private final List<Verification.Sample> samples = new ArrayList<>();
  private String samplesFor;
  private boolean windowOpen;
  private double previousLag = Double.NaN;
  private final LoadEstimator estimator = new LoadEstimator(ROLLBACK_GUARD_MIN_BUSY_RATIO);
  private LoadEstimator.Estimate estimate;
  private long lastSeenTick = Long.MIN_VALUE;
  private final List<Report> carryReports = new ArrayList<>();
  private final List<Feedback> carryFeedback = new ArrayList<>();

  /**
   * The actuator behaviour, unsupervised (the MetaAgent wraps it, see {@link #supervised}).
   *
   * @param pipelineId the pipeline
   * @param persistenceId {@code actuator|<pipeline>}
   * @param settings module settings
   * @param platform the platform port
   */
  public static Behavior<Command> create(
      String pipelineId, PersistenceId persistenceId, MetaSettings settings, Platform platform) {
    return Behaviors.withMdc(
        Command.class,
        Map.of("agent", AgentKind.ACTUATOR.entityTypeName(), "pipeline", pipelineId),
        Behaviors.setup(ctx -> new Actuator(ctx, pipelineId, persistenceId, settings, platform)));
  }

  /** The actuator under restart-with-backoff supervision, as the MetaAgent spawns it. */
  public static Behavior<Command> supervised(
      String pipelineId, MetaSettings settings, Platform platform) {
    MetaSettings.ActuatorSettings a = settings.actuator();
    return Behaviors.supervise(create(pipelineId, persistenceId(pipelineId), settings, platform))
        .onFailure(
            SupervisorStrategy.restartWithBackoff(
                a.minBackoff(), a.maxBackoff(), a.randomFactor()));
  }

  /** {@code actuator|<pipeline>}. */
  public static PersistenceId persistenceId(String pipelineId) {
    return PersistenceId.of(AgentKind.ACTUATOR.entityTypeName(), pipelineId);
  }

  private Actuator(
      ActorContext<Command> ctx,
      String pipelineId,
      PersistenceId persistenceId,
      MetaSettings settings,
      Platform platform) {
    super(
        persistenceId,
        SupervisorStrategy.restartWithBackoff(
            settings.actuator().minBackoff(),
            settings.actuator().maxBackoff(),
            settings.actuator().randomFactor()));
    this.ctx = ctx;
    this.pipelineId = pipelineId;
    this.settings = settings;
    this.platform = platform;
    this.verification = new Verification(settings.verification());
    this.blocking =
        ctx.getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig(settings.actuator().dispatcher()));
  }

  @Override
  public State emptyState() {
    return State.initial(pipelineId, settings.historySize());
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
        .onSignal(RecoveryFailed.class, JournalRecovery.reporter(ctx, this))
        .build();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Tick.class, this::onTick)
        .onCommand(Rollback.class, this::onRollback)
        .onCommand(GetState.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
        .onCommand(PlatformDone.class, this::onPlatformDone)
        .build();
  }

  private void onRecoveryCompleted(State state) {
    abandonTransientWork();
    if (state.inFlight() != null) {
      ctx.getLog()
          .info("re-running unconfirmed change {} after recovery", state.inFlight().changeId());
      callPlatform(state.inFlight());
    }
  }

  /**
   * Forgets the work of a tick or a manual rollback that a journal failure interrupted. A journal
   * failure restarts the event-sourced behaviour (it recovers its state from the journal) but not
   * this object: without this, a tick left half-done would keep the actuator busy, stashing every
   * later command, forever. The interrupted tick is not answered (the meta-agent gives up on it
   * after its actuator timeout); a manual rollback is answered with an error. Reports and feedback
   * carried over from between ticks are dropped: their events may not have been journaled.
   */
  private void abandonTransientWork() {
    if (work != null) {
      ctx.getLog()
          .warn(
              "abandoning tick {} of {}, interrupted by a journal failure",
              work.tick.snapshot().tick(),
              pipelineId);
      work = null;
    }
    if (rollbackReplyTo != null) {
      rollbackReplyTo.tell(
          StatusReply.error("rollback interrupted by a journal failure; ask again"));
      rollbackReplyTo = null;
    }
    carryReports.clear();
    carryFeedback.clear();
  }

  private boolean busy(State state) {
    return work != null || rollbackReplyTo != null || state.inFlight() != null;
  }

  // ------------------------------------------------------------------ tick

  private Effect<Event, State> onTick(State state, Tick cmd) {
    if (busy(state)) {
      return Effect().stash();
    }
    TelemetrySnapshot s = cmd.snapshot();
    if (s == null
        || !pipelineId.equals(s.pipelineId())
        || s.config() == null
        || s.job() == null
        || s.operators() == null
        || s.operators().isEmpty()) {
      ctx.getLog().warn("ignoring a tick without a usable snapshot for {}", pipelineId);
      long tick = s == null ? lastSeenTick : s.tick();
      cmd.replyTo().tell(drain(new TickDone(pipelineId, tick, List.of(), List.of())));
      return Effect().none();
    }
    lastSeenTick = s.tick();
    if (s.tick() > estimator.lastTick()) {
      estimate = estimator.update(s);
    }
    work = new Work(cmd);
    List<Event> events = new ArrayList<>();
    if (state.history().size() == 0) {
      events.add(new BaselineRecorded(pipelineId, s.tick(), s.config()));
    }
    Verifying v = state.verifying();
    if (v != null && state.inFlight() == null) {
      if (!v.change().changeId().equals(samplesFor)) {
        samples.clear();
        samplesFor = v.change().changeId();
        windowOpen = false;
      }
      Verification.Sample sample =
          Verification.Sample.of(s, previousLag, settings.verification().tickSeconds());
      // The tick the gate opens is not measured: its figures (p99 above all) still cover the
      // interval in which the backlog drained. The window starts with the next tick.
      boolean measuring = windowOpen;
      if (!windowOpen) {
        Verification.Gate gate =
            verification.windowStart(
                s.tick(),
                v.appliedTick(),
                v.settleTicks(),
                s.job().state(),
                s.job().consumerLag(),
                v.change().lagBefore(),
                sample.demand());
        windowOpen = gate.open();
        if (gate.open()) {
          ctx.getLog()
              .info("verification window of {} starts: {}", v.change().proposalId(), gate.reason());
        }
      }
      if (measuring || s.job().state() == dev.autopilot.api.JobMetrics.JobState.FAILED) {
        samples.add(sample);
      }
      ExpectedEffect expected =
          v.change().expected() == null ? new ExpectedEffect(0, 0, 0, 0, 0) : v.change().expected();
      Verification.Result r = verification.evaluate(expected, samples);
      if (r.status() == Verification.Status.PASSED) {
        Change c = v.change();
        Explanation x = verdict(c, r, "VERIFIED at tick " + s.tick() + ": " + r.reason());
        events.add(
            new ChangeVerified(pipelineId, s.tick(), c.changeId(), c.proposalId(), c.target(), x));
        work.reports.add(
            new Report(
                Report.Kind.VERIFIED, c.proposalId(), c.action().describe(), c.target(), x, null));
        feedback(work.feedback, c, AgentProtocol.OutcomeKind.VERIFIED, r.reason());
        samples.clear();
      } else if (r.status() == Verification.Status.FAILED) {
        work.failedVerification = r;
      }
    }
    previousLag = s.job().consumerLag();
    Decision d = cmd.decision();
    if (d != null
        && d.verdict() == Decision.Verdict.APPLY
        && d.chosen() != null
        && d.chosen().action() != null
        && pipelineId.equals(d.pipelineId())) {
      if (d.tick() <= state.lastDecisionTick()) {
        ctx.getLog().info("decision {} already executed, not repeated", d.id());
      } else {
        work.decision = d;
      }
    }
    return proceed(applyAll(state, events), events);
  }

  /**
   * Persists {@code events} and starts the next step of the tick: the rollback of a failed
   * verification, then the decision, then the reply.
   */
  /** The explanation of a change's verification verdict. */
  private static Explanation verdict(Change c, Verification.Result r, String verification) {
    return new Explanation(
        c.trigger(),
        c.evidence(),
        c.cause(),
        actionText(c),
        impact(c.expected()) + "; observed " + observed(r),
        verification);
  }

  /** Whether a configuration change only adds capacity ({@link Arbiter#scalesUpOnly}). */
  private static boolean scaleUpOnly(PipelineConfig current, Action a) {
    try {
      return Arbiter.scalesUpOnly(current, a.targetConfig(current));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Effect<Event, State> proceed(State state, List<Event> events) {
    Work w = work;
    long tick = w.tick.snapshot().tick();
    if (w.failedVerification != null && !w.rollbackDone && state.verifying() != null) {
      w.rollbackDone = true;
      Verifying v = state.verifying();
      Verification.Result r = w.failedVerification;
      Change c = v.change();
      Optional<String> withheld =
          state.history().canRollBack(1)
              ? RollbackGuard.withhold(
                  w.current,
                  state.history().rollbackTarget(1),
                  !c.before().equals(c.target()),
                  estimate,
                  w.tick.snapshot().job().throughputPerSecond(),
                  c.throughputBefore(),
                  settings.arbiter().admission().maxThroughputDrop())
              : Optional.empty();
      if (withheld.isPresent()) {
        String reason = withheld.get();
        Explanation x =
            verdict(
                c,
                r,
                "FAILED at tick " + tick + ": " + r.reason() + "; rollback withheld: " + reason);
        events.add(
            new RollbackWithheld(
                pipelineId,
                tick,
                c.changeId(),
                c.proposalId(),
                state.history().rollbackTarget(1),
                reason,
                x));
        w.reports.add(
            new Report(
                Report.Kind.FAILED, c.proposalId(), c.action().describe(), w.current, x, null));
        if (c.proposalId() != null && c.agent() != null) {
          feedback(
              w.feedback,
              c,
              AgentProtocol.OutcomeKind.FAILED,
              "verification failed (" + r.reason() + "); rollback withheld: " + reason);
        }
        samples.clear();
        ctx.getLog()
            .info("verification of {} failed, rollback withheld: {}", c.proposalId(), reason);
        state = state.apply(events.get(events.size() - 1));
      } else if (state.history().canRollBack(1)) {
        PipelineConfig target = state.history().rollbackTarget(1);
        Change rollback =
            new Change(
                rollbackId(state),
                ChangeKind.ROLLBACK,
                tick,
                c.proposalId(),
                c.agent(),
                new Action.Reconfigure(target, "verification of " + c.proposalId() + " failed"),
                c.target(),
                target,
                c.expected(),
                "verification of "
                    + c.proposalId()
                    + " ("
                    + c.action().describe()
                    + ") failed at tick "
                    + tick,
                List.of("observed " + observed(r), "expected " + impact(c.expected())),
                r.reason(),
                observed(r),
                1,
                Double.NaN,
                Double.NaN);
        events.add(new ChangeStarted(pipelineId, tick, rollback));
        return persistThenCall(events, rollback);
      }
    }
    if (w.decision != null) {
      Decision d = w.decision;
      w.decision = null;
      Proposal p = d.chosen();
      Action a = p.action();
      State after = state;
      if (a instanceof Action.ConfigChange
          && state.verificationOpen()
          && !(state.inFlight() == null && scaleUpOnly(w.current, a))) {
        String msg =
            "verification of "
                + state.verifying().change().proposalId()
                + " is still open; configuration change not executed";
        events.add(failed(tick, d.id(), p, w.current, "ACTUATION_IN_PROGRESS", msg));
        return proceedAfter(state, events);
      }
      PipelineConfig target;
      try {
        target = a.targetConfig(w.current);
      } catch (RuntimeException e) {
        events.add(failed(tick, d.id(), p, w.current, "INVALID", String.valueOf(e.getMessage())));
        return proceedAfter(state, events);
      }
      if (after.verifying() != null) {
        Change superseded = after.verifying().change();
        feedback(
            w.feedback,
            superseded,
            AgentProtocol.OutcomeKind.SUPERSEDED,
            "superseded by recovery action "
                + a.describe()
                + " of "
                + p.id()
                + " before its verification completed");
      }
      Change c =
          new Change(
              d.id(),
              ChangeKind.DECISION,
              d.tick(),
              p.id(),
              p.agent(),
              a,
              w.current,
              target,
              p.expectedEffect(),
              "decision "
                  + d.id()
                  + " chose "
                  + p.id()
                  + " of "
                  + p.agent()
                  + " ("
                  + p.priority()
                  + ", confidence "
                  + String.format(Locale.ROOT, "%.2f", p.confidence())
                  + ")",
              p.evidence(),
              p.cause(),
              null,
              0,
              w.tick.snapshot().job().consumerLag(),
              w.tick.snapshot().job().throughputPerSecond());
      events.add(new ChangeStarted(pipelineId, tick, c));
      return persistThenCall(events, c);
    }
    return finish(events);
  }

  private Effect<Event, State> proceedAfter(State state, List<Event> events) {
    return proceed(applyAll(state, events.subList(events.size() - 1, events.size())), events);
  }

  private Effect<Event, State> persistThenCall(List<Event> events, Change change) {
    return persistAll(events).thenRun(s -> callPlatform(change));
  }

  private Effect<Event, State> finish(List<Event> events) {
    Work w = work;
    TickDone done =
        drain(new TickDone(pipelineId, w.tick.snapshot().tick(), w.reports, w.feedback));
    return persistAll(events)
        .thenRun(
            s -> {
              work = null;
              w.tick.replyTo().tell(done);
            })
        .thenUnstashAll();
  }

  private org.apache.pekko.persistence.typed.javadsl.EffectBuilder<Event, State> persistAll(
      List<Event> events) {
    return events.isEmpty() ? Effect().none() : Effect().persist(List.copyOf(events));
  }

  /** Adds reports and feedback carried over from work done between ticks. */
  private TickDone drain(TickDone done) {
    if (carryReports.isEmpty() && carryFeedback.isEmpty()) {
      return done;
    }
    List<Report> reports = new ArrayList<>(carryReports);
    reports.addAll(done.reports());
    List<Feedback> feedback = new ArrayList<>(carryFeedback);
    feedback.addAll(done.feedback());
    carryReports.clear();
    carryFeedback.clear();
    return new TickDone(done.pipelineId(), done.tick(), reports, feedback);
  }

  // ------------------------------------------------------------------ manual rollback

  private Effect<Event, State> onRollback(State state, Rollback cmd) {
    if (busy(state)) {
      return Effect().stash();
    }
    int levels = state.verifying() != null ? cmd.levels() : cmd.levels() + 1;
    if (cmd.levels() < 1 || !state.history().canRollBack(levels)) {
      cmd.replyTo()
          .tell(
              StatusReply.error(
                  "cannot roll back "
                      + cmd.levels()
                      + " level(s): "
                      + state.history().size()
                      + " known-good configuration(s), "
                      + (state.verifying() != null
                          ? "a change under verification"
                          : "none under verification")));
      return Effect().none();
    }
    PipelineConfig target = state.history().rollbackTarget(levels);
    PipelineConfig before = state.running() != null ? state.running() : state.history().newest();
    Verifying v = state.verifying();
    String reason = cmd.reason() == null ? "requested" : cmd.reason();
    long tick =
        lastSeenTick == Long.MIN_VALUE
            ? Math.max(0, Math.max(state.lastChangeTick(), state.lastDecisionTick()))
            : lastSeenTick;
    Change rollback =
        new Change(
            rollbackId(state),
            ChangeKind.ROLLBACK,
            tick,
            v == null ? null : v.change().proposalId(),
            v == null ? null : v.change().agent(),
            new Action.Reconfigure(target, reason),
            before,
            target,
            v == null ? null : v.change().expected(),
            "manual rollback of "
                + cmd.levels()
                + " level(s) requested"
                + (cmd.requestedBy() == null ? "" : " by " + cmd.requestedBy())
                + ": "
                + reason,
            List.of("history holds " + state.history().size() + " known-good configuration(s)"),
            cmd.requestedBy() == null
                ? reason
                : reason + " (requested by " + cmd.requestedBy() + ")",
            null,
            levels,
            Double.NaN,
            Double.NaN);
    rollbackReplyTo = cmd.replyTo();
    return persistThenCall(List.of(new ChangeStarted(pipelineId, tick, rollback)), rollback);
  }

  // ------------------------------------------------------------------ platform results

  private Effect<Event, State> onPlatformDone(State state, PlatformDone done) {
    Change c = state.inFlight();
    if (c == null || !c.changeId().equals(done.changeId())) {
      ctx.getLog().debug("ignoring a stale platform result for {}", done.changeId());
      return Effect().none();
    }
    long tick =
        c.kind() == ChangeKind.ROLLBACK || work == null
            ? c.decisionTick()
            : work.tick.snapshot().tick();
    List<Report> reports = work != null ? work.reports : carryReports;
    List<Feedback> feedback = work != null ? work.feedback : carryFeedback;
    ActorRef<StatusReply<PipelineConfig>> manual = rollbackReplyTo;
    Event event;
    if (done.result() == null) {
      String msg = done.errorKind() + ": " + done.error();
      Explanation x =
          new Explanation(
              c.trigger(),
              c.evidence(),
              c.cause(),
              actionText(c),
              impact(c.expected()),
              "FAILED: the platform did not execute it (" + msg + "); nothing changed");
      event =
          new ChangeFailed(
              pipelineId, tick, c.changeId(), c.proposalId(), done.errorKind(), done.error(), x);
      reports.add(
          new Report(
              Report.Kind.FAILED,
              c.proposalId(),
              c.action().describe(),
              c.before(),
              x,
              done.errorKind()));
      if (c.kind() == ChangeKind.DECISION) {
        feedback(feedback, c, AgentProtocol.OutcomeKind.FAILED, msg);
      }
      ctx.getLog().warn("{} {} failed: {}", c.kind(), c.changeId(), msg);
    } else if (c.kind() == ChangeKind.DECISION) {
      ActuationResult r = done.result();
      Explanation x =
          new Explanation(
              c.trigger(),
              c.evidence(),
              c.cause(),
              actionText(c) + " [" + r.outcome() + ": " + r.detail() + "]",
              impact(c.expected()),
              "pending: "
                  + r.settleTicks()
                  + " settle tick(s), then "
                  + settings.verification().windowTicks()
                  + " ticks; roll back if mean throughput < "
                  + pct(1 - settings.verification().throughputShortfall())
                  + " of min(predicted, demand) or mean p99 > "
                  + pct(1 + settings.verification().latencyExcess())
                  + " of predicted");
      event = new ChangeApplied(pipelineId, tick, c.changeId(), c.proposalId(), r, x);
      reports.add(
          new Report(
              Report.Kind.APPLIED, c.proposalId(), c.action().describe(), c.target(), x, null));
      ctx.getLog().info("applied {} ({}): {}", c.proposalId(), c.changeId(), c.action().describe());
    } else {
      Explanation x =
          new Explanation(
              c.trigger(),
              c.evidence(),
              c.cause(),
              "roll back to known-good: " + c.before().summary() + " -> " + c.target().summary(),
              (c.expected() == null ? "no prediction to compare" : impact(c.expected()))
                  + (c.observed() == null ? "" : "; observed " + c.observed())
                  + "; restores known-good "
                  + c.target().summary(),
              "ROLLED_BACK: " + c.cause());
      event =
          new RolledBack(
              pipelineId,
              tick,
              c.changeId(),
              c.proposalId(),
              c.before(),
              c.target(),
              c.historyLevels(),
              x);
      reports.add(
          new Report(
              Report.Kind.ROLLED_BACK, c.proposalId(), c.action().describe(), c.target(), x, null));
      if (c.proposalId() != null && c.agent() != null) {
        feedback(feedback, c, AgentProtocol.OutcomeKind.ROLLED_BACK, c.cause());
      }
      if (work != null) {
        work.current = c.target();
      }
      samples.clear();
      ctx.getLog().info("rolled back {}: {}", c.changeId(), c.cause());
    }
    if (manual != null && c.kind() == ChangeKind.ROLLBACK) {
      rollbackReplyTo = null;
      Event e = event;
      return Effect()
          .persist(e)
          .thenRun(
              s -> {
                if (e instanceof RolledBack rb) {
                  manual.tell(StatusReply.success(rb.to()));
                } else {
                  manual.tell(StatusReply.error("rollback failed: " + ((ChangeFailed) e).error()));
                }
              })
          .thenUnstashAll();
    }
    if (work == null) {
      return Effect().persist(event).thenUnstashAll();
    }
    List<Event> events = new ArrayList<>();
    events.add(event);
    return proceed(state.apply(event), events);
  }

  private void callPlatform(Change c) {
    CompletableFuture<ActuationResult> call =
        CompletableFuture.supplyAsync(() -> execute(c), blocking);
    ctx.pipeToSelf(
        call,
        (result, error) -> {
          if (error == null) {
            return new PlatformDone(c.changeId(), result, null, null);
          }
          Throwable cause =
              error instanceof CompletionException && error.getCause() != null
                  ? error.getCause()
                  : error;
          String kind =
              cause instanceof PlatformException pe
                  ? pe.kind().name()
                  : cause.getClass().getSimpleName();
          return new PlatformDone(c.changeId(), null, kind, String.valueOf(cause.getMessage()));
        });
  }

  /** Runs on the blocking dispatcher. */
  private ActuationResult execute(Change c) {
    if (c.kind() == ChangeKind.DECISION && c.action() instanceof Action.RecoveryAction r) {
      ActuationResult recovered = platform.recover(pipelineId, c.changeId(), r);
      if (c.target().equals(c.before())) {
        return recovered;
      }
      ActuationResult applied = platform.apply(pipelineId, c.target());
      boolean acted =
          recovered.outcome() == ActuationResult.Outcome.APPLIED
              || applied.outcome() == ActuationResult.Outcome.APPLIED;
      return new ActuationResult(
          acted ? ActuationResult.Outcome.APPLIED : recovered.outcome(),
          recovered.detail() + "; " + applied.detail(),
          Math.max(recovered.settleTicks(), applied.settleTicks()));
    }
    return platform.apply(pipelineId, c.target());
  }

  // ------------------------------------------------------------------ helpers

  private String rollbackId(State state) {
    return "rollback-"
        + pipelineId
        + "-"
        + (state.rolledBack() + state.failed() + 1)
        + "-"
        + Math.max(0, lastSeenTick);
  }

  private ChangeFailed failed(
      long tick, String decisionId, Proposal p, PipelineConfig current, String kind, String msg) {
    Explanation x =
        new Explanation(
            "decision " + decisionId + " chose " + p.id() + " of " + p.agent(),
            p.evidence(),
            p.cause(),
            p.action().describe() + " on " + current.summary(),
            impact(p.expectedEffect()),
            "FAILED: " + msg);
    work.reports.add(
        new Report(Report.Kind.FAILED, p.id(), p.action().describe(), current, x, kind));
    work.feedback.add(new Feedback(p.agent(), p.id(), AgentProtocol.OutcomeKind.FAILED, msg));
    return new ChangeFailed(pipelineId, tick, decisionId, p.id(), kind, msg, x);
  }

  private static void feedback(
      List<Feedback> out, Change c, AgentProtocol.OutcomeKind kind, String detail) {
    if (c.agent() != null && c.proposalId() != null) {
      out.add(new Feedback(c.agent(), c.proposalId(), kind, detail));
    }
  }

  private static State applyAll(State state, List<Event> events) {
    State s = state;
    for (Event e : events) {
      s = s.apply(e);
    }
    return s;
  }

  private static String actionText(Change c) {
    return c.action().describe() + ": " + c.before().summary() + " -> " + c.target().summary();
  }

  private static String impact(ExpectedEffect e) {
    if (e == null) {
      return "no prediction";
    }
    return String.format(
        Locale.ROOT,
        "expected throughput %+.1f %% (%.0f/s), p99 %+.1f %% (%.1f ms), net benefit %.3f",
        e.throughputChange() * 100,
        e.predictedThroughput(),
        e.latencyChange() * 100,
        e.predictedLatencyP99Ms(),
        e.netBenefit());
  }

  private static String observed(Verification.Result r) {
    return String.format(
        Locale.ROOT,
        "over %d ticks mean throughput %.0f/s (expected %.0f/s), mean p99 %.1f ms (predicted"
            + " %.1f ms)",
        r.samples(),
        r.meanThroughput(),
        r.expectedThroughput(),
        r.meanLatencyP99Ms(),
        r.predictedLatencyP99Ms());
  }

  private static String pct(double f) {
    return String.format(Locale.ROOT, "%.0f %%", f * 100);
  }
}
