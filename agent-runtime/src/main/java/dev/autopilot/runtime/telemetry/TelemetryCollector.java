package dev.autopilot.runtime.telemetry;

import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.JsonSerializable;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.LoopResult;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.PreRestart;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;

/**
 * The live driver of the control loop: on a wall-clock timer (every {@code
 * autopilot.collector.interval}) it observes every pipeline of the platform, submits each snapshot
 * to the {@link ControlLoop}, and once every pipeline's tick is settled (closed by its meta-agent,
 * rejected by the gateway, or failed) runs the after-collection step: for the {@link
 * SimulatedPlatform} that advances the simulation one tick, so the same actor code runs live and
 * simulated (see {@link #afterCollection(Platform)}).
 *
 * <p>It runs as a cluster singleton ({@link #initSingleton}): one collector per cluster, however
 * many nodes run {@code autopilot serve}; every node registers it with its own control loop and
 * platform, and the node hosting the singleton drives the loop through its own control loop (the
 * agents themselves are sharded over the whole cluster).
 *
 * <p>Platform calls may block, so they run on {@code autopilot.blocking-dispatcher}, bounded by
 * {@code autopilot.collector.observe-timeout}; the result comes back to the actor with {@code
 * pipeToSelf}. Collections never overlap: a timer tick that arrives while the previous collection
 * is still running is skipped and counted. A {@link PlatformException} (or a timeout) while
 * observing a pipeline, a snapshot rejected by the gateway and a tick the meta-agent did not close
 * are logged and counted ({@link Stats}, {@code autopilot_collection_failures_total}); the
 * collection goes on with the other pipelines and the next timer tick starts a new one.
 *
 * <p>With the simulated platform every node builds its own simulator. A multi-node {@code serve
 * --platform simulated} is therefore a demonstration only: the singleton observes and advances the
 * simulator of the node it runs on, while a pipeline's actuator applies its changes to the
 * simulator of the node hosting that pipeline's meta-agent, which may be another one. Real
 * platforms (Flink REST, Kubernetes) are shared by construction: every node reaches the same
 * pipelines.
 *
 * <p>State (counts, last closed tick per pipeline) is transient; a restarted or handed-over
 * collector starts counting from zero.
 *
 * <p>The node's coordinated shutdown stops the collection in its first phase (no new collection;
 * the running one is waited for), before the agents' shards are handed over; the singleton itself
 * stops at the cluster exit and starts again on the next oldest node.
 */
public final class TelemetryCollector extends AbstractBehavior<TelemetryCollector.Command> {

  /** Messages of the collector. */
  public sealed interface Command extends JsonSerializable {}

  /** Asks for the collector's counts. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /** Stops the collector (the singleton's hand-over message). */
  public enum Stop implements Command {
    INSTANCE
  }

  /** The timer's message: start a collection unless one is running. */
  private enum Collect implements Command {
    INSTANCE
  }

  /**
   * Stop collecting (the node is shutting down): no new collection starts, and {@code replyTo}
   * hears back once the running one, if any, is settled.
   */
  private record Drain(ActorRef<Done> replyTo) implements Command {}

  /** A collection finished (or its composition failed, which the collector only logs). */
  private record CollectionDone(Round round, Throwable failure) implements Command {}

  /** What went wrong with one pipeline in a collection (the metric's label). */
  public enum FailureKind {
    /** The platform call failed or timed out. */
    PLATFORM,
    /** The meta-agent did not close the tick (timeout or failure). */
    TICK_FAILED
  }

  /**
   * The collector's counts since it started.
   *
   * @param collections collections finished
   * @param skipped timer ticks skipped because a collection was still running
   * @param ticksClosed ticks closed by the meta-agents
   * @param rejected snapshots rejected by the gateway
   * @param tickFailures ticks the meta-agent did not close
   * @param platformFailures platform calls that failed or timed out (observe, list, advance)
   * @param lastClosedTick the last closed tick of each pipeline
   * @param collecting whether a collection is running now
   */
  public record Stats(
      long collections,
      long skipped,
      long ticksClosed,
      long rejected,
      long tickFailures,
      long platformFailures,
      Map<String, Long> lastClosedTick,
      boolean collecting)
      implements JsonSerializable {
    public Stats {
      lastClosedTick = Map.copyOf(lastClosedTick);
    }
  }

