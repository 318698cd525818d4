package dev.autopilot.runtime.train;

import dev.autopilot.agents.recovery.diagnosis.Observation;
import dev.autopilot.agents.recovery.policy.DetectorBank;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.RuleTable;
import dev.autopilot.agents.recovery.policy.SymptomExtractor;
import dev.autopilot.agents.recovery.policy.Symptoms;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.Fault;
import dev.autopilot.runtime.sim.FaultCatalogue;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.GeneratedWorkload;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled incidents for root-cause learning: each incident is a fresh {@link SimulatedPlatform}
 * run (own seed, own time of day) in which one fault of a known mode is injected, optionally as a
 * cascade, with nobody repairing it. The recovery agent's own {@link DetectorBank} and {@link
 * SymptomExtractor} read the telemetry exactly as the agent does (baselines learn until the
 * incident is detected, then freeze), and the symptoms are recorded at detection time and at a few
 * later ticks, labelled with the injected (root) mode. Healthy ticks before the fault are recorded
 * too, labelled with no mode.
 *
 * <p>Detection follows the agent's rule for opening an incident: the first tick after the injection
 * that ends {@code open-consecutive-ticks} anomalous ticks in a row, a tick being anomalous when a
 * detector alarmed recently and some symptom other than {@code RECENT_RESTART} is at least {@code
 * detectStrength} strong. An incident not detected within {@code maxWaitTicks} is recorded at that
 * tick instead (and counted).
 */
public final class IncidentGenerator {

  /**
   * Generator knobs.
   *
   * @param minLeadTicks ticks the detectors see before the injection, lower bound (≥ warm-up)
   * @param maxLeadTicks upper bound
   * @param detectStrength symptom strength that counts as detection
   * @param maxWaitTicks give up waiting for detection after this many ticks
   * @param laterOffsets ticks after detection at which more samples are taken
   * @param healthySamples healthy samples per incident, taken before the injection
   * @param maxStartTick the run starts observing at a tick drawn below this (0: anywhere in the
   *     day, so incidents meet every load level)
   * @param severityJitter each incident's faults are made milder by a fraction drawn uniformly in
   *     [0, severityJitter] (see {@link #milder}), so the network learns faults of every severity
   *     rather than the simulator's one setting; 0 keeps the configured severities
   */
  public record Settings(
      int minLeadTicks,
      int maxLeadTicks,
      double detectStrength,
      int maxWaitTicks,
      int[] laterOffsets,
      int healthySamples,
      long maxStartTick,
      double severityJitter) {

    /** The defaults used by training and evaluation. */
    public static Settings defaults() {
      return new Settings(80, 160, 0.5, 90, new int[] {2, 5, 10, 20, 40, 80, 160}, 1, 0, 0.5);
    }
  }

  /**
   * One recorded tick.
   *
   * @param label the true root cause, or null for a healthy tick
   * @param ticksAfterInjection ticks since the injection (negative for healthy samples)
   * @param atDetection whether this is the incident's detection-time sample
   * @param symptoms the symptoms the agent extracted
   * @param observation what the root-cause network observes (symptoms and extras)
   * @param jobState the job state of that tick
   * @param rules the rule table's diagnosis of those symptoms (the baseline)
   */
  public record Sample(
      FailureMode label,
      int ticksAfterInjection,
      boolean atDetection,
      Symptoms symptoms,
      Observation observation,
      JobMetrics.JobState jobState,
      RuleTable.Diagnosis rules) {}

  /**
   * One incident.
   *
   * @param id incident id
   * @param mode the injected root cause
   * @param cascade whether it was injected as a cascade
   * @param seed the simulator seed
   * @param detectionDelay ticks from injection to detection
   * @param detected whether detection happened within the wait
   * @param childModes the modes of the cascade children that appeared while it was sampled
   * @param samples healthy samples first, then the incident's samples
   */
  public record Incident(
      String id,
      FailureMode mode,
      boolean cascade,
      long seed,
      int detectionDelay,
      boolean detected,
      List<FailureMode> childModes,
      List<Sample> samples) {}

  private final SimSettings sim;
  private final RecoverySettings recovery;
  private final Settings settings;

