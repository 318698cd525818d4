package dev.autopilot.runtime.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.agents.optimization.OptimizationAgent;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.policy.LearnedGate;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.prediction.learn.TrainingJob;
import dev.autopilot.agents.prediction.model.PredictionModels;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.BenchScenario;
import dev.autopilot.runtime.bench.BenchScenarios;
import dev.autopilot.runtime.bench.BenchSettings;
import dev.autopilot.runtime.bench.ClusterTick;
import dev.autopilot.runtime.bench.ControllerKind;
import dev.autopilot.runtime.bench.ControllerRun;
import dev.autopilot.runtime.bench.CostParts;
import dev.autopilot.runtime.bench.OptimizerCounts;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.bench.RunMode;
import dev.autopilot.runtime.bench.RunRecorder;
import dev.autopilot.runtime.bench.Scenario;
import dev.autopilot.runtime.bench.ScenarioRunner;
import dev.autopilot.runtime.bench.SpotWithdrawalRecord;
import dev.autopilot.runtime.bench.TickRecord;
import dev.autopilot.runtime.bench.baseline.AlertRecovery;
import dev.autopilot.runtime.bench.baseline.BaselineActuation;
import dev.autopilot.runtime.bench.baseline.BaselineController;
import dev.autopilot.runtime.bench.baseline.BaselineStep;
import dev.autopilot.runtime.bench.baseline.Ds2Baseline;
import dev.autopilot.runtime.bench.baseline.ParallelismBounds;
import dev.autopilot.runtime.bench.baseline.RuleBasedController;
import dev.autopilot.runtime.bench.baseline.StaticController;
import dev.autopilot.runtime.bench.baseline.fko.FkoController;
import dev.autopilot.runtime.bench.baseline.fko.FkoJobGraph;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.loop.AgentEntities;
import dev.autopilot.runtime.loop.ControlLoop;
import dev.autopilot.runtime.loop.LearnedPolicyLoader;
import dev.autopilot.runtime.loop.LoopResult;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.loop.PredictionModelsLoader;
import dev.autopilot.runtime.sim.ClusterStats;
import dev.autopilot.runtime.sim.CostBreakdown;
import dev.autopilot.runtime.sim.CsvWorkload;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.GroundTruth;
import dev.autopilot.runtime.sim.MarathonWorkload;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.sim.SpotWithdrawal;
import dev.autopilot.runtime.sim.Workload;
import dev.autopilot.runtime.sim.YcsbWorkload;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a controller over a scenario on the {@link SimulatedPlatform}. Every controller gets a fresh
 * platform built from the same seed, so the same workload and the same planned faults at the same
 * ticks.
 *
 * <p>Per tick: read the ground truth (fault bookkeeping), observe every pipeline, let the
 * controller act through the platform port, record the tick, then advance the platform. For the
 * agents the controller is the whole runtime: a one-node Pekko cluster with the sharded agents and
 * an H2 journal, fed through the control loop; the platform advances only after the meta-agent of
 * every pipeline has closed the tick, and after any prediction model training in flight has
 * finished (a training costs no event time). The agents see only telemetry; the baselines get the
 * fault oracle (their model of a human on call). The autoscaler baselines (rule-based, ds2, fko)
 * share rule-based's alert-then-approved recovery ({@code AlertRecovery}).
 *
 * <p>Scoring from the ground truth: the agents detect a fault at the first tick, while it is
 * active, at which the recovery agent makes a proposal for its pipeline (whatever cause it names);
 * a resolution is automatic unless the fault healed by itself or a baseline's human applied its
 * fix. A configuration change is an applied actuation whose configuration differs from the one
 * running; a rollback is an actuator rollback.
 */
public final class SimulationRunner implements ScenarioRunner {
  private static final Logger LOG = LoggerFactory.getLogger(SimulationRunner.class);

  private final Config config;
  private final Path journalDir;
  private final Function<Config, PredictionModels> predictionModels;
  private final Function<Config, Function<String, Optional<LearnedPolicy>>> learnedPolicies;

  /**
   * @param config the application config (simulation, bench, agents, runtime)
   * @param journalDir directory of the embedded H2 journal of the agents run; emptied first
   */
  public SimulationRunner(Config config, Path journalDir) {
    this(config, journalDir, PredictionModelsLoader::load);
  }

