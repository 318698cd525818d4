package dev.autopilot.runtime.drill;

import com.typesafe.config.Config;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.AuditRecord;
import dev.autopilot.persistence.AuditReplay;
import dev.autopilot.persistence.DatabaseSettings;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.LocalCluster;
import dev.autopilot.runtime.cluster.ScratchDatabase;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.pattern.StatusReply;

/**
 * The node-loss drill ({@code drill node-loss}): a local cluster of several nodes over a scratch
 * PostgreSQL journal runs the real meta-agents and actuators of several pipelines against one
 * simulated platform ({@link DrillPlatform}: it counts the platform's applications); scripted
 * proposers ({@link ScriptedProposer}) make the actuators apply, verify and roll back
 * configurations. Each trial brings one pipeline to a {@link Moment}, kills a node (a random one
 * when steady, else the one hosting that pipeline), measures the time until every pipeline's
 * meta-agent closes a tick again, starts a fresh node in its place, and checks:
 *
 * <ul>
 *   <li>the pipeline's history of known-good configurations is the one before the kill plus the
 *       change the trial made (verified after the kill), in order: none lost, none reordered;
 *   <li>no decision was applied twice: the platform acted once per change the journal closed
 *       ({@code ChangeApplied} or {@code RolledBack}), for every pipeline;
 *   <li>the platform runs the newest known-good configuration;
 *   <li>the time to resume is within the stated bound;
 *   <li>a rollback issued afterwards restores the previous known-good configuration and the
 *       platform runs it.
 * </ul>
 *
 * After the last trial the journal is replayed ({@link AuditReplay}) and the replayed state of
 * every meta-agent and actuator is compared with its live state. The scratch database is dropped at
 * the end.
 */
public final class NodeLossDrill {

  /** When in a pipeline's actuation cycle the node is killed. */
  public enum Moment {
    /** Between ticks, nothing under way: a random node is killed. */
    STEADY,
    /** A decision's platform call is held before the platform acted. */
    BEFORE_PLATFORM,
    /** A decision's platform call is held after the platform acted, before the reply. */
    AFTER_PLATFORM,
    /** Between ticks while an applied change waits for its verification verdict. */
    VERIFYING,
    /** A manual rollback's platform call is held (before or after the platform acted). */
    ROLLBACK;

    /** The name in reports ({@code before-platform}). */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final String PREFIX = "autopilot_drill_node_loss";
  private static final Duration STATE_ATTEMPT = Duration.ofSeconds(5);
  private static final Duration HOSTING_TIMEOUT = Duration.ofSeconds(10);

  /** Known-good configurations a pipeline keeps before a trial: two rollbacks may follow. */
  private static final int READY_HISTORY = 3;

  /** Operator whose parallelism the scripted changes move. */
  private static final String OPERATOR = "enrich";

  private final NodeLossSettings settings;
  private final MetaSettings meta;
  private final DrillPlatform platform;
  private final SimulatedPlatform simulator;
  private final List<String> pipelines;
  private final Map<String, SlaSpec> slas;
  private final Map<String, PipelineConfig> desired = new ConcurrentHashMap<>();
  private final Map<String, Integer> changes = new HashMap<>();
  private final Random random;
  private final PrintWriter progress;
  private LocalCluster cluster;
  private int unansweredTicks;

  private NodeLossDrill(
      NodeLossSettings settings,
      Config root,
      SimulatedPlatform simulator,
      DrillPlatform platform,
      PrintWriter progress) {
    this.settings = settings;
    this.meta = MetaSettings.create(root);
    this.simulator = simulator;
    this.platform = platform;
    this.pipelines = List.copyOf(platform.pipelines().stream().sorted().toList());
    this.slas = PipelineSlas.of(root, pipelines);
    this.random = new Random(settings.seed());
    this.progress = progress;
  }