  public IncidentGenerator(SimSettings sim, RecoverySettings recovery, Settings settings) {
    this.sim = sim;
    this.recovery = recovery;
    this.settings = settings;
  }

  /** Whether a mode has a cascade child in the simulator's catalogue. */
  public static boolean cascades(FailureMode mode) {
    return FaultCatalogue.entry(mode).cascadesTo() != null;
  }

  /**
   * Generates {@code perMode} incidents of every mode; for modes that cascade, every other one is a
   * cascade (a memory leak always cascades into a crash when left alone).
   *
   * @param seed the split's seed; incident seeds derive from it
   */
  public List<Incident> generate(int perMode, long seed, ProgressListener progress) {
    SplittableRandom rnd = new SplittableRandom(seed);
    List<Incident> out = new ArrayList<>();
    int total = perMode * FailureMode.values().length;
    int done = 0;
    for (int k = 0; k < perMode; k++) {
      for (FailureMode mode : FailureMode.values()) {
        boolean cascade = cascades(mode) && (mode == FailureMode.MEMORY_LEAK || k % 2 == 1);
        long s = rnd.nextLong();
        Incident inc = null;
        // a node fault needs a node that hosts the pipeline; retry with another seed if not
        for (int attempt = 0; inc == null && attempt < 5; attempt++) {
          inc = incident(mode.name().toLowerCase() + "-" + k, mode, cascade, s);
          s = rnd.nextLong();
        }
        if (inc != null) {
          out.add(inc);
        }
        progress.onProgress(++done, total);
      }
    }
    return out;
  }

  /**
   * The simulator settings with every fault {@code mildness} (0..1) of the way to harmless: the
   * capacity a fault leaves (skewed operator, degraded TaskManager, noisy neighbour, crashed
   * operator, external dependency, misconfiguration) moves that far towards full, an operator bug
   * drops that much fewer records, and signatures ramp in and leaks fill that much more slowly (up
   * to three times).
   */
  public static SimSettings milder(SimSettings sim, double mildness) {
    if (mildness == 0) {
      return sim;
    }
    SimSettings.FaultSettings f = sim.faults();
    double slow = 1 + 2 * mildness;
    SimSettings.FaultSettings mild =
        new SimSettings.FaultSettings(
            f.count(),
            f.cascadeShare(),
            f.firstFaultHours(),
            (int) Math.round(f.rampTicks() * slow),
            f.cascadeDelayTicks(),
            f.networkHealMinutes(),
            f.externalHealMinutes(),
            new SimSettings.Range(
                f.leakFillMinutes().min() * slow, f.leakFillMinutes().max() * slow),
            towardsOne(f.skewCapacityShare(), mildness),
            towardsOne(f.degradedSpeed(), mildness),
            towardsOne(f.noisyNeighbourCpuShare(), mildness),
            towardsOne(f.crashAliveShare(), mildness),
            f.bugDropShare() * (1 - mildness),
            towardsOne(f.externalSpeed(), mildness),
            towardsOne(f.misconfigSpeed(), mildness),
            f.misconfigBufferMb(),
            f.nodeLossTicks(),
            f.signature());
    return new SimSettings(
        sim.tickSeconds(),
        sim.startEpochMillis(),
        sim.cluster(),
        sim.taskManager(),
        sim.operators(),
        sim.latency(),
        sim.checkpoint(),
        sim.storage(),
        sim.actions(),
        sim.initialConfig(),
        sim.workload(),
        mild,
        sim.telemetryNoise());
  }

  private static double towardsOne(double x, double mildness) {
    return x + (1 - x) * mildness;
  }