  /**
   * @param config the application config (simulation, bench, agents, runtime)
   * @param journalDir directory of the embedded H2 journal of the agents run; emptied first
   * @param predictionModels the prediction agent's learned forecaster parts for the agents node's
   *     configuration ({@link PredictionModelsLoader#load} by default)
   */
  public SimulationRunner(
      Config config, Path journalDir, Function<Config, PredictionModels> predictionModels) {
    this(config, journalDir, predictionModels, LearnedPolicyLoader::load);
  }

  /**
   * @param config the application config (simulation, bench, agents, runtime)
   * @param journalDir directory of the embedded H2 journal of the agents run; emptied first
   * @param predictionModels the prediction agent's learned forecaster parts for the agents node's
   *     configuration
   * @param learnedPolicies the optimization agent's learned-policy factory for the agents node's
   *     configuration ({@link LearnedPolicyLoader#load} by default)
   */
  public SimulationRunner(
      Config config,
      Path journalDir,
      Function<Config, PredictionModels> predictionModels,
      Function<Config, Function<String, Optional<LearnedPolicy>>> learnedPolicies) {
    this.config = config;
    this.journalDir = journalDir;
    this.predictionModels = predictionModels;
    this.learnedPolicies = learnedPolicies;
  }

  /**
   * Loads the learned policy once when agents-learned is among the controllers, so that a missing
   * bundle fails before the first controller runs, not after hours of the others.
   */
  @Override
  public void preflight(Scenario scenario) {
    if (scenario.controllers().contains(ControllerKind.AGENTS_LEARNED)) {
      try {
        learnedPolicyFactory(ablation(ControllerKind.AGENTS_LEARNED).withFallback(config));
      } catch (IllegalStateException e) {
        // The same exception with the controller named (its cause chain is printed after it).
        IllegalStateException named =
            new IllegalStateException("controller agents-learned: " + e.getMessage(), e.getCause());
        named.setStackTrace(e.getStackTrace());
        throw named;
      }
    }
  }

  /**
   * The learned-policy factory for an agents node; for agents-learned it must give every pipeline a
   * policy, else the run would be DS2 under the learned controller's name.
   */
  private Function<String, Optional<LearnedPolicy>> learnedPolicyFactory(Config nodeConfig) {
    Function<String, Optional<LearnedPolicy>> factory = learnedPolicies.apply(nodeConfig);
    if (!nodeConfig.getBoolean("autopilot.optimization.learned.enabled")) {
      return factory;
    }
    if (factory.apply("preflight").isEmpty()) {
      throw new IllegalStateException(
          "agents-learned needs a learned optimizer policy, but none was loaded from "
              + nodeConfig.getString("autopilot.optimization.learned.dir")
              + " (version "
              + nodeConfig.getInt("autopilot.optimization.learned.version")
              + ")");
    }
    return factory;
  }