  /** The outcome of one pipeline in one collection. */
  private record PipelineOutcome(
      String pipelineId, TelemetryGateway.IngestResult result, Throwable failure) {}

  /**
   * One collection: the outcome of every pipeline, and the failure of a platform call that
   * concerned all of them (listing the pipelines, advancing the simulation), if any.
   */
  private record Round(List<PipelineOutcome> outcomes, List<Throwable> platformFailures) {}

  private static final String TIMER_KEY = "collect";

  private final CollectorSettings settings;
  private final Platform platform;
  private final Function<TelemetrySnapshot, CompletionStage<TelemetryGateway.IngestResult>> submit;
  private final Runnable afterCollection;
  private final AutopilotMetrics metrics;
  private final Executor blocking;
  private final Map<String, Long> lastClosedTick = new LinkedHashMap<>();
  private final TimerScheduler<Command> timers;
  private final Cancellable drainOnShutdown;
  private final List<ActorRef<Done>> drained = new ArrayList<>();
  private boolean collecting;
  private boolean draining;
  private long collections;
  private long skipped;
  private long ticksClosed;
  private long rejected;
  private long tickFailures;
  private long platformFailures;

  private TelemetryCollector(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      CollectorSettings settings,
      Platform platform,
      Function<TelemetrySnapshot, CompletionStage<TelemetryGateway.IngestResult>> submit,
      Runnable afterCollection,
      AutopilotMetrics metrics) {
    super(context);
    this.settings = settings;
    this.platform = platform;
    this.submit = submit;
    this.afterCollection = afterCollection;
    this.metrics = metrics;
    this.timers = timers;
    this.drainOnShutdown = drainOnShutdown(context);
    this.blocking =
        context
            .getSystem()
            .dispatchers()
            .lookup(DispatcherSelector.fromConfig("autopilot.blocking-dispatcher"));
  }

  /**
   * The collector's behaviour (one instance; {@link #initSingleton} runs it once per cluster).
   *
   * @param settings interval and timeouts
   * @param platform the platform observed
   * @param submit runs one snapshot through the control loop ({@link ControlLoop#submit})
   * @param afterCollection runs after every pipeline's tick of a collection is settled, on the
   *     blocking dispatcher ({@link #afterCollection(Platform)})
   * @param metrics where collections, skips and failures are counted
   */
  public static Behavior<Command> create(
      CollectorSettings settings,
      Platform platform,
      Function<TelemetrySnapshot, CompletionStage<TelemetryGateway.IngestResult>> submit,
      Runnable afterCollection,
      AutopilotMetrics metrics) {
    return Behaviors.setup(
        ctx ->
            Behaviors.withTimers(
                timers -> {
                  start(timers, settings);
                  ctx.getLog()
                      .info(
                          "Telemetry collector started: every {} (first in {})",
                          settings.interval(),
                          settings.initialDelay());
                  return new TelemetryCollector(
                      ctx, timers, settings, platform, submit, afterCollection, metrics);
                }));
  }

  /**
   * The node's coordinated shutdown drains the collector in its first phase, before the agents'
   * shards are handed over: otherwise it would keep submitting ticks that no meta-agent closes
   * (and advance the simulation past them). Cancelled when the collector stops (singleton
   * hand-over, restart).
   */
  private static Cancellable drainOnShutdown(ActorContext<Command> ctx) {
    ActorRef<Command> self = ctx.getSelf();
    ActorSystem<?> system = ctx.getSystem();
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(Adapter.toClassic(system));
    String phase = CoordinatedShutdown.PhaseBeforeServiceUnbind();
    Duration timeout = Duration.ofNanos(shutdown.timeout(phase).toNanos());
    return shutdown.addCancellableTask(
        phase,
        "drain-telemetry-collector",
        () -> AskPattern.<Command, Done>ask(self, Drain::new, timeout, system.scheduler()));
  }