  /** One incident, or null when the fault could not be injected (no target). */
  public Incident incident(String id, FailureMode mode, boolean cascade, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SimSettings sim =
        settings.severityJitter() > 0
            ? milder(this.sim, rnd.nextDouble() * settings.severityJitter())
            : this.sim;
    long ticks = sim.ticksPerDay();
    long lead =
        settings.minLeadTicks()
            + rnd.nextInt(settings.maxLeadTicks() - settings.minLeadTicks() + 1);
    long horizon = lead + settings.maxWaitTicks() + maxOffset() + 5;
    long bound = settings.maxStartTick() > 0 ? settings.maxStartTick() : ticks - horizon - 1;
    long start = rnd.nextLong(Math.max(1, Math.min(bound, ticks - horizon - 1)));
    Scenario scenario =
        new Scenario(
            seed,
            1,
            List.of("p1"),
            new GeneratedWorkload(
                sim.workload(), seed, ticks, sim.tickSeconds(), sim.startEpochMillis()),
            FaultSchedule.none());
    SimulatedPlatform platform = new SimulatedPlatform(sim, scenario);
    while (platform.currentTick() < start) {
      platform.advance();
    }
    DetectorBank bank = new DetectorBank(recovery);
    SymptomExtractor extractor = new SymptomExtractor(recovery);
    RuleTable rules = new RuleTable(recovery);
    List<Sample> samples = new ArrayList<>();
    // healthy lead-in; healthy samples from its second half
    List<Long> healthyAt = new ArrayList<>();
    for (int h = 0; h < settings.healthySamples(); h++) {
      healthyAt.add(lead / 2 + rnd.nextLong(lead / 2));
    }
    for (long t = 0; t < lead; t++) {
      TelemetrySnapshot s = platform.observe("p1");
      bank.update(s, true);
      if (healthyAt.contains(t)) {
        Symptoms sy = extractor.extract(s, bank);
        samples.add(sample(null, (int) (t - lead), false, sy, s, bank, rules));
      }
      platform.advance();
    }
    try {
      if (cascade) {
        platform.injectCascade("p1", mode, null);
      } else {
        platform.inject("p1", mode, null);
      }
    } catch (PlatformException e) {
      return null;
    }
    int detectedAt = -1;
    int anomalous = 0;
    boolean detected = false;
    int last = settings.maxWaitTicks() + maxOffset();
    for (int k = 0; k <= last; k++) {
      platform.advance();
      if (k > 0 && rootResolved(platform)) {
        break;
      }
      TelemetrySnapshot s = platform.observe("p1");
      bank.update(s, detectedAt < 0);
      Symptoms sy = extractor.extract(s, bank);
      if (detectedAt < 0) {
        boolean alarm = bank.anyAlarmWithin(recovery.detector().alarmMemoryTicks());
        anomalous = alarm && strongest(sy) >= settings.detectStrength() ? anomalous + 1 : 0;
        if (anomalous >= recovery.incident().openConsecutiveTicks()) {
          detectedAt = k;
          detected = true;
        } else if (k >= settings.maxWaitTicks()) {
          detectedAt = k;
        }
        if (detectedAt >= 0) {
          samples.add(sample(mode, k, true, sy, s, bank, rules));
        }
      } else {
        for (int off : settings.laterOffsets()) {
          if (k == detectedAt + off) {
            samples.add(sample(mode, k, false, sy, s, bank, rules));
          }
        }
      }
    }
    List<FailureMode> children = new ArrayList<>();
    for (Fault f : platform.faults()) {
      if (f.parentId() != null) {
        children.add(f.mode());
      }
    }
    return new Incident(id, mode, cascade, seed, detectedAt, detected, children, samples);
  }

  private Sample sample(
      FailureMode label,
      int k,
      boolean atDetection,
      Symptoms sy,
      TelemetrySnapshot s,
      DetectorBank bank,
      RuleTable rules) {
    return new Sample(
        label,
        k,
        atDetection,
        sy,
        Observation.of(sy, bank, recovery),
        s.job().state(),
        rules.diagnose(sy));
  }

  private boolean rootResolved(SimulatedPlatform platform) {
    // faults heal by themselves (network partition, external dependency); stop sampling then
    return platform.truth("p1").activeFaults().isEmpty();
  }

  private int maxOffset() {
    int m = 0;
    for (int o : settings.laterOffsets()) {
      m = Math.max(m, o);
    }
    return m;
  }

  private static double strongest(Symptoms sy) {
    double m = 0;
    for (Symptoms.Finding f : sy.findings().values()) {
      if (f.symptom() != dev.autopilot.agents.recovery.policy.Symptom.RECENT_RESTART) {
        m = Math.max(m, f.strength());
      }
    }
    return m;
  }
}
