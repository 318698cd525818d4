package dev.autopilot.runtime.optimize;

import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The offline shadow evaluation of a learned policy against the DS2 baseline: for every validation
 * seed, one {@link SimEnvironment} episode driven by the policy (its deterministic action at every
 * decision tick) and one driven by {@link Ds2Driver} (the controller's normal {@code evaluate()}
 * every tick), same workload, same start, same faults, scored alike from the ground truth.
 *
 * <ul>
 *   <li>SLA violation % = ticks with a violation ({@code GroundTruth.slaViolated}: throughput short
 *       of {@code min(target, offered)} beyond the tolerance, or p99 above the bound) over the
 *       ticks scored, summed over the seeds;
 *   <li>cost per million events = the pipeline's cost (nodes, checkpoint storage) over the events
 *       it processed, summed over the seeds, × 10⁶;
 *   <li>mean reward per decision step.
 * </ul>
 *
 * The policy {@link ShadowEvaluation#beatsBaseline() beats the baseline} when it has fewer
 * violations at equal or lower cost, "equal" meaning within {@value #COST_TOLERANCE} relative (the
 * cost of a run moves by a fraction of a percent with node-removal timing).
 */
public final class ShadowEvaluator {

  /** Relative cost difference still counted as equal cost. */
  public static final double COST_TOLERANCE = 0.01;

  private ShadowEvaluator() {}

  /** Totals of one controller over the seeds. */
  private record Totals(
      long ticks, long violated, double cost, double events, double reward, long steps) {
    static Totals of(List<SimEnvironment.EpisodeStats> episodes) {
      long t = 0;
      long v = 0;
      double c = 0;
      double e = 0;
      double r = 0;
      long s = 0;
      for (SimEnvironment.EpisodeStats x : episodes) {
        t += x.ticks();
        v += x.violatedTicks();
        c += x.costDollars();
        e += x.events();
        r += x.rewardSum();
        s += x.steps();
      }
      return new Totals(t, v, c, e, r, s);
    }

    double violationPct() {
      return ticks == 0 ? 0 : 100.0 * violated / ticks;
    }

    double costPerMillion() {
      return events <= 0 ? Double.POSITIVE_INFINITY : cost / events * 1e6;
    }

    double meanReward() {
      return steps == 0 ? 0 : reward / steps;
    }
  }

  /**
   * Runs the evaluation on two threads (policy and DS2 episodes interleaved).
   *
   * @param policy the policy's deterministic action for a state
   * @param progress receives decision steps done of the total
   */
  public static ShadowEvaluation evaluate(
      SimSettings sim,
      RlSettings rl,
      OptimizationSettings ds2,
      SlaSpec sla,
      SimEnvironment.Settings episode,
      UnaryOperator<double[]> policy,
      List<Long> seeds,
      ProgressListener progress)
      throws InterruptedException {
    long perEpisode = new SimEnvironment(sim, rl, sla, episode).episodeTicks() / rl.decisionTicks();
    long total = perEpisode * seeds.size() * 2;
    AtomicLong done = new AtomicLong();
    Runnable stepDone =
        () -> {
          long d = done.incrementAndGet();
          if (d % 100 == 0 || d == total) {
            synchronized (progress) {
              progress.onProgress(d, total);
            }
          }
        };
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<SimEnvironment.EpisodeStats>> mine = new ArrayList<>();
      List<Future<SimEnvironment.EpisodeStats>> theirs = new ArrayList<>();
      for (long seed : seeds) {
        mine.add(pool.submit(() -> policyEpisode(sim, rl, sla, episode, policy, seed, stepDone)));
        theirs.add(pool.submit(() -> ds2Episode(sim, rl, ds2, sla, episode, seed, stepDone)));
      }
      Totals p = Totals.of(collect(mine));
      Totals b = Totals.of(collect(theirs));
      boolean beats =
          p.violationPct() < b.violationPct()
              && p.costPerMillion() <= b.costPerMillion() * (1 + COST_TOLERANCE);
      return new ShadowEvaluation(
          List.copyOf(seeds),
          perEpisode * rl.decisionTicks(),
          p.violationPct(),
          b.violationPct(),
          p.costPerMillion(),
          b.costPerMillion(),
          p.meanReward(),
          b.meanReward(),
          beats);
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The mean reward per decision of a policy alone over some seeds (its deterministic action), for
   * choosing among training checkpoints. Sequential; a handful of simulated days takes seconds.
   */
  public static double policyMeanReward(
      SimSettings sim,
      RlSettings rl,
      SlaSpec sla,
      SimEnvironment.Settings episode,
      UnaryOperator<double[]> policy,
      List<Long> seeds) {
    List<SimEnvironment.EpisodeStats> episodes = new ArrayList<>();
    for (long seed : seeds) {
      episodes.add(policyEpisode(sim, rl, sla, episode, policy, seed, () -> {}));
    }
    return Totals.of(episodes).meanReward();
  }

  /** One episode under the policy. */
  public static SimEnvironment.EpisodeStats policyEpisode(
      SimSettings sim,
      RlSettings rl,
      SlaSpec sla,
      SimEnvironment.Settings episode,
      UnaryOperator<double[]> policy,
      long seed,
      Runnable stepDone) {
    SimEnvironment env = new SimEnvironment(sim, rl, sla, episode);
    double[] state = env.reset(seed);
    boolean end = false;
    while (!end) {
      var step = env.step(policy.apply(state));
      state = step.state();
      end = step.done();
      stepDone.run();
    }
    return env.stats();
  }

  /** One episode under DS2. */
  public static SimEnvironment.EpisodeStats ds2Episode(
      SimSettings sim,
      RlSettings rl,
      OptimizationSettings ds2,
      SlaSpec sla,
      SimEnvironment.Settings episode,
      long seed,
      Runnable stepDone) {
    SimEnvironment env = new SimEnvironment(sim, rl, sla, episode);
    env.reset(seed);
    Ds2Driver driver = new Ds2Driver(ds2, sla);
    boolean end = false;
    while (!end) {
      end = env.drive(driver).done();
      stepDone.run();
    }
    return env.stats();
  }

  private static List<SimEnvironment.EpisodeStats> collect(
      List<Future<SimEnvironment.EpisodeStats>> futures) throws InterruptedException {
    List<SimEnvironment.EpisodeStats> out = new ArrayList<>();
    for (Future<SimEnvironment.EpisodeStats> f : futures) {
      try {
        out.add(f.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("shadow evaluation failed: " + e.getCause(), e.getCause());
      }
    }
    return out;
  }
}