  private static void start(TimerScheduler<Command> timers, CollectorSettings settings) {
    timers.startTimerAtFixedRate(
        TIMER_KEY, Collect.INSTANCE, settings.initialDelay(), settings.interval());
  }

  /**
   * Registers the collector as a cluster singleton on this node, driving this node's control loop
   * (settings from {@code autopilot.collector}, metrics of the loop's node). Every node of the
   * cluster calls it; the singleton runs on the oldest node and moves when that node leaves.
   *
   * @return the singleton's proxy
   */
  public static ActorRef<Command> initSingleton(
      ControlLoop loop, Platform platform, Runnable afterCollection) {
    ActorSystem<?> system = loop.node().system();
    return initSingleton(
        system,
        create(
            CollectorSettings.create(system.settings().config()),
            platform,
            loop::submit,
            afterCollection,
            loop.node().metrics()));
  }

  /** Registers a collector behaviour as the cluster singleton {@code telemetry-collector}. */
  public static ActorRef<Command> initSingleton(ActorSystem<?> system, Behavior<Command> behavior) {
    return ClusterSingleton.get(system)
        .init(
            SingletonActor.of(
                    Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart()),
                    "telemetry-collector")
                .withStopMessage(Stop.INSTANCE));
  }

  /**
   * What to do once a collection is settled: advance the simulation one tick for the {@link
   * SimulatedPlatform}; nothing for a live platform, whose time runs by itself.
   */
  public static Runnable afterCollection(Platform platform) {
    if (platform instanceof SimulatedPlatform simulated) {
      return simulated::advance;
    }
    return () -> {};
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Collect.class, c -> onCollect())
        .onMessage(CollectionDone.class, this::onCollectionDone)
        .onMessage(GetStats.class, this::onGetStats)
        .onMessage(Drain.class, this::onDrain)
        .onMessage(Stop.class, s -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> onStopOrRestart())
        .onSignal(PreRestart.class, s -> onStopOrRestart())
        .build();
  }

  private Behavior<Command> onDrain(Drain drain) {
    if (!draining) {
      draining = true;
      timers.cancel(TIMER_KEY);
      getContext().getLog().info("Telemetry collector stops collecting (shutdown)");
    }
    if (collecting) {
      drained.add(drain.replyTo());
    } else {
      drain.replyTo().tell(Done.getInstance());
    }
    return this;
  }

  private Behavior<Command> onStopOrRestart() {
    drainOnShutdown.cancel();
    drained.forEach(r -> r.tell(Done.getInstance()));
    return this;
  }

  private Behavior<Command> onCollect() {
    if (draining) {
      return this;
    }
    if (collecting) {
      skipped++;
      metrics.recordCollectionSkipped();
      getContext()
          .getLog()
          .warn(
              "Previous collection still running: timer tick skipped ({} so far; interval {})",
              skipped,
              settings.interval());
      return this;
    }
    collecting = true;
    getContext().pipeToSelf(collect(), CollectionDone::new);
    return this;
  }

  /**
   * One collection, off the actor thread: list the pipelines, observe and submit each, wait until
   * all are settled, then run the after-collection step. Never completes exceptionally for a
   * platform or loop failure; those are in the {@link Round}.
   */
  private CompletionStage<Round> collect() {
    List<Throwable> roundFailures = new ArrayList<>();
    return platformCall(() -> platform.pipelines().stream().sorted().toList())
        .handle(
            (ids, failure) -> {
              if (failure != null) {
                roundFailures.add(unwrap(failure));
                return List.<String>of();
              }
              return ids;
            })
        .thenCompose(this::observeAndSubmit)
        .thenCompose(
            outcomes ->
                CompletableFuture.runAsync(afterCollection, blocking)
                    .handle(
                        (ok, failure) -> {
                          if (failure != null) {
                            roundFailures.add(unwrap(failure));
                          }
                          return new Round(outcomes, List.copyOf(roundFailures));
                        }));
  }

  private CompletableFuture<List<PipelineOutcome>> observeAndSubmit(List<String> pipelineIds) {
    List<CompletableFuture<PipelineOutcome>> each = new ArrayList<>();
    for (String id : pipelineIds) {
      each.add(
          platformCall(() -> platform.observe(id))
              .thenCompose(snapshot -> submit.apply(snapshot).toCompletableFuture())
              .handle((result, failure) -> new PipelineOutcome(id, result, failure)));
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().map(CompletableFuture::join).toList());
  }

  private <T> CompletableFuture<T> platformCall(Supplier<T> call) {
    return CompletableFuture.supplyAsync(call, blocking)
        .orTimeout(settings.observeTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private Behavior<Command> onCollectionDone(CollectionDone done) {
    collecting = false;
    if (done.failure() != null) {
      // Only a bug in the composition gets here: every expected failure is inside the round.
      getContext().getLog().error("Collection failed", done.failure());
      drained.forEach(r -> r.tell(Done.getInstance()));
      drained.clear();
      return this;
    }
    collections++;
    metrics.recordCollection();
    for (Throwable t : done.round().platformFailures()) {
      countPlatformFailure("the platform", t);
    }
    for (PipelineOutcome o : done.round().outcomes()) {
      onOutcome(o);
    }
    drained.forEach(r -> r.tell(Done.getInstance()));
    drained.clear();
    return this;
  }

  private void onOutcome(PipelineOutcome o) {
    if (o.failure() != null) {
      Throwable cause = unwrap(o.failure());
      if (cause instanceof PlatformException || cause instanceof TimeoutException) {
        countPlatformFailure("pipeline " + o.pipelineId(), cause);
      } else {
        countTickFailure(o.pipelineId(), -1, cause.toString());
      }
      return;
    }
    TelemetryGateway.IngestResult result = o.result();
    if (result instanceof LoopResult.TickCompleted completed) {
      ticksClosed++;
      lastClosedTick.put(o.pipelineId(), completed.closed().tick());
      getContext().getLog().debug("Tick {} of {} closed", completed.closed().tick(), o.pipelineId());
    } else if (result instanceof TelemetryGateway.IngestResult.Rejected r) {
      rejected++;
      getContext()
          .getLog()
          .warn("Snapshot of {} rejected ({}): {}", o.pipelineId(), r.reason(), r.message());
    } else if (result instanceof LoopResult.TickFailed f) {
      countTickFailure(o.pipelineId(), f.tick(), f.message());
    } else {
      countTickFailure(o.pipelineId(), -1, "unexpected answer " + result);
    }
  }

  private void countPlatformFailure(String what, Throwable t) {
    platformFailures++;
    metrics.recordCollectionFailure(FailureKind.PLATFORM);
    String kind =
        t instanceof PlatformException pe
            ? pe.kind().name()
            : t instanceof TimeoutException ? "TIMEOUT after " + settings.observeTimeout() : "ERROR";
    getContext()
        .getLog()
        .warn("Platform call for {} failed ({}): {}", what, kind, String.valueOf(t.getMessage()));
  }

  private void countTickFailure(String pipelineId, long tick, String message) {
    tickFailures++;
    metrics.recordCollectionFailure(FailureKind.TICK_FAILED);
    getContext().getLog().warn("Tick {} of {} was not closed: {}", tick, pipelineId, message);
  }

  private Behavior<Command> onGetStats(GetStats get) {
    if (get.replyTo() != null) {
      get.replyTo()
          .tell(
              new Stats(
                  collections,
                  skipped,
                  ticksClosed,
                  rejected,
                  tickFailures,
                  platformFailures,
                  lastClosedTick,
                  collecting));
    }
    return this;
  }

  private static Throwable unwrap(Throwable t) {
    Throwable c = t;
    while (c instanceof CompletionException && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }
}