  /**
   * Runs the drill.
   *
   * @param root the runtime's configuration: its journal settings ({@code autopilot.db}) name the
   *     PostgreSQL server the scratch journal is created on
   * @param settings the drill's settings
   * @param progress receives a line per trial
   * @return the figures
   * @throws IllegalArgumentException when the configured journal is not PostgreSQL
   * @throws IllegalStateException when the server cannot be reached or the cluster cannot start
   */
  public static NodeLossReport run(Config root, NodeLossSettings settings, PrintWriter progress) {
    long start = System.nanoTime();
    DatabaseSettings db = DatabaseSettings.create(root);
    if (db.kind() != DatabaseSettings.Kind.POSTGRES) {
      throw new IllegalArgumentException(
          "drill node-loss needs a PostgreSQL journal server, but the configured journal is "
              + db.describe()
              + "; point it at one, e.g. AUTOPILOT_DB_URL=jdbc:postgresql://127.0.0.1:5432/postgres"
              + " (user: AUTOPILOT_DB_USER, default postgres); the drill creates a scratch"
              + " database there and drops it afterwards");
    }
    ScratchDatabase scratch;
    try {
      scratch = ScratchDatabase.create(db.url(), db.user(), db.password(), PREFIX);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create a scratch database on " + db.describe() + ": " + e.getMessage(), e);
    }
    Config nodeConfig =
        RuntimeConfig.load("local", LocalCluster.localDefaults().withFallback(scratch.config()));
    SimSettings sim = SimSettings.create(root);
    long ticksNeeded = (long) settings.trials() * 4L * settings.maxTicksPerStep();
    int days = (int) Math.max(1, Math.min(365, ticksNeeded / sim.ticksPerDay() + 1));
    Scenario scenario =
        Scenario.defaultScenario(sim, settings.seed(), days, settings.pipelines())
            .withFaults(FaultSchedule.none());
    SimulatedPlatform simulator = new SimulatedPlatform(sim, scenario);
    DrillPlatform platform = new DrillPlatform(simulator);
    NodeLossDrill drill = new NodeLossDrill(settings, root, simulator, platform, progress);
    drill.cluster =
        LocalCluster.start(
            settings.nodes(),
            nodeConfig,
            (system, metrics) -> {
              ClusterSharding sharding = ClusterSharding.get(system);
              for (AgentKind kind : MetaAgent.PROPOSERS) {
                Function<TelemetrySnapshot, PipelineConfig> script =
                    kind == AgentKind.OPTIMIZATION ? drill::script : s -> null;
                sharding.init(
                    Entity.of(
                        MetaAgent.agentKey(kind), ctx -> ScriptedProposer.create(kind, script)));
              }
              MetaAgent.initSharding(
                  system, MetaSettings.create(system.settings().config()), platform);
            },
            scratch::close);
    try (LocalCluster ignored = drill.cluster) {
      return drill.trials(start);
    }
  }

  // ------------------------------------------------------------------ the trials

  /** What one trial found. */
  private record TrialResult(
      int trial,
      Moment moment,
      String pipeline,
      int killedNode,
      List<String> hosted,
      String gate,
      double resumeSeconds,
      int lost,
      int duplicates,
      List<String> failures) {}

  private NodeLossReport trials(long start) {
    List<Moment> plan = plan();
    List<TrialResult> results = new ArrayList<>();
    for (int i = 0; i < plan.size(); i++) {
      TrialResult r = trial(i + 1, plan.get(i));
      results.add(r);
      progress.printf(
          Locale.ROOT,
          "trial %d/%d %s%s %s: killed node %d (hosting the meta-agents of %s), resumed in %.3f"
              + " s%s%n",
          i + 1,
          plan.size(),
          r.moment().label(),
          r.gate() == null ? "" : " (" + r.gate() + ")",
          r.pipeline(),
          r.killedNode(),
          r.hosted(),
          r.resumeSeconds(),
          r.failures().isEmpty() ? "" : ", FAILED: " + String.join("; ", r.failures()));
      progress.flush();
      if (!restoreNodes()) {
        break;
      }
    }
    List<String> audit = audit();
    return report(results, audit, start);
  }

  /** Moments for the trials: each block of {@code Moment.values().length} trials, shuffled. */
  private List<Moment> plan() {
    List<Moment> plan = new ArrayList<>();
    while (plan.size() < settings.trials()) {
      List<Moment> block = new ArrayList<>(List.of(Moment.values()));
      java.util.Collections.shuffle(block, random);
      plan.addAll(block);
    }
    return List.copyOf(plan.subList(0, settings.trials()));
  }

