package dev.autopilot.runtime.optimize;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.rl.ActionSpace;
import dev.autopilot.agents.optimization.rl.Environment;
import dev.autopilot.agents.optimization.rl.Reward;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.agents.optimization.rl.StateEncoder;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.GroundTruth;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.train.FaultRepairer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The {@link Environment} the PPO policy learns in: one pipeline on a {@link SimulatedPlatform}.
 *
 * <ul>
 *   <li><b>Episode.</b> {@link #reset(long)} builds a fresh platform for the seed: the generated
 *       workload of that seed (diurnal cycle, weekends, special-event surges, month-end), generated
 *       over {@code start-days} plus the episode so its scaling does not depend on the episode,
 *       entered at a seed-dependent whole hour within the first {@code start-days} days (the
 *       event-time calendar follows, so the encoder's day-of-week and month-end features agree with
 *       the load). The pipeline starts in the simulator's initial configuration and runs {@code
 *       warmup-ticks} before the first decision. An episode lasts {@code episode-hours}.
 *   <li><b>Faults</b> are off by default ({@code faults-per-day = 0}): the optimizer is trained on
 *       the configuration problem; with faults on, a generated schedule is injected and repaired by
 *       the fault catalogue's fixes after a detection delay ({@link FaultRepairer}), as the
 *       recovery agent would.
 *   <li><b>Step.</b> One step is one decision interval ({@link RlSettings#decisionTicks()} ticks, 1
 *       minute by default): the action's target configuration ({@link ActionSpace}) is applied
 *       through {@code platform.apply} at the decision tick (nothing when it equals the running
 *       configuration), with the platform's own action latencies (pod start, restart from
 *       checkpoint, state restore), then the platform advances the interval's ticks. The encoder
 *       sees every tick; the state returned is the last tick's.
 *   <li><b>Reward</b> from the ground truth ({@link SimulatedPlatform#truth}): the mean over the
 *       interval's ticks of {@link Reward#tick}, where a configuration change is an apply the
 *       platform acted on (not UNCHANGED), counted in every tick of the minute that follows it.
 * </ul>
 *
 * <p>{@link #drive(TickController)} runs an interval under another controller (the DS2 baseline of
 * the shadow evaluation), scored the same way. Deterministic for a seed and the actions. Not
 * thread-safe.
 */
public final class SimEnvironment implements Environment {

  /** The pipeline id of the single simulated pipeline. */
  public static final String PIPELINE = "p1";

  /**
   * Episode design, from {@code autopilot.train.optimization}.
   *
   * @param episodeHours event time of an episode, hours
   * @param startDays an episode starts within the first this-many days of its seed's calendar
   * @param warmupTicks ticks before the first decision
   * @param faultsPerDay faults injected per simulated day (0: none)
   */
  public record Settings(double episodeHours, int startDays, int warmupTicks, double faultsPerDay) {
    public Settings {
      if (!(episodeHours > 0)) {
        throw new IllegalArgumentException(
            "autopilot.train.optimization: episode-hours must be > 0");
      }
      if (startDays < 1) {
        throw new IllegalArgumentException("autopilot.train.optimization: start-days must be >= 1");
      }
      if (warmupTicks < 1) {
        throw new IllegalArgumentException(
            "autopilot.train.optimization: warmup-ticks must be >= 1");
      }
      if (!(faultsPerDay >= 0)) {
        throw new IllegalArgumentException(
            "autopilot.train.optimization: faults-per-day must be >= 0");
      }
    }

    /** Reads {@code autopilot.train.optimization}. */
    public static Settings create(Config root) {
      Config c = root.getConfig("autopilot.train.optimization");
      return new Settings(
          c.getDouble("episode-hours"),
          c.getInt("start-days"),
          c.getInt("warmup-ticks"),
          c.getDouble("faults-per-day"));
    }

    public Settings withEpisodeHours(double hours) {
      return new Settings(hours, startDays, warmupTicks, faultsPerDay);
    }
  }

  /** A controller that may reconfigure at every tick (the DS2 baseline). */
  @FunctionalInterface
  public interface TickController {
    /**
     * @param snapshot the tick's telemetry
     * @return the configuration to apply now, or empty to keep the running one
     */
    Optional<PipelineConfig> onTick(TelemetrySnapshot snapshot);
  }

  /**
   * What an episode so far amounts to, over its decision ticks (warm-up excluded).
   *
   * @param ticks ticks scored
   * @param violatedTicks ticks with an SLA violation (ground truth)
   * @param costDollars cost of the pipeline over the scored ticks
   * @param events events processed over the scored ticks
   * @param rewardSum sum of the step rewards
   * @param steps decision steps
   * @param changes configuration changes applied
   */
  public record EpisodeStats(
      long ticks,
      long violatedTicks,
      double costDollars,
      double events,
      double rewardSum,
      long steps,
      long changes) {}

  private final SimSettings sim;
  private final RlSettings rl;
  private final SlaSpec sla;
  private final Settings settings;
  private final ActionSpace actions;
  private final long episodeTicks;

  private SimulatedPlatform platform;
  private StateEncoder encoder;
  private StateEncoder.Observation observation;
  private FaultRepairer repairer;
  private final Deque<Long> changeTicks = new ArrayDeque<>();
  private long tick;
  private long endTick;
  private boolean done = true;
  private long scoredTicks;
  private long violatedTicks;
  private double costStart;
  private double eventsStart;
  private double rewardSum;
  private long steps;
  private long changes;

  public SimEnvironment(SimSettings sim, RlSettings rl, SlaSpec sla, Settings settings) {
    this.sim = sim;
    this.rl = rl;
    this.sla = sla;
    this.settings = settings;
    this.actions = new ActionSpace(rl);
    this.episodeTicks =
        Math.max(
            rl.decisionTicks(), Math.round(settings.episodeHours() * 3600 / sim.tickSeconds()));
    for (String op : rl.keyOperators()) {
      if (!sim.operatorIds().contains(op)) {
        throw new IllegalArgumentException(
            "autopilot.optimization.rl.key-operators: "
                + op
                + " is not an operator of the"
                + " simulated job graph "
                + sim.operatorIds());
      }
    }
  }

  @Override
  public int stateSize() {
    return StateEncoder.SIZE;
  }

  @Override
  public int actionSize() {
    return ActionSpace.SIZE;
  }

  /** Ticks of one episode after the warm-up. */
  public long episodeTicks() {
    return episodeTicks;
  }

  public ActionSpace actionSpace() {
    return actions;
  }

  public SlaSpec sla() {
    return sla;
  }

  /** The observation of the current decision tick. */
  public StateEncoder.Observation observation() {
    requireEpisode();
    return observation;
  }

  /** The current tick's telemetry (for a controller that decides at the decision tick). */
  public TelemetrySnapshot snapshot() {
    requireEpisode();
    return platform.observe(PIPELINE);
  }

  @Override
  public double[] reset(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long day = sim.ticksPerDay();
    long hour = Math.max(1, 3600 / sim.tickSeconds());
    long offset = rnd.nextLong(settings.startDays() * day / hour) * hour;
    long ticks = settings.warmupTicks() + episodeTicks + 1;
    long horizon = settings.startDays() * day + ticks;
    // generated over a fixed horizon (its scaling to the average rate does not depend on the
    // episode), its calendar starting offset ticks before the platform's
    GeneratedWorkload workload =
        new GeneratedWorkload(
            sim.workload(),
            seed,
            horizon,
            sim.tickSeconds(),
            sim.startEpochMillis() - offset * sim.tickSeconds() * 1000L);
    int days = (int) Math.max(1, (ticks + day - 1) / day);
    int faults = (int) Math.round(settings.faultsPerDay() * ticks / (double) day);
    FaultSchedule schedule =
        faults > 0
            ? FaultSchedule.generate(
                sim.faults(), seed ^ offset, List.of(PIPELINE), ticks, sim.tickSeconds(), faults)
            : FaultSchedule.none();
    long shift = offset;
    Scenario scenario =
        Scenario.defaultScenario(sim, seed, days, 1, 0)
            .withWorkload(t -> workload.offeredRate(Math.min(horizon - 1, t + shift)))
            .withFaults(schedule);
    platform = new SimulatedPlatform(sim, scenario);
    encoder = new StateEncoder(rl);
    repairer = faults > 0 ? new FaultRepairer(PIPELINE, rnd.split()) : null;
    changeTicks.clear();
    tick = 0;
    observation = encoder.observe(platform.observe(PIPELINE), sla);
    for (int i = 0; i < settings.warmupTicks(); i++) {
      platform.advance();
      tick++;
      TelemetrySnapshot s = platform.observe(PIPELINE);
      observation = encoder.observe(s, sla);
      repair(s);
    }
    endTick = tick + episodeTicks;
    GroundTruth t = platform.truth(PIPELINE);
    costStart = t.costSoFar();
    eventsStart = t.eventsProcessed();
    scoredTicks = 0;
    violatedTicks = 0;
    rewardSum = 0;
    steps = 0;
    changes = 0;
    done = false;
    return observation.features();
  }

  @Override
  public Step step(double[] action) {
    requireEpisode();
    if (action == null || action.length != ActionSpace.SIZE) {
      throw new IllegalArgumentException(
          "an action has "
              + ActionSpace.SIZE
              + " values, got "
              + (action == null ? "null" : action.length));
    }
    apply(actions.target(observation, action));
    return advance(null);
  }

  /** One decision interval under a per-tick controller instead of an action. */
  public Step drive(TickController controller) {
    requireEpisode();
    return advance(controller);
  }

  /** The episode's figures so far. */
  public EpisodeStats stats() {
    double cost = platform == null ? 0 : platform.truth(PIPELINE).costSoFar() - costStart;
    double events = platform == null ? 0 : platform.truth(PIPELINE).eventsProcessed() - eventsStart;
    return new EpisodeStats(scoredTicks, violatedTicks, cost, events, rewardSum, steps, changes);
  }

  private Step advance(TickController controller) {
    int n = rl.decisionTicks();
    double reward = 0;
    double achievement = 0;
    double efficiency = 0;
    double cpu = 0;
    boolean latencyOk = true;
    double costBefore = platform.truth(PIPELINE).costSoFar();
    for (int i = 0; i < n; i++) {
      platform.advance();
      tick++;
      TelemetrySnapshot s = platform.observe(PIPELINE);
      observation = encoder.observe(s, sla);
      GroundTruth t = platform.truth(PIPELINE);
      while (!changeTicks.isEmpty() && changeTicks.peekFirst() < tick - minuteTicks()) {
        changeTicks.removeFirst();
      }
      Reward.Parts parts =
          Reward.tick(
              sla,
              t.offeredRate(),
              t.processedRate(),
              t.latencyP99Ms(),
              changeTicks.size(),
              t.cpuUtilisation());
      reward += parts.total();
      double required = sla.requiredThroughput(t.offeredRate());
      achievement += required > 0 ? Math.min(1, t.processedRate() / required) : 1;
      efficiency += t.capacity() > 0 ? Math.min(1, t.processedRate() / t.capacity()) : 0;
      cpu += t.cpuUtilisation();
      latencyOk &= !sla.latencyViolated(t.latencyP99Ms());
      scoredTicks++;
      if (t.slaViolated(sla)) {
        violatedTicks++;
      }
      repair(s);
      if (controller != null) {
        controller.onTick(s).ifPresent(this::apply);
      }
    }
    reward /= n;
    rewardSum += reward;
    steps++;
    done = tick >= endTick;
    GroundTruth t = platform.truth(PIPELINE);
    Environment.StepInfo info =
        new Environment.StepInfo(
            achievement / n,
            latencyOk,
            efficiency / n,
            changeTicks.size(),
            cpu / n,
            t.costSoFar() - costBefore);
    return new Step(observation.features(), reward, done, info);
  }

  private long minuteTicks() {
    return Math.max(1, 60 / sim.tickSeconds());
  }

  private void apply(PipelineConfig target) {
    if (target.equals(observation.config())) {
      return;
    }
    try {
      ActuationResult r = platform.apply(PIPELINE, target);
      if (r.outcome() == ActuationResult.Outcome.APPLIED) {
        // counted in the reward of every tick of the following minute (the change shows in
        // telemetry from the next tick)
        changeTicks.addLast(tick);
        changes++;
      }
    } catch (PlatformException | IllegalArgumentException e) {
      // refused (for example more TaskManagers than the cluster holds): nothing changes
    }
  }

  private void repair(TelemetrySnapshot s) {
    if (repairer != null) {
      repairer.onTick(platform, s, tick);
    }
  }

  private void requireEpisode() {
    if (platform == null) {
      throw new IllegalStateException("no episode: call reset(seed) first");
    }
    if (done) {
      throw new IllegalStateException("the episode ended: call reset(seed) for a new one");
    }
  }
}