  @Override
  public ControllerRun run(Scenario scenario, ControllerKind controller, ProgressListener progress)
      throws Exception {
    // a catalogue scenario lays its simulation settings and SLA over the application's
    BenchScenario catalogued = catalogued(scenario);
    Config effective = BenchScenario.configure(catalogued, config);
    SimSettings sim = SimSettings.create(effective);
    if (sim.tickSeconds() != scenario.tickSeconds()) {
      throw new IllegalArgumentException(
          "the simulation ticks every "
              + sim.tickSeconds()
              + " s but the scenario every "
              + scenario.tickSeconds()
              + " s");
    }
    dev.autopilot.runtime.sim.Scenario simScenario =
        simScenario(effective, sim, catalogued, scenario);
    Map<String, SlaSpec> slas = PipelineSlas.of(effective, simScenario.pipelineIds());
    // the SLA decides which pipelines may run TaskManagers on spot
    Map<String, Double> p99Bounds = new LinkedHashMap<>();
    slas.forEach((p, sla) -> p99Bounds.put(p, sla.latencyP99BoundMs()));
    RunRecorder recorder = new RunRecorder(controller, scenario, slas, System::nanoTime);
    BenchSettings bench = BenchSettings.create(config);
    switch (controller) {
      case STATIC -> {
        PipelineConfig peak = PeakSizing.peakConfig(config, sim, simScenario);
        runBaseline(
            scenario,
            new SimulatedPlatform(sim.withInitialConfig(peak), simScenario, p99Bounds),
            recorder,
            slas,
            progress,
            "static",
            (book, p) -> new StaticController(peak, bench.staticController(), book));
      }
      case RULE_BASED ->
          runBaseline(
              scenario,
              new SimulatedPlatform(sim, simScenario, p99Bounds),
              recorder,
              slas,
              progress,
              "rule-based",
              (book, p) -> new RuleBasedController(bench.ruleBased(), book));
      case DS2 -> {
        OptimizationSettings ds2 = OptimizationSettings.create(config);
        ParallelismBounds bounds = parallelismBounds(config);
        runBaseline(
            scenario,
            new SimulatedPlatform(sim, simScenario, p99Bounds),
            recorder,
            slas,
            progress,
            "ds2",
            (book, p) ->
                new Ds2Baseline(
                    ds2, slas.get(p), bounds, AlertRecovery.of(bench.ruleBased(), book)));
      }
      case FKO -> {
        ParallelismBounds bounds = parallelismBounds(config);
        FkoJobGraph graph = fkoJobGraph(sim);
        List<FkoController> fkos = new ArrayList<>();
        runBaseline(
            scenario,
            new SimulatedPlatform(sim, simScenario, p99Bounds),
            recorder,
            slas,
            progress,
            "fko",
            (book, p) -> {
              FkoController c =
                  new FkoController(
                      p,
                      bench.fko(),
                      graph,
                      sim.tickSeconds(),
                      bounds,
                      AlertRecovery.of(bench.ruleBased(), book));
              fkos.add(c);
              return c;
            });
        int errors = fkos.stream().mapToInt(FkoController::errors).sum();
        if (errors > 0) {
          LOG.warn("fko: the autoscaler failed {} times over the run (logged above)", errors);
        }
        for (FkoController c : fkos) {
          LOG.info("fko: autoscaler events {}", c.eventCounts());
        }
      }
      case AGENTS, AGENTS_NO_PREDICTION, AGENTS_NO_OPTIMIZATION, AGENTS_LEARNED -> {
        SimulatedPlatform platform = new SimulatedPlatform(sim, simScenario, p99Bounds);
        runAgents(
            scenario,
            controller,
            platform,
            new FaultBook(platform, recorder),
            recorder,
            slas,
            progress);
      }
    }
    return recorder.finish();
  }

  /** The meta-agent's hard bounds on a configuration's size, for the baselines without it. */
  private static ParallelismBounds parallelismBounds(Config config) {
    return new ParallelismBounds(MetaSettings.create(config).arbiter().admission());
  }

  /**
   * The simulated job as the FKO autoscaler's job plan shows it: the operators in order, with a
   * key-by into each operator that keeps keyed state.
   */
  static FkoJobGraph fkoJobGraph(SimSettings sim) {
    Set<String> keyed = new LinkedHashSet<>();
    for (SimSettings.OperatorSpec op : sim.operators()) {
      if (op.stateBytesPerRecord() > 0) {
        keyed.add(op.id());
      }
    }
    return new FkoJobGraph(sim.operatorIds(), keyed);
  }