  private TrialResult trial(int n, Moment moment) {
    String p = pipelines.get(random.nextInt(pipelines.size()));
    List<String> failures = new ArrayList<>();
    int victim = -1;
    List<String> hosted = List.of();
    String gateLabel = null;
    double resume = Double.NaN;
    int lost = 0;
    int duplicates = 0;
    try {
      Actuator.State before = ready(p);
      List<PipelineConfig> h0 = before.history().entries();
      Map<String, Integer> closuresBefore = closures();
      Map<String, Integer> appsBefore = applications();
      PipelineConfig target = null;
      List<PipelineConfig> expected = h0;
      boolean held = false;
      switch (moment) {
        case STEADY -> {
          List<Integer> up = cluster.runningNodes();
          victim = up.get(random.nextInt(up.size()));
        }
        case VERIFYING -> {
          target = nextTarget(p);
          applyChange(p, target);
          // Past the settle ticks, into the first half of the window (which opens once the
          // restart's backlog is caught up): the verdict is still ahead.
          Actuator.Verifying v = actuatorState(p).verifying();
          int extra =
              (v == null ? 0 : v.settleTicks())
                  + 1
                  + random.nextInt(Math.max(1, meta.verification().windowTicks() / 2));
          for (int t = 0; t < extra; t++) {
            tick(p);
          }
          gateLabel = extra + " ticks after the change";
          Actuator.State s = actuatorState(p);
          if (s.verifying() == null || !target.equals(s.verifying().change().target())) {
            failures.add("setup: the change was no longer under verification at the kill");
          }
        }
        case BEFORE_PLATFORM, AFTER_PLATFORM -> {
          target = nextTarget(p);
          held =
              holdDecision(
                  p,
                  target,
                  moment == Moment.BEFORE_PLATFORM
                      ? DrillPlatform.Gate.BEFORE_PLATFORM
                      : DrillPlatform.Gate.AFTER_PLATFORM);
        }
        case ROLLBACK -> {
          DrillPlatform.Gate gate =
              random.nextBoolean()
                  ? DrillPlatform.Gate.BEFORE_PLATFORM
                  : DrillPlatform.Gate.AFTER_PLATFORM;
          gateLabel = gate.name().toLowerCase(Locale.ROOT).replace('_', '-');
          held = holdRollback(p, gate);
          expected = h0.subList(1, h0.size());
        }
        default -> throw new IllegalStateException("unknown moment " + moment);
      }
      if (target != null) {
        expected = pushed(h0, target);
      }
      if (victim < 0) {
        victim = cluster.nodeHosting(MetaAgent.ENTITY_TYPE_KEY, p, HOSTING_TIMEOUT);
      }
      hosted = hostedOn(victim);
      long killed = System.nanoTime();
      cluster.kill(victim);
      if (held) {
        platform.abandon();
      }
      resume = resumed(killed, failures);
      cluster.replace();

      Actuator.State after = steady(p);
      List<PipelineConfig> history = after.history().entries();
      lost = missing(expected, history);
      if (!history.equals(expected)) {
        failures.add(
            "history "
                + summaries(history)
                + " != expected "
                + summaries(expected)
                + (lost > 0 ? " (" + lost + " entries lost)" : " (reordered or unexpected)"));
      }
      PipelineConfig running = platform.observe(p).config();
      if (!history.isEmpty() && !running.equals(history.get(0))) {
        failures.add(
            "the platform runs "
                + running.summary()
                + ", not the newest known-good "
                + history.get(0).summary());
      }
      rollbackAfterwards(p, n, after, failures);
      duplicates = duplicates(appsBefore, closuresBefore, failures);
    } catch (RuntimeException e) {
      failures.add("error: " + describe(e));
    } finally {
      desired.clear();
      platform.release();
    }
    if (!Double.isNaN(resume) && resume > settings.resumeBound().toMillis() / 1000.0) {
      failures.add(
          String.format(
              Locale.ROOT,
              "resumed in %.3f s, beyond the bound of %.1f s",
              resume,
              settings.resumeBound().toMillis() / 1000.0));
    }
    return new TrialResult(
        n, moment, p, victim, hosted, gateLabel, resume, lost, duplicates, failures);
  }

