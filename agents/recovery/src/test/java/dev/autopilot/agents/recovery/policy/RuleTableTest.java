package dev.autopilot.agents.recovery.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.Metric;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class RuleTableTest {
  private static final int HEALTHY_TICKS = 30;

  private final RecoverySettings settings = Signatures.settings();

  private record Run(Symptoms symptoms, RuleTable.Diagnosis diagnosis) {}

  private Run run(FailureMode mode, long seed) {
    DetectorBank bank = new DetectorBank(settings);
    SymptomExtractor extractor = new SymptomExtractor(settings);
    RuleTable table = new RuleTable(settings);
    Random rnd = new Random(seed);
    Symptoms symptoms = null;
    long tick = 0;
    for (; tick < HEALTHY_TICKS; tick++) {
      TelemetrySnapshot s = Signatures.healthy(tick, rnd);
      bank.update(s, true);
      symptoms = extractor.extract(s, bank);
    }
    int n = mode == null ? 8 : Signatures.faultTicks(mode);
    for (int k = 0; k < n; k++, tick++) {
      TelemetrySnapshot s =
          mode == null ? Signatures.loadSurge(tick, k, rnd) : Signatures.fault(mode, tick, k, rnd);
      bank.update(s, true);
      symptoms = extractor.extract(s, bank);
    }
    return new Run(symptoms, table.diagnose(symptoms));
  }

  @ParameterizedTest
  @EnumSource(FailureMode.class)
  void ranksTheInjectedCauseFirst(FailureMode mode) {
    Run r = run(mode, 7L + mode.ordinal());
    RuleTable.RankedCause top = r.diagnosis().top();
    assertTrue(top != null, mode + ": no cause matched; symptoms " + r.symptoms().present(0.1));
    assertEquals(
        mode,
        top.cause(),
        "ranking " + r.diagnosis().ranked() + "\nsymptoms " + r.symptoms().present(0.1));
    assertTrue(
        top.score() >= settings.incident().openScore(), mode + " scores only " + top.score());
    assertFalse(top.evidence().isEmpty(), "evidence for " + mode);
    double shares = r.diagnosis().ranked().stream().mapToDouble(RuleTable.RankedCause::share).sum();
    assertEquals(1.0, shares, 1e-9);
  }

  @ParameterizedTest
  @EnumSource(
      value = FailureMode.class,
      names = {
        "TASK_CRASH",
        "BACKPRESSURE_DEADLOCK",
        "OPERATOR_BUG",
        "DATA_SKEW",
        "EXTERNAL_DEPENDENCY_FAILURE"
      })
  void pointsAtTheFaultyOperator(FailureMode mode) {
    String expected =
        switch (mode) {
          case TASK_CRASH -> Signatures.CRASH_OP;
          case BACKPRESSURE_DEADLOCK -> Signatures.STUCK_OP;
          case OPERATOR_BUG -> Signatures.BUG_OP;
          case DATA_SKEW -> Signatures.SKEW_OP;
          default -> Signatures.EXT_OP;
        };
    assertEquals(expected, run(mode, 11L).diagnosis().top().operator());
  }

  @ParameterizedTest
  @EnumSource(
      value = FailureMode.class,
      names = {
        "NETWORK_PARTITION",
        "DISK_FULL",
        "MEMORY_LEAK",
        "CPU_SATURATION",
        "INFRASTRUCTURE_FAILURE"
      })
  void pointsAtTheFaultyNode(FailureMode mode) {
    String expected =
        switch (mode) {
          case NETWORK_PARTITION -> Signatures.PARTITION_NODE;
          case DISK_FULL -> Signatures.DISK_NODE;
          case MEMORY_LEAK -> Signatures.LEAK_NODE;
          case CPU_SATURATION -> Signatures.CPU_NODE;
          default -> Signatures.LOST_NODE;
        };
    assertEquals(expected, run(mode, 13L).diagnosis().top().node());
  }

  @ParameterizedTest
  @EnumSource(
      value = FailureMode.class,
      names = {"NETWORK_PARTITION", "DISK_FULL"})
  void aCascadeIntoCheckpointTimeoutsIsBlamedOnItsRootCause(FailureMode root) {
    DetectorBank bank = new DetectorBank(settings);
    SymptomExtractor extractor = new SymptomExtractor(settings);
    RuleTable table = new RuleTable(settings);
    Random rnd = new Random(17);
    long tick = 0;
    for (; tick < HEALTHY_TICKS; tick++) {
      bank.update(Signatures.healthy(tick, rnd), true);
    }
    Symptoms symptoms = null;
    for (int k = 0; k < 8; k++, tick++) {
      TelemetrySnapshot rootCause = Signatures.fault(root, tick, k, rnd);
      TelemetrySnapshot timeout = Signatures.fault(FailureMode.CHECKPOINT_TIMEOUT, tick, k, rnd);
      TelemetrySnapshot both =
          Signatures.withCheckpoints(
              rootCause,
              timeout.checkpoints().lastDurationMs(),
              timeout.checkpoints().failedTotal(),
              -1);
      bank.update(both, true);
      symptoms = extractor.extract(both, bank);
    }
    RuleTable.Diagnosis d = table.diagnose(symptoms);
    assertEquals(root, d.top().cause(), d.ranked().toString());
    assertTrue(d.scoreOf(FailureMode.CHECKPOINT_TIMEOUT) < d.topScore() / 2, d.ranked().toString());
  }

  /**
   * Checkpoints that outlive their interval, fail and wait on alignment while every node's CPU is
   * busy: the load explains slow records, not failing checkpoints, so the cause is still the
   * checkpoint timeout, at a score that opens an incident.
   */
  @ParameterizedTest
  @ValueSource(doubles = {0.5, 0.9, 0.96, 1.0})
  void checkpointTimeoutUnderClusterWideCpuLoadIsACheckpointTimeout(double cpuLoad) {
    DetectorBank bank = new DetectorBank(settings);
    SymptomExtractor extractor = new SymptomExtractor(settings);
    RuleTable table = new RuleTable(settings);
    Random rnd = new Random(11);
    long tick = 0;
    for (; tick < HEALTHY_TICKS; tick++) {
      TelemetrySnapshot s = Signatures.healthy(tick, rnd);
      bank.update(s, true);
      extractor.extract(s, bank);
    }
    double intervalMs = 1000.0 * Snapshots.defaultConfig().checkpointIntervalSeconds();
    Symptoms symptoms = null;
    for (int k = 0; k < 8; k++, tick++) {
      double x = Math.min(1.0, (k + 1) / 4.0);
      TelemetrySnapshot s =
          Snapshots.builder(Signatures.PIPELINE, tick)
              .throughput(500_000 * (1 + 0.02 * rnd.nextGaussian()))
              .latencyP99(120 + 59_000 * x)
              .busy(0.9)
              .backPressure(0.5 * x)
              .checkpointMs(2_000 + (0.98 * intervalMs - 2_000) * x)
              .checkpointFailures(k + 1)
              .tm(Metric.CP_ALIGNMENT, 8_000 * x)
              .tm(Metric.CP_START_DELAY, 5_000 * x)
              .tm(Metric.CPU_LOAD, cpuLoad)
              .tm(Metric.THREADS, 200)
              .tm(Metric.EXT_LATENCY, 20)
              .tm(Metric.FILE_DESCRIPTORS_RATIO, 0.3)
              .build();
      bank.update(s, true);
      symptoms = extractor.extract(s, bank);
    }
    if (cpuLoad >= 0.96) {
      assertTrue(
          symptoms.strength(Symptom.CPU_SATURATED_CLUSTER) > 0.5,
          "the load is seen as cluster-wide: " + symptoms.present(0.1));
    }
    RuleTable.Diagnosis d = table.diagnose(symptoms);
    assertEquals(
        FailureMode.CHECKPOINT_TIMEOUT,
        d.top() == null ? null : d.top().cause(),
        d.ranked() + "\nsymptoms " + symptoms.present(0.1));
    assertTrue(
        d.topScore() >= settings.incident().openScore(),
        "checkpoint timeout scores only " + d.topScore());
  }

  /**
   * A checkpoint that outlives its timeout fails once per timeout, further apart than the
   * event-hold window; until a checkpoint completes its failures still count.
   */
  @Test
  void aStuckCheckpointKeepsFailingBetweenItsTimeoutsUntilOneCompletes() {
    DetectorBank bank = new DetectorBank(settings);
    SymptomExtractor extractor = new SymptomExtractor(settings);
    Random rnd = new Random(13);
    long tick = 0;
    for (; tick < HEALTHY_TICKS; tick++) {
      TelemetrySnapshot s = Signatures.healthy(tick, rnd);
      bank.update(s, true);
      extractor.extract(s, bank);
    }
    int hold = settings.symptoms().eventHoldTicks();
    long completed = Signatures.healthy(tick, rnd).checkpoints().completedTotal();
    long failed = 0;
    for (int k = 0; k < 4 * (hold + 2); k++, tick++) {
      if (k % (hold + 2) == 0) {
        failed++;
      }
      TelemetrySnapshot s = stuckCheckpoint(Signatures.healthy(tick, rnd), completed, failed);
      bank.update(s, true);
      Symptoms symptoms = extractor.extract(s, bank);
      assertTrue(
          symptoms.strength(Symptom.CHECKPOINT_FAILING) >= settings.rules().requiredMin(),
          "fault tick " + k + ": " + symptoms.finding(Symptom.CHECKPOINT_FAILING));
    }
    Symptoms after = null;
    for (int k = 0; k < hold; k++, tick++) {
      TelemetrySnapshot s = Signatures.healthy(tick, rnd);
      bank.update(s, true);
      after = extractor.extract(s, bank);
    }
    assertEquals(0.0, after.strength(Symptom.CHECKPOINT_FAILING), after.present(0.0).toString());
  }

  private static TelemetrySnapshot stuckCheckpoint(
      TelemetrySnapshot s, long completed, long failed) {
    CheckpointMetrics c = s.checkpoints();
    return new TelemetrySnapshot(
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        new CheckpointMetrics(
            90_000, c.lastSizeBytes(), completed, failed, 1, c.lastRestoredCheckpointId()),
        s.job(),
        s.config());
  }

  @Test
  void clusterWideLoadSurgeIsNoRecoveryIncident() {
    Run r = run(null, 5L);
    assertTrue(
        r.symptoms().strength(Symptom.CPU_SATURATED_CLUSTER) > 0.5,
        "the surge is seen as cluster-wide");
    assertEquals(0.0, r.symptoms().strength(Symptom.CPU_SATURATED));
    assertTrue(
        r.diagnosis().topScore() < settings.incident().openScore(),
        "surge diagnosed as " + r.diagnosis().ranked());
  }

  @Test
  void healthyTelemetryMatchesNothing() {
    DetectorBank bank = new DetectorBank(settings);
    SymptomExtractor extractor = new SymptomExtractor(settings);
    RuleTable table = new RuleTable(settings);
    Random rnd = new Random(3);
    double worst = 0;
    for (long tick = 0; tick < 200; tick++) {
      TelemetrySnapshot s = Signatures.healthy(tick, rnd);
      bank.update(s, true);
      worst = Math.max(worst, table.diagnose(extractor.extract(s, bank)).topScore());
    }
    assertTrue(worst < settings.incident().healthyScore(), "healthy telemetry scored " + worst);
  }

  @Test
  void everyFailureModeHasExactlyOneRule() {
    RuleTable table = new RuleTable(settings);
    assertEquals(FailureMode.values().length, table.rules().size());
    assertEquals(
        FailureMode.values().length,
        table.rules().stream().map(RuleTable.Rule::cause).distinct().count());
  }
}