  /** The simulator's scenario for a bench scenario: same seed, workload and fault plan for all. */
  static dev.autopilot.runtime.sim.Scenario simScenario(
      SimSettings sim, MarathonWorkload.Settings marathon, Scenario scenario, Config effective)
      throws IOException {
    // effective: the configuration the ycsb workload's settings are read from (null for others)
    long ticks = scenario.totalTicks();
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= scenario.pipelines(); i++) {
      ids.add("p" + i);
    }
    Workload workload;
    if (Scenario.GENERATED.equals(scenario.workload())) {
      workload =
          new GeneratedWorkload(
              sim.workload(), scenario.seed(), ticks, sim.tickSeconds(), sim.startEpochMillis());
    } else if (scenario.marathonWorkload()) {
      workload = MarathonWorkload.create(sim, marathon, scenario.seed(), ticks);
    } else if (Scenario.YCSB.equals(scenario.workload())) {
      if (effective == null) {
        throw new IllegalArgumentException("the ycsb workload needs autopilot.simulation.ycsb");
      }
      workload =
          YcsbWorkload.create(sim, YcsbWorkload.Settings.create(effective), scenario.seed(), ticks);
    } else {
      workload =
          CsvWorkload.load(
              Path.of(scenario.workload()), sim.workload().averageRate(), sim.tickSeconds());
    }
    FaultSchedule faults =
        FaultSchedule.generate(
            sim.faults(), scenario.seed(), ids, ticks, sim.tickSeconds(), scenario.faults());
    int days = (int) Math.max(1, Math.ceil(scenario.days()));
    return new dev.autopilot.runtime.sim.Scenario(scenario.seed(), days, ids, workload, faults);
  }

  /** The catalogue entry a bench scenario names, or null for a plain run. */
  private BenchScenario catalogued(Scenario scenario) {
    return scenario.name() == null ? null : BenchScenarios.create(config).require(scenario.name());
  }

  /**
   * The simulator's scenario for a bench scenario, from the configuration with the catalogue
   * scenario's overrides: same seed, workload and fault plan for every controller.
   *
   * @param effective the configuration with the catalogue scenario's overrides
   * @param sim the simulation settings read from it
   * @param catalogued the catalogue scenario, or null for a plain run
   * @param scenario the run
   */
  public static dev.autopilot.runtime.sim.Scenario simScenario(
      Config effective, SimSettings sim, BenchScenario catalogued, Scenario scenario)
      throws IOException {
    dev.autopilot.runtime.sim.Scenario plain =
        simScenario(sim, MarathonWorkload.Settings.create(effective), scenario, effective);
    if (catalogued == null) {
      return plain;
    }
    return plain.withFaults(
        catalogued.schedule(
            sim, scenario.seed(), plain.pipelineIds(), scenario.days(), scenario.totalTicks()));
  }

  /** The simulator's scenario for a plain bench scenario whose workload is not ycsb. */
  static dev.autopilot.runtime.sim.Scenario simScenario(
      SimSettings sim, MarathonWorkload.Settings marathon, Scenario scenario) throws IOException {
    return simScenario(sim, marathon, scenario, null);
  }

  /** A baseline controller for one pipeline, given the run's fault book. */
  private interface ControllerFactory {
    BaselineController create(FaultBook book, String pipelineId);
  }

  private void runBaseline(
      Scenario scenario,
      SimulatedPlatform platform,
      RunRecorder recorder,
      Map<String, SlaSpec> slas,
      ProgressListener progress,
      String controllerId,
      ControllerFactory factory) {
    FaultBook book = new FaultBook(platform, recorder);
    Map<String, BaselineController> controllers = new LinkedHashMap<>();
    for (String p : platform.pipelines().stream().sorted().toList()) {
      controllers.put(p, factory.create(book, p));
    }
    long total = scenario.totalTicks();
    for (long t = 0; t < total; t++) {
      for (Map.Entry<String, BaselineController> e : controllers.entrySet()) {
        String p = e.getKey();
        GroundTruth truth = book.update(p);
        TelemetrySnapshot snapshot = platform.observe(p);
        BaselineStep step = e.getValue().onTick(snapshot);
        for (BaselineStep.FaultEvent fe : step.faultEvents()) {
          if (fe.kind() == BaselineStep.FaultEvent.Kind.FIX_APPLIED && fe.byHuman()) {
            book.fixedByHuman(fe.faultId());
          }
        }
        BaselineActuation.Outcome outcome =
            BaselineActuation.apply(platform, controllerId, snapshot, step, recorder);
        recorder.tick(record(t, truth, slas.get(p), outcome.applied()));
      }
      recordCluster(t, platform, recorder);
      platform.advance();
      progress.onProgress(t + 1, total);
    }
  }

  private void runAgents(
      Scenario scenario,
      ControllerKind controller,
      SimulatedPlatform platform,
      FaultBook book,
      RunRecorder recorder,
      Map<String, SlaSpec> slas,
      ProgressListener progress)
      throws Exception {
    resetJournal(journalDir);
    Config nodeConfig =
        RuntimeConfig.load("local", ablation(controller).withFallback(agentsOverrides(journalDir)));
    // Loaded before the node starts: a missing policy bundle fails the run with its message.
    Function<String, Optional<LearnedPolicy>> learned = learnedPolicyFactory(nodeConfig);
    try (AutopilotNode node =
        AutopilotNode.start(
            nodeConfig,
            system ->
                AgentEntities.init(
                    system,
                    platform,
                    predictionModels.apply(system.settings().config()),
                    learned))) {
      node.awaitUp();
      ControlLoop loop = ControlLoop.start(node, slas);
      List<String> pipelines = platform.pipelines().stream().sorted().toList();
      if (scenario.mode() == RunMode.SHADOW) {
        setShadowMode(node, pipelines);
      }
      Map<String, PipelineConfig> lastConfig = new LinkedHashMap<>();
      long total = scenario.totalTicks();
      for (long t = 0; t < total; t++) {
        Map<String, GroundTruth> truths = new LinkedHashMap<>();
        List<CompletableFuture<TelemetryGateway.IngestResult>> futures = new ArrayList<>();
        for (String p : pipelines) {
          truths.put(p, book.update(p));
          futures.add(loop.submit(platform.observe(p)).toCompletableFuture());
        }
        for (int i = 0; i < pipelines.size(); i++) {
          String p = pipelines.get(i);
          TelemetryGateway.IngestResult result = await(futures.get(i), p, t);
          List<String> actions = new ArrayList<>();
          if (result instanceof LoopResult.TickCompleted done) {
            MetaAgent.TickClosed closed = done.closed();
            recorder.optimizer(optimizerCounts(closed));
            Diagnostics diagnostics = closed.diagnosticsOf(AgentKind.RECOVERY);
            recorder.diagnostics(p, t, diagnostics);
            recorder.prediction(p, t, closed.diagnosticsOf(AgentKind.PREDICTION));
            if (closed.proposals().stream().anyMatch(pr -> pr.agent() == AgentKind.RECOVERY)) {
              String top =
                  diagnostics == null || diagnostics.causes().isEmpty()
                      ? null
                      : diagnostics.causes().get(0).mode().name();
              for (Fault f : book.active(p)) {
                recorder.faultDetected(f.id(), t);
                recorder.faultDiagnosed(f.id(), t, top);
              }
            }
            for (Actuator.Report r : closed.actuations()) {
              actions.add(r.kind().name().toLowerCase() + ": " + r.action());
              if (r.kind() == Actuator.Report.Kind.APPLIED
                  && r.config() != null
                  && !r.config().equals(lastConfig.get(p))) {
                recorder.configChange(t, p, r.action());
              } else if (r.kind() == Actuator.Report.Kind.ROLLED_BACK) {
                recorder.rollback(
                    t, p, r.explanation() == null ? r.action() : r.explanation().verification());
              }
            }
          } else if (result instanceof TelemetryGateway.IngestResult.Rejected rejected) {
            actions.add("snapshot rejected: " + rejected.reason());
          } else if (result instanceof LoopResult.TickFailed failed) {
            actions.add("tick failed: " + failed.message());
          }
          GroundTruth truth = truths.get(p);
          lastConfig.put(p, truth.config());
          recorder.tick(record(t, truth, slas.get(p), actions));
        }
        recordCluster(t, platform, recorder);
        awaitTrainings();
        platform.advance();
        progress.onProgress(t + 1, total);
      }
      recorder.optimizer(promotions(node, pipelines));
    }
  }

  /** The learned optimizer's shadow and live proposals of one closed tick. */
  private static OptimizerCounts optimizerCounts(MetaAgent.TickClosed closed) {
    long admitted =
        closed.shadowProposals().stream()
            .filter(MetaAgent.ShadowProposalRecorded::admitted)
            .count();
    long learned = closed.proposals().stream().filter(LearnedGate::isLearned).count();
    return new OptimizerCounts(closed.shadowProposals().size(), admitted, learned, 0, 0);
  }

  /**
   * Promotions and demotions, from the optimization agents' journaled state at the end of the run:
   * a version is promoted at most once per pipeline, so the promoted one plus the demoted ones.
   */
  private static OptimizerCounts promotions(AutopilotNode node, List<String> pipelines) {
    if (!MetaSettings.create(node.system().settings().config())
        .proposers()
        .contains(AgentKind.OPTIMIZATION)) {
      return OptimizerCounts.NONE;
    }
    ClusterSharding sharding = ClusterSharding.get(node.system());
    long promoted = 0;
    long demoted = 0;
    for (String p : pipelines) {
      OptimizationAgent.State state =
          AskPattern.<AgentProtocol.Command, OptimizationAgent.State>ask(
                  sharding.entityRefFor(OptimizationAgent.ENTITY_TYPE_KEY, p),
                  OptimizationAgent.GetState::new,
                  Duration.ofSeconds(30),
                  node.system().scheduler())
              .toCompletableFuture()
              .join();
      demoted += state.demotedVersions().size();
      promoted += state.demotedVersions().size() + (state.promotedVersion() != 0 ? 1 : 0);
    }
    return new OptimizerCounts(0, 0, 0, promoted, demoted);
  }

  /**
   * Records the node pool at tick {@code t} (utilisation, fragmentation, markets), the spot
   * withdrawals announced at that tick, and each pipeline's cost by part so far.
   */
  private static void recordCluster(long t, SimulatedPlatform platform, RunRecorder recorder) {
    ClusterStats c = platform.clusterStats();
    recorder.cluster(
        new ClusterTick(
            t,
            c.utilisation(),
            c.fragmentation(),
            c.nodes(),
            c.spotNodes(),
            c.pods(),
            c.spotPods()));
    for (SpotWithdrawal w : platform.spotWithdrawals()) {
      if (w.tick() == t) {
        recorder.spotWithdrawal(new SpotWithdrawalRecord(w.tick(), w.nodeId(), w.podsMigrated()));
      }
    }
    for (String p : platform.pipelines()) {
      CostBreakdown b = platform.costBreakdown(p);
      recorder.cost(
          p,
          new CostParts(
              b.computeOnDemand(),
              b.computeSpot(),
              b.storageSsd(),
              b.storageBlock(),
              b.storageObject(),
              b.network()));
    }
  }

  /**
   * Waits until no prediction model training is in flight before event time advances: live, a
   * training takes minutes of wall time (a few ticks), while the simulation runs thousands of ticks
   * in that time. Waiting makes a training cost no event time, and keeps a run reproducible for a
   * deterministic trainer. The training's result reaches its entity before the next tick.
   */
  private static void awaitTrainings() throws InterruptedException {
    while (TrainingJob.inFlight() > 0) {
      Thread.sleep(5);
    }
  }

  private static TelemetryGateway.IngestResult await(
      CompletableFuture<TelemetryGateway.IngestResult> f, String pipeline, long tick) {
    try {
      return f.join();
    } catch (RuntimeException e) {
      return new LoopResult.TickFailed(pipeline, tick, e.toString());
    }
  }

  private static void setShadowMode(AutopilotNode node, List<String> pipelines) {
    ClusterSharding sharding = ClusterSharding.get(node.system());
    for (String p : pipelines) {
      CompletionStage<StatusReply<Done>> reply =
          AskPattern.ask(
              sharding.entityRefFor(MetaAgent.ENTITY_TYPE_KEY, p),
              ref -> new MetaAgent.SetMode(Mode.SHADOW, null, ref),
              Duration.ofSeconds(30),
              node.system().scheduler());
      StatusReply<Done> r = reply.toCompletableFuture().join();
      if (r.isError()) {
        throw new IllegalStateException("could not set shadow mode on " + p + ": " + r.getError());
      }
    }
  }

  private static TickRecord record(long t, GroundTruth truth, SlaSpec sla, List<String> actions) {
    PipelineConfig c = truth.config();
    int parallelism = c.parallelism().values().stream().mapToInt(Integer::intValue).sum();
    return new TickRecord(
        t,
        truth.pipelineId(),
        truth.offeredRate(),
        truth.processedRate(),
        truth.latencyP99Ms(),
        truth.capacity(),
        parallelism,
        c.taskManagers(),
        truth.cpuUtilisation(),
        truth.memoryUtilisation(),
        truth.costSoFar(),
        truth.eventsProcessed(),
        truth.slaViolated(sla),
        truth.activeFaults().stream().map(Fault::id).toList(),
        actions);
  }

  /**
   * The configuration of a variant of the agents controller: agents-no-prediction asks only
   * recovery and optimization, agents-no-optimization only prediction and recovery ({@code
   * autopilot.meta.proposers}); agents-learned enables the learned optimizer with the promotion
   * gate overridden (journaled by the optimization agent as an override); the complete team changes
   * nothing.
   */
  static Config ablation(ControllerKind controller) {
    return switch (controller) {
      case AGENTS_NO_PREDICTION ->
          ConfigFactory.parseString("autopilot.meta.proposers = [recovery, optimization]");
      case AGENTS_NO_OPTIMIZATION ->
          ConfigFactory.parseString("autopilot.meta.proposers = [prediction, recovery]");
      case AGENTS_LEARNED ->
          ConfigFactory.parseString(
              "autopilot.optimization.learned.enabled = on\n"
                  + "autopilot.optimization.learned.require-shadow-win = off\n");
      default -> ConfigFactory.empty();
    };
  }

  /** The embedded journal of an agents run: a fresh H2 file, no metrics or management ports. */
  private Config agentsOverrides(Path dir) {
    String url =
        "jdbc:h2:file:"
            + dir.toAbsolutePath().resolve("autopilot")
            + ";DATABASE_TO_UPPER=false;DB_CLOSE_ON_EXIT=FALSE";
    return RuntimeConfig.database(url, "sa", "")
        .withFallback(
            ConfigFactory.parseString(
                "autopilot.metrics.port = 0\nautopilot.node.management-enabled = off\n"));
  }

  private static void resetJournal(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (var files = Files.list(dir)) {
      for (Path f :
          files.filter(x -> x.getFileName().toString().startsWith("autopilot.")).toList()) {
        Files.delete(f);
      }
    }
  }
}