  /**
   * Drives the pipeline's ticks until no change is under way and its history holds {@value
   * #READY_HISTORY} known-good configurations (applying and verifying scripted changes as needed).
   */
  private Actuator.State ready(String p) {
    Actuator.State s = actuatorState(p);
    for (int ticks = 0; ; ticks++) {
      boolean idle = s.inFlight() == null && s.verifying() == null;
      if (idle && s.history().size() >= READY_HISTORY) {
        return s;
      }
      if (ticks >= 4 * settings.maxTicksPerStep()) {
        throw new IllegalStateException(
            p
                + " did not reach "
                + READY_HISTORY
                + " known-good configurations in "
                + ticks
                + " ticks");
      }
      if (idle && s.history().size() > 0 && !desired.containsKey(p)) {
        desired.put(p, nextTarget(p));
      }
      if (applied(tick(p))) {
        desired.remove(p);
      }
      s = actuatorState(p);
    }
  }

  /** Proposes {@code target} until a tick reports it applied. */
  private void applyChange(String p, PipelineConfig target) {
    desired.put(p, target);
    try {
      for (int t = 0; t < settings.maxTicksPerStep(); t++) {
        if (applied(tick(p))) {
          return;
        }
      }
      throw new IllegalStateException(
          p + ": " + target.summary() + " not applied in " + settings.maxTicksPerStep() + " ticks");
    } finally {
      desired.remove(p);
    }
  }

