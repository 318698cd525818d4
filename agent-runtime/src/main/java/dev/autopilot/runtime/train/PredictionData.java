package dev.autopilot.runtime.train;

import dev.autopilot.agents.optimization.policy.Ds2Controller;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.policy.ProposalHistory;
import dev.autopilot.agents.prediction.features.SnapshotFeaturePipeline;
import dev.autopilot.agents.prediction.features.ViolationLabels;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Labelled samples for the violation forecaster, from the simulator.
 *
 * <p>One run simulates one pipeline for a span of weeks of one seed's generated workload (diurnal
 * and weekly cycles, special-event surges, month-end spikes), starting at a given week, so that
 * training, validation and test can come from different seeds and different weeks. The pipeline
 * runs under a realistic reactive controller, so under- and well-provisioned stretches both occur:
 *
 * <ul>
 *   <li>the DS2 rate-based scaler of the optimization agent ({@link Ds2Controller}), its proposals
 *       applied after a reaction delay drawn per run (0-{@value #MAX_REACTION_DELAY} ticks), and
 *       switched off for a share of the runs ({@value #UNMANAGED_SHARE}: a static deployment);
 *   <li>configuration changes of the kinds operators and agents make ({@link
 *       DetectorData#change}: rescales to a random utilisation target, TaskManager counts,
 *       checkpoint intervals, buffers, restarts) at random times (mean gap {@value
 *       #MEAN_CHANGE_GAP_TICKS} ticks);
 *   <li>faults of every mode from a generated schedule ({@value #FAULTS_PER_WEEK} per week),
 *       repaired after a detection delay ({@link FaultRepairer}).
 * </ul>
 *
 * <p>Every tick's snapshot goes through a fresh {@link SnapshotFeaturePipeline}; the label of tick
 * t is {@link ViolationLabels} over the ground truth's SLA violation (processed against offered
 * rate and true p99 against the {@link SlaSpec}) at ticks t+1..t+30. The first {@value
 * #WARMUP_TICKS} ticks of a run are not sampled (empty trend window, start-up).
 */
final class PredictionData {

  /** Ticks at the start of a run that give no sample. */
  static final int WARMUP_TICKS = 30;

  /** Longest delay between a DS2 proposal and its application, ticks. */
  static final int MAX_REACTION_DELAY = 30;

  /** Share of runs without the DS2 scaler. */
  static final double UNMANAGED_SHARE = 0.2;

  /** Mean ticks between two random configuration changes (4 h). */
  static final int MEAN_CHANGE_GAP_TICKS = 1440;

  /** Faults per simulated week. */
  static final int FAULTS_PER_WEEK = 10;

  private static final String PIPELINE = "p1";

  /**
   * One simulated stretch.
   *
   * @param seed scenario and workload seed
   * @param startDay first day of the workload simulated (the run's calendar starts there)
   * @param days days simulated
   */
  record Run(long seed, int startDay, int days) {}

  /**
   * Samples of one or more runs.
   *
   * @param features raw feature vectors
   * @param labels violation within the horizon
   * @param managed whether each row's run had the DS2 scaler (false: an unmanaged run)
   * @param violatedTicks ticks at which the SLA was violated (all ticks, sampled or not)
   * @param ticks simulated ticks
   * @param runs one line per run: seed, days, controller set-up, sample count and positive rate
   */
  record Samples(
      float[][] features,
      boolean[] labels,
      boolean[] managed,
      long violatedTicks,
      long ticks,
      List<String> runs) {

    int size() {
      return labels.length;
    }

    double positiveRate() {
      long n = 0;
      for (boolean b : labels) {
        if (b) {
          n++;
        }
      }
      return labels.length == 0 ? 0 : n / (double) labels.length;
    }

    static Samples concat(List<Samples> parts) {
      int n = 0;
      long v = 0;
      long t = 0;
      for (Samples p : parts) {
        n += p.size();
        v += p.violatedTicks;
        t += p.ticks;
      }
      float[][] f = new float[n][];
      boolean[] l = new boolean[n];
      boolean[] m = new boolean[n];
      List<String> runs = new ArrayList<>();
      int at = 0;
      for (Samples p : parts) {
        System.arraycopy(p.features, 0, f, at, p.size());
        System.arraycopy(p.labels, 0, l, at, p.size());
        System.arraycopy(p.managed, 0, m, at, p.size());
        runs.addAll(p.runs);
        at += p.size();
      }
      return new Samples(f, l, m, v, t, List.copyOf(runs));
    }
  }

  private PredictionData() {}

  /**
   * Simulates the runs on up to {@code threads} threads; samples in run order.
   *
   * @param progress receives simulated ticks done of the total
   */
  static Samples generate(
      SimSettings sim,
      OptimizationSettings optimization,
      SlaSpec sla,
      List<Run> runs,
      int threads,
      ProgressListener progress)
      throws InterruptedException {
    long total = 0;
    for (Run r : runs) {
      total += r.days() * sim.ticksPerDay();
    }
    AtomicLong done = new AtomicLong();
    long all = total;
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
    try {
      List<Future<Samples>> futures = new ArrayList<>();
      for (Run r : runs) {
        futures.add(
            pool.submit(
                () ->
                    run(sim, optimization, sla, r, () -> {
                      long d = done.incrementAndGet();
                      if (d % 1000 == 0 || d == all) {
                        synchronized (progress) {
                          progress.onProgress(d, all);
                        }
                      }
                    })));
      }
      List<Samples> parts = new ArrayList<>();
      for (Future<Samples> f : futures) {
        try {
          parts.add(f.get());
        } catch (ExecutionException e) {
          throw new IllegalStateException("simulation failed: " + e.getCause(), e.getCause());
        }
      }
      return Samples.concat(parts);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Simulates one run. */
  static Samples run(
      SimSettings sim, OptimizationSettings optimization, SlaSpec sla, Run run, Runnable tickDone) {
    // the controller's set-up, changes and repairs differ per run, also between weeks of a seed
    SplittableRandom rnd =
        new SplittableRandom(run.seed() ^ 0x7F4A7C15L ^ ((long) run.startDay() << 40));
    long day = sim.ticksPerDay();
    long ticks = run.days() * day;
    long offset = run.startDay() * day;
    // the workload's calendar starts offset ticks before the platform's, so event time and the
    // workload's day of week and month agree
    GeneratedWorkload workload =
        new GeneratedWorkload(
            sim.workload(),
            run.seed(),
            offset + ticks,
            sim.tickSeconds(),
            sim.startEpochMillis() - offset * sim.tickSeconds() * 1000L);
    int faults = Math.max(1, (int) Math.round(FAULTS_PER_WEEK * run.days() / 7.0));
    FaultSchedule schedule =
        FaultSchedule.generate(
            sim.faults(), run.seed() ^ offset, List.of(PIPELINE), ticks, sim.tickSeconds(), faults);
    Scenario scenario =
        Scenario.defaultScenario(sim, run.seed(), run.days(), 1, 0)
            .withWorkload(t -> workload.offeredRate(t + offset))
            .withFaults(schedule);
    SimulatedPlatform platform = new SimulatedPlatform(sim, scenario);
    SnapshotFeaturePipeline features = new SnapshotFeaturePipeline();
    FaultRepairer repairer = new FaultRepairer(PIPELINE, rnd.split());
    boolean managed = rnd.nextDouble() >= UNMANAGED_SHARE;
    Ds2Controller ds2 = managed ? new Ds2Controller(optimization) : null;
    int reactionDelay = rnd.nextInt(MAX_REACTION_DELAY + 1);
    long lastProposalTick = Long.MIN_VALUE;
    Proposal pending = null;
    long applyAt = -1;
    long nextChange = 60 + nextGap(rnd);
    int changes = 0;

    int n = (int) ticks;
    float[][] rows = new float[n][];
    boolean[] violated = new boolean[n];
    long violatedTicks = 0;
    for (int t = 0; t < n; t++) {
      if (t > 0) {
        platform.advance();
      }
      TelemetrySnapshot s = platform.observe(PIPELINE);
      rows[t] = features.observe(s, sla);
      violated[t] = platform.truth(PIPELINE).slaViolated(sla);
      if (violated[t]) {
        violatedTicks++;
      }
      boolean faulty = repairer.onTick(platform, s, t);
      if (ds2 != null) {
        if (pending != null && t >= applyAt) {
          apply(platform, pending, s.config());
          pending = null;
        }
        Optional<Proposal> p =
            ds2.evaluate(s, sla, new ProposalHistory(lastProposalTick, pending != null))
                .proposal();
        if (p.isPresent() && pending == null) {
          lastProposalTick = t;
          if (reactionDelay == 0) {
            apply(platform, p.get(), s.config());
          } else {
            pending = p.get();
            applyAt = t + reactionDelay;
          }
        }
      }
      if (t >= nextChange) {
        nextChange = t + nextGap(rnd);
        if (!faulty) {
          DetectorData.change(platform, s, rnd, "c-" + (++changes));
        }
      }
      tickDone.run();
    }
    boolean[] labels = ViolationLabels.label(violated, ViolationLabels.HORIZON);
    int from = Math.min(WARMUP_TICKS, labels.length);
    float[][] f = new float[labels.length - from][];
    boolean[] l = new boolean[labels.length - from];
    System.arraycopy(rows, from, f, 0, f.length);
    System.arraycopy(labels, from, l, 0, l.length);
    boolean[] m = new boolean[l.length];
    Arrays.fill(m, managed);
    Samples partial = new Samples(f, l, m, violatedTicks, ticks, List.of());
    String line =
        String.format(
            Locale.ROOT,
            "seed %d days %d-%d %s: %d samples, positive rate %.4f",
            run.seed(),
            run.startDay(),
            run.startDay() + run.days() - 1,
            managed ? "DS2 delay " + reactionDelay : "unmanaged",
            partial.size(),
            partial.positiveRate());
    return new Samples(f, l, m, violatedTicks, ticks, List.of(line));
  }

  private static void apply(SimulatedPlatform platform, Proposal p, PipelineConfig current) {
    try {
      platform.apply(PIPELINE, p.action().targetConfig(current));
    } catch (PlatformException | IllegalArgumentException e) {
      // rejected (for example more TaskManagers than the cluster holds): like a failed proposal
    }
  }

  private static long nextGap(SplittableRandom rnd) {
    return 60 + (long) (-Math.log(1 - rnd.nextDouble()) * (MEAN_CHANGE_GAP_TICKS - 60));
  }
}