  /**
   * Proposes {@code target} with the platform armed at {@code gate}, tick after tick, until the
   * actuator's call is held there.
   *
   * @return true (the call is held); throws when it never is
   */
  private boolean holdDecision(String p, PipelineConfig target, DrillPlatform.Gate gate) {
    desired.put(p, target);
    platform.arm(gate);
    try {
      for (int t = 0; t < settings.maxTicksPerStep(); t++) {
        TelemetrySnapshot snapshot = platform.observe(p);
        CompletableFuture<MetaAgent.TickClosed> closed =
            ask(
                cluster.runningNodes().get(0),
                p,
                r -> new MetaAgent.OpenTick(snapshot, slas.get(p), r),
                settings.askTimeout());
        simulator.advance();
        while (!closed.isDone()) {
          if (platform.awaitHeld(Duration.ofMillis(50))) {
            return true;
          }
        }
        if (closed.isCompletedExceptionally()) {
          unansweredTicks++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      desired.remove(p);
    }
    throw new IllegalStateException(
        p
            + ": no platform call of "
            + target.summary()
            + " in "
            + settings.maxTicksPerStep()
            + " ticks");
  }

  /** Issues a manual rollback of one level with the platform armed at {@code gate}. */
  private boolean holdRollback(String p, DrillPlatform.Gate gate) {
    platform.arm(gate);
    this.<StatusReply<PipelineConfig>>ask(
        cluster.runningNodes().get(0),
        p,
        r -> new MetaAgent.RequestRollback(1, "drill node-loss", "drill", r),
        settings.askTimeout());
    try {
      if (!platform.awaitHeld(settings.askTimeout())) {
        throw new IllegalStateException(p + ": the rollback's platform call never came");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return true;
  }

  /**
   * Ticks every pipeline through a surviving node until each closes a tick; a tick not answered
   * within one attempt is sent again as the next tick.
   *
   * @return seconds from the kill to the last pipeline's first closed tick
   */
  private double resumed(long killed, List<String> failures) {
    Map<String, Long> resumedAt = new LinkedHashMap<>();
    long deadline = killed + settings.resumeDeadline().toNanos();
    while (resumedAt.size() < pipelines.size() && System.nanoTime() < deadline) {
      int via = cluster.runningNodes().get(0);
      Map<String, CompletableFuture<Long>> attempts = new LinkedHashMap<>();
      for (String q : pipelines) {
        if (!resumedAt.containsKey(q)) {
          TelemetrySnapshot snapshot = platform.observe(q);
          attempts.put(
              q,
              this.<MetaAgent.TickClosed>ask(
                      via,
                      q,
                      r -> new MetaAgent.OpenTick(snapshot, slas.get(q), r),
                      settings.resumeAttempt())
                  .thenApply(c -> System.nanoTime()));
        }
      }
      simulator.advance();
      for (Map.Entry<String, CompletableFuture<Long>> e : attempts.entrySet()) {
        try {
          resumedAt.put(
              e.getKey(),
              e.getValue().get(settings.resumeAttempt().toMillis() + 1000, TimeUnit.MILLISECONDS));
        } catch (ExecutionException | TimeoutException ex) {
          // Not answered yet: the next round sends the next tick.
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", ex);
        }
      }
    }
    if (resumedAt.size() < pipelines.size()) {
      List<String> stuck = new ArrayList<>(pipelines);
      stuck.removeAll(resumedAt.keySet());
      failures.add("no tick closed for " + stuck + " within " + settings.resumeDeadline());
      return (System.nanoTime() - killed) / 1e9;
    }
    long last = resumedAt.values().stream().mapToLong(Long::longValue).max().orElse(killed);
    return (last - killed) / 1e9;
  }

  /** Ticks the pipeline until nothing is in flight or under verification. */
  private Actuator.State steady(String p) {
    for (int t = 0; t < settings.maxTicksPerStep(); t++) {
      Actuator.State s = actuatorState(p);
      if (s.inFlight() == null && s.verifying() == null) {
        return s;
      }
      tick(p);
    }
    throw new IllegalStateException(
        p + ": a change still under way after " + settings.maxTicksPerStep() + " ticks");
  }

  /** Rolls back one level through the meta-agent and checks what the platform runs. */
  private void rollbackAfterwards(String p, int n, Actuator.State s, List<String> failures) {
    List<PipelineConfig> h = s.history().entries();
    if (h.size() < 2) {
      failures.add("no known-good configuration to roll back to: history " + summaries(h));
      return;
    }
    StatusReply<PipelineConfig> reply =
        join(
            this.<StatusReply<PipelineConfig>>ask(
                cluster.runningNodes().get(0),
                p,
                r -> new MetaAgent.RequestRollback(1, "drill node-loss trial " + n, "drill", r),
                settings.askTimeout()));
    if (!reply.isSuccess()) {
      failures.add("rollback afterwards refused: " + reply.getError().getMessage());
      return;
    }
    if (!h.get(1).equals(reply.getValue())) {
      failures.add(
          "rollback afterwards restored "
              + reply.getValue().summary()
              + ", not "
              + h.get(1).summary());
    }
    PipelineConfig running = platform.observe(p).config();
    if (!h.get(1).equals(running)) {
      failures.add(
          "after the rollback the platform runs "
              + running.summary()
              + ", not "
              + h.get(1).summary());
    }
    List<PipelineConfig> after = actuatorState(p).history().entries();
    if (!after.equals(h.subList(1, h.size()))) {
      failures.add(
          "history after the rollback "
              + summaries(after)
              + " != "
              + summaries(h.subList(1, h.size())));
    }
  }

  /**
   * Platform applications beyond the changes the journal closed, over every pipeline since the
   * trial began; a change closed without the platform acting is a failure too.
   */
  private int duplicates(
      Map<String, Integer> appsBefore, Map<String, Integer> closuresBefore, List<String> failures) {
    Map<String, Integer> apps = applications();
    Map<String, Integer> closed = closures();
    int duplicates = 0;
    for (String q : pipelines) {
      int a = apps.get(q) - appsBefore.get(q);
      int c = closed.get(q) - closuresBefore.get(q);
      if (a > c) {
        duplicates += a - c;
        failures.add(
            q
                + ": the platform acted "
                + a
                + " time(s) for "
                + c
                + " change(s) the journal closed");
      } else if (a < c) {
        failures.add(
            q
                + ": the journal closed "
                + c
                + " change(s) but the platform acted "
                + a
                + " time(s)");
      }
    }
    return duplicates;
  }

  /**
   * The pipelines whose meta-agent (with its actuator) runs on node {@code node}; an empty list
   * when its shard region does not answer.
   */
  private List<String> hostedOn(int node) {
    Set<String> ids = cluster.entitiesOn(node, MetaAgent.ENTITY_TYPE_KEY).orElse(Set.of());
    return pipelines.stream().filter(ids::contains).toList();
  }

  /** Starts nodes until the cluster has its size again; false when it cannot. */
  private boolean restoreNodes() {
    try {
      while (cluster.runningNodes().size() < settings.nodes()) {
        cluster.replace();
      }
      return true;
    } catch (RuntimeException e) {
      progress.println(
          "cannot restore the cluster to " + settings.nodes() + " nodes: " + describe(e));
      return false;
    }
  }

  // ------------------------------------------------------------------ audit

  /**
   * Replays the scratch journal and compares the replayed state of every pipeline's meta-agent and
   * actuator with its live state.
   *
   * @return the mismatches (and replay errors); empty when equivalent
   */
  private List<String> audit() {
    List<String> mismatches = new ArrayList<>();
    int via = cluster.runningNodes().get(0);
    AuditReplay.Result replay;
    try {
      replay =
          AuditReplay.create(cluster.system(via))
              .replayAll()
              .toCompletableFuture()
              .get(settings.resumeDeadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return List.of("replay failed: " + describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    replay.errors().forEach(e -> mismatches.add("replay error: " + e.message()));
    Map<String, List<Object>> events = new HashMap<>();
    for (AuditRecord r : replay.records()) {
      events.computeIfAbsent(r.persistenceId(), k -> new ArrayList<>()).add(r.event());
    }
    for (String p : pipelines) {
      Actuator.State replayedActuator = Actuator.State.initial(p, meta.historySize());
      for (Object e : events.getOrDefault(Actuator.persistenceId(p).id(), List.of())) {
        replayedActuator = replayedActuator.apply((Actuator.Event) e);
      }
      if (!replayedActuator.equals(actuatorState(p))) {
        mismatches.add(Actuator.persistenceId(p).id() + ": replayed state differs from live");
      }
      String metaId = MetaAgent.ENTITY_TYPE_KEY.name() + "|" + p;
      MetaAgent.State replayedMeta = MetaAgent.State.initial(p, meta.mode());
      for (Object e : events.getOrDefault(metaId, List.of())) {
        replayedMeta = replayedMeta.apply((MetaAgent.Event) e);
      }
      MetaAgent.State live =
          cluster.askEntity(
              via,
              MetaAgent.ENTITY_TYPE_KEY,
              p,
              MetaAgent.GetState::new,
              STATE_ATTEMPT,
              settings.askTimeout());
      if (!replayedMeta.equals(live)) {
        mismatches.add(metaId + ": replayed state differs from live");
      }
    }
    return mismatches;
  }

  private NodeLossReport report(List<TrialResult> results, List<String> audit, long start) {
    Map<String, NodeLossReport.MomentCount> moments = new HashMap<>();
    List<NodeLossReport.Failure> failures = new ArrayList<>();
    List<Double> resumes = new ArrayList<>();
    List<Double> hostingResumes = new ArrayList<>();
    int passed = 0;
    int lost = 0;
    int duplicates = 0;
    for (TrialResult r : results) {
      boolean ok = r.failures().isEmpty();
      passed += ok ? 1 : 0;
      lost += r.lost();
      duplicates += r.duplicates();
      if (!Double.isNaN(r.resumeSeconds())) {
        resumes.add(r.resumeSeconds());
        if (!r.hosted().isEmpty()) {
          hostingResumes.add(r.resumeSeconds());
        }
      }
      moments.merge(
          r.moment().label(),
          new NodeLossReport.MomentCount(1, ok ? 1 : 0),
          (a, b) ->
              new NodeLossReport.MomentCount(a.trials() + b.trials(), a.passed() + b.passed()));
      if (!ok) {
        failures.add(
            new NodeLossReport.Failure(
                r.trial(), r.moment().label(), r.pipeline(), r.killedNode(), r.failures()));
      }
    }
    int applications = 0;
    for (int a : applications().values()) {
      applications += a;
    }
    return new NodeLossReport(
        settings.trials(),
        results.size(),
        passed,
        NodeLossReport.Resume.of(resumes),
        hostingResumes.size(),
        NodeLossReport.Resume.of(hostingResumes),
        settings.resumeBound().toMillis() / 1000.0,
        lost,
        duplicates,
        moments,
        audit.isEmpty(),
        2 * pipelines.size(),
        audit,
        failures,
        settings.seed(),
        settings.nodes(),
        pipelines.size(),
        applications,
        unansweredTicks,
        Math.round((System.nanoTime() - start) / 1e6) / 1000.0);
  }

  // ------------------------------------------------------------------ the scripted changes

  /** The optimization proposer's script: the drill's desired configuration, until it runs. */
  private PipelineConfig script(TelemetrySnapshot s) {
    PipelineConfig target = desired.get(s.pipelineId());
    return target == null || target.equals(s.config()) ? null : target;
  }

  /**
   * The pipeline's next scripted change: the operator's parallelism cycles through 36, 40, ..., 52
   * (never the running one), with enough TaskManagers for it.
   */
  private PipelineConfig nextTarget(String p) {
    PipelineConfig c = platform.observe(p).config();
    int k = changes.merge(p, 1, Integer::sum);
    int parallelism = 36 + 4 * (k % 5);
    if (parallelism == c.parallelismOf(OPERATOR)) {
      k = changes.merge(p, 1, Integer::sum);
      parallelism = 36 + 4 * (k % 5);
    }
    int slots = c.slotsPerTaskManager();
    int taskManagers = Math.max(c.taskManagers(), (parallelism + slots - 1) / slots);
    return c.withParallelism(Map.of(OPERATOR, parallelism)).withTaskManagers(taskManagers);
  }

  /**
   * The history after {@code config} is verified: pushed on top, the oldest beyond capacity
   * dropped.
   */
  private List<PipelineConfig> pushed(List<PipelineConfig> history, PipelineConfig config) {
    List<PipelineConfig> next = new ArrayList<>();
    next.add(config);
    next.addAll(history);
    return List.copyOf(next.subList(0, Math.min(next.size(), meta.historySize())));
  }

  // ------------------------------------------------------------------ asking the cluster

  /** One tick of one pipeline through the first running node; the platform then advances. */
  /**
   * One tick of one pipeline through the first running node; the platform then advances. A tick the
   * meta-agent does not answer within the ask timeout is lost, as in the runtime's control loop
   * ({@code LoopResult.TickFailed}: the next tick goes on); it is counted.
   *
   * @return the closed tick, null when it was not answered
   */
  private MetaAgent.TickClosed tick(String p) {
    TelemetrySnapshot snapshot = platform.observe(p);
    CompletableFuture<MetaAgent.TickClosed> closed =
        this.<MetaAgent.TickClosed>ask(
            cluster.runningNodes().get(0),
            p,
            r -> new MetaAgent.OpenTick(snapshot, slas.get(p), r),
            settings.askTimeout());
    simulator.advance();
    try {
      return join(closed);
    } catch (IllegalStateException e) {
      unansweredTicks++;
      return null;
    }
  }

  private Actuator.State actuatorState(String p) {
    return cluster.askEntity(
        cluster.runningNodes().get(0),
        MetaAgent.ENTITY_TYPE_KEY,
        p,
        MetaAgent.GetActuatorState::new,
        STATE_ATTEMPT,
        settings.askTimeout());
  }

  /** One ask of a pipeline's meta-agent (not retried: ticks and rollbacks are not idempotent). */
  private <R> CompletableFuture<R> ask(
      int via, String p, Function<ActorRef<R>, MetaAgent.Command> message, Duration timeout) {
    return ClusterSharding.get(cluster.system(via))
        .entityRefFor(MetaAgent.ENTITY_TYPE_KEY, p)
        .<R>ask(message::apply, timeout)
        .toCompletableFuture();
  }

  private <R> R join(CompletableFuture<R> future) {
    try {
      return future.get(settings.askTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("no answer within " + settings.askTimeout(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static boolean applied(MetaAgent.TickClosed closed) {
    return closed != null
        && closed.actuations().stream().anyMatch(r -> r.kind() == Actuator.Report.Kind.APPLIED);
  }

  /** Changes each pipeline's journal closed ({@code ChangeApplied}, {@code RolledBack}). */
  private Map<String, Integer> closures() {
    Map<String, Integer> closed = new HashMap<>();
    for (String q : pipelines) {
      Actuator.State s = actuatorState(q);
      closed.put(q, s.applied() + s.rolledBack());
    }
    return closed;
  }

  /** Calls that made the platform act, per pipeline. */
  private Map<String, Integer> applications() {
    Map<String, Integer> apps = new HashMap<>();
    for (String q : pipelines) {
      apps.put(q, platform.applications(q).size());
    }
    return apps;
  }

  /** Entries of {@code expected} that {@code actual} does not hold. */
  private static int missing(List<PipelineConfig> expected, List<PipelineConfig> actual) {
    List<PipelineConfig> left = new ArrayList<>(actual);
    int missing = 0;
    for (PipelineConfig c : expected) {
      if (!left.remove(c)) {
        missing++;
      }
    }
    return missing;
  }

  private static String summaries(List<PipelineConfig> history) {
    return history.stream()
        .map(c -> OPERATOR + "=" + c.parallelismOf(OPERATOR))
        .toList()
        .toString();
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      b.append(": ").append(c.getMessage());
    }
    return b.toString();
  }
}
