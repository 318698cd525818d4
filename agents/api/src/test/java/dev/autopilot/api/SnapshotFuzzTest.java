package dev.autopilot.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.SnapshotValidator.Reason;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Telemetry fuzz (issue 8): corrupted and adversarial snapshots through {@link
 * SnapshotValidator#validate}. No exception escapes, every snapshot carrying a defect is rejected
 * with a reason (one of the defects' reasons), and every snapshot without one is accepted, however
 * large, extreme or reordered.
 *
 * <p>Each case starts from a healthy snapshot, applies harmless mutations (huge but finite values,
 * zeros, declared-absent fields, thousands of TaskManagers or operators, shuffled order, a stopped
 * job without TaskManagers, far-future ticks), then zero to three defects (NaN, ±Inf, negatives,
 * missing sections and operators, duplicated and out-of-order ticks, unknown pipelines, duplicate
 * or nameless entries, short metric vectors, unknown absent names, unrunnable configurations). The
 * generator knows which defects it planted: that is the oracle. Seeded, so deterministic.
 */
class SnapshotFuzzTest {
  private static final String PIPELINE = "p1";
  private static final Set<String> KNOWN = Set.of(PIPELINE, "p2", "p3");
  private static final TelemetrySnapshot BASE = Snapshots.healthy(PIPELINE, 100);

  /** A case: the snapshot, the last accepted tick, and the reasons of the planted defects. */
  record Case(TelemetrySnapshot snapshot, long lastAccepted, Set<Reason> defects, String story) {
    @Override
    public String toString() {
      return story;
    }
  }

  @Property(tries = 100_000, seed = "42")
  void noCrashEveryDefectRejectedEveryCleanSnapshotAccepted(@ForAll("cases") Case c) {
    Optional<SnapshotValidator.Rejection> r =
        SnapshotValidator.validate(c.snapshot(), KNOWN, c.lastAccepted());
    Statistics.label("outcome").collect(r.map(x -> x.reason().name()).orElse("ACCEPTED"));
    if (c.defects().isEmpty()) {
      assertTrue(r.isEmpty(), () -> "clean snapshot rejected: " + r.get() + " / " + c.story());
      return;
    }
    assertTrue(r.isPresent(), () -> "defective snapshot accepted: " + c.story());
    assertFalse(r.get().message() == null || r.get().message().isBlank());
    assertTrue(
        c.defects().contains(r.get().reason()),
        () -> r.get() + " is not among the planted " + c.defects() + ": " + c.story());
  }

  @Provide
  Arbitrary<Case> cases() {
    return Arbitraries.randomValue(SnapshotFuzzTest::generate);
  }

  /** Mutable parts of a snapshot under construction. */
  private static final class Draft {
    String pipelineId = BASE.pipelineId();
    long tick = BASE.tick();
    long eventTime = BASE.eventTimeMillis();
    List<TaskManagerMetrics> tms = new ArrayList<>(BASE.taskManagers());
    List<OperatorMetrics> ops = new ArrayList<>(BASE.operators());
    CheckpointMetrics cp = BASE.checkpoints();
    JobMetrics job = BASE.job();
    PipelineConfig config = BASE.config();
    long last = BASE.tick() - 1;
    final Set<Reason> defects = EnumSet.noneOf(Reason.class);
    final StringBuilder story = new StringBuilder();

    TelemetrySnapshot build() {
      return new TelemetrySnapshot(pipelineId, tick, eventTime, tms, ops, cp, job, config);
    }

    void plant(String what, Reason... reasons) {
      story.append(" defect:").append(what);
      defects.addAll(List.of(reasons));
    }
  }

  private static Case generate(Random r) {
    Draft d = new Draft();
    int harmless = r.nextInt(4);
    for (int i = 0; i < harmless; i++) {
      harmless(r, d);
    }
    int defects = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(3);
    for (int i = 0; i < defects; i++) {
      defect(r, d);
    }
    return new Case(d.build(), d.last, Set.copyOf(d.defects), d.story.toString().trim());
  }

  // ------------------------------------------------------------------ harmless mutations

  private static void harmless(Random r, Draft d) {
    switch (r.nextInt(8)) {
      case 0 -> {
        d.story.append(" ok:huge-tm-value");
        d.tms = replaceTm(r, d.tms, v -> v[r.nextInt(v.length)] = hugeOrZero(r));
      }
      case 1 -> {
        d.story.append(" ok:huge-op-and-job-values");
        if (!d.ops.isEmpty()) {
          int i = r.nextInt(d.ops.size());
          OperatorMetrics o = d.ops.get(i);
          d.ops.set(
              i,
              new OperatorMetrics(
                  o.operatorId(),
                  r.nextBoolean() ? Integer.MAX_VALUE : o.parallelism(),
                  hugeOrZero(r),
                  hugeOrZero(r),
                  o.busyTimeMsPerSecond(),
                  o.backPressuredTimeMsPerSecond(),
                  o.idleTimeMsPerSecond(),
                  hugeOrZero(r),
                  hugeOrZero(r),
                  o.absent()));
        }
        JobMetrics j = d.job;
        d.job =
            new JobMetrics(
                j.state(),
                hugeOrZero(r),
                hugeOrZero(r),
                hugeOrZero(r),
                Long.MAX_VALUE,
                Integer.MAX_VALUE,
                j.absent());
      }
      case 2 -> {
        d.story.append(" ok:declared-absent");
        d.tms =
            replaceTmAbsent(
                r, d.tms, List.of(Metric.all().get(r.nextInt(Metric.COUNT)).metricName()));
        JobMetrics j = d.job;
        d.job =
            new JobMetrics(
                j.state(),
                j.throughputPerSecond(),
                0,
                j.consumerLag(),
                j.restartsTotal(),
                j.runningTaskManagers(),
                List.of("latencyP99Ms", "consumerLag"));
      }
      case 3 -> {
        // Oversized payload: thousands of TaskManagers (values shared: only the ids differ).
        int n = 1_000 + r.nextInt(4_000);
        d.story.append(" ok:").append(n).append("-taskmanagers");
        List<TaskManagerMetrics> big = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          TaskManagerMetrics t =
              d.tms.isEmpty() ? BASE.taskManagers().get(0) : d.tms.get(i % d.tms.size());
          big.add(new TaskManagerMetrics("big-tm-" + i, t.nodeId(), t.values(), t.absent()));
        }
        d.tms = big;
      }
      case 4 -> {
        int n = 1_000 + r.nextInt(2_000);
        d.story.append(" ok:").append(n).append("-operators");
        List<OperatorMetrics> big = new ArrayList<>(n);
        Map<String, Integer> par = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          OperatorMetrics o = BASE.operators().get(i % BASE.operators().size());
          String id = "op-" + i;
          big.add(
              new OperatorMetrics(
                  id,
                  o.parallelism(),
                  o.recordsInPerSecond(),
                  o.recordsOutPerSecond(),
                  o.busyTimeMsPerSecond(),
                  o.backPressuredTimeMsPerSecond(),
                  o.idleTimeMsPerSecond(),
                  o.pendingRecords(),
                  o.stateSizeBytes()));
          par.put(id, o.parallelism());
        }
        d.ops = big;
        PipelineConfig c = BASE.config();
        d.config =
            new PipelineConfig(
                par,
                c.networkBufferMb(),
                c.checkpointIntervalSeconds(),
                c.taskManagers(),
                c.taskManagerCpu(),
                c.taskManagerMemoryGb(),
                c.slotsPerTaskManager());
      }
      case 5 -> {
        d.story.append(" ok:shuffled");
        Collections.shuffle(d.tms, r);
        Collections.shuffle(d.ops, r);
      }
      case 6 -> {
        // A job being restarted may have no TaskManager registered.
        JobMetrics.JobState s =
            List.of(
                    JobMetrics.JobState.RESTARTING,
                    JobMetrics.JobState.FAILING,
                    JobMetrics.JobState.FAILED,
                    JobMetrics.JobState.CANCELED)
                .get(r.nextInt(4));
        d.story.append(" ok:").append(s).append("-without-taskmanagers");
        d.tms = new ArrayList<>();
        JobMetrics j = d.job;
        d.job =
            new JobMetrics(
                s,
                j.throughputPerSecond(),
                j.latencyP99Ms(),
                j.consumerLag(),
                j.restartsTotal(),
                0,
                j.absent());
      }
      default -> {
        d.story.append(" ok:tick-jump");
        d.last = r.nextBoolean() ? Long.MIN_VALUE : r.nextLong(Long.MAX_VALUE / 2);
        d.tick = d.last == Long.MIN_VALUE ? r.nextLong() : d.last + 1 + r.nextLong(1_000_000);
        d.pipelineId = r.nextBoolean() ? d.pipelineId : "p3";
      }
    }
  }

  // ------------------------------------------------------------------ defects

  private static void defect(Random r, Draft d) {
    switch (r.nextInt(20)) {
      case 0 -> {
        d.plant("no-pipeline-id", Reason.MALFORMED);
        d.pipelineId = r.nextBoolean() ? null : r.nextBoolean() ? "" : "  ";
      }
      case 1 -> {
        d.plant("unknown-pipeline", Reason.UNKNOWN_PIPELINE);
        d.pipelineId = "ghost-" + r.nextInt(1_000_000);
      }
      case 2 -> {
        // A duplicated tick (equal) or an out-of-order one (earlier).
        d.plant("stale-tick", Reason.OUT_OF_ORDER_TICK);
        long back = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(1_000);
        d.last = d.tick + (r.nextInt(10) == 0 ? Long.MAX_VALUE - d.tick : back);
        if (d.last < d.tick) { // overflowed: pin the last accepted tick to the maximum
          d.last = Long.MAX_VALUE;
        }
      }
      case 3 -> {
        d.plant("negative-event-time", Reason.NEGATIVE_METRIC);
        d.eventTime = r.nextBoolean() ? -1 : Long.MIN_VALUE;
      }
      case 4 -> {
        d.plant("missing-section", Reason.MISSING_METRIC);
        switch (r.nextInt(5)) {
          case 0 -> d.tms = null;
          case 1 -> d.ops = null;
          case 2 -> d.cp = null;
          case 3 -> d.job = null;
          default -> d.config = null;
        }
      }
      case 5 -> {
        d.plant("no-operators", Reason.MISSING_METRIC);
        d.ops = new ArrayList<>();
      }
      case 6 -> {
        d.plant("running-without-taskmanagers", Reason.MISSING_METRIC);
        d.tms = new ArrayList<>();
        JobMetrics j = d.job == null ? BASE.job() : d.job;
        d.job =
            new JobMetrics(
                JobMetrics.JobState.RUNNING,
                j.throughputPerSecond(),
                j.latencyP99Ms(),
                j.consumerLag(),
                j.restartsTotal(),
                j.runningTaskManagers(),
                j.absent());
      }
      case 7 -> {
        d.plant("nameless-or-duplicate-taskmanager", Reason.MALFORMED);
        List<TaskManagerMetrics> tms = tmsOrBase(d);
        TaskManagerMetrics t = tms.get(r.nextInt(tms.size()));
        tms.add(
            r.nextInt(3) == 0
                ? new TaskManagerMetrics(null, t.nodeId(), t.values(), t.absent())
                : r.nextBoolean()
                    ? new TaskManagerMetrics(t.taskManagerId(), null, t.values(), t.absent())
                    : t);
        Collections.shuffle(tms, r);
        d.tms = tms;
      }
      case 8 -> {
        d.plant("short-metric-vector", Reason.MISSING_METRIC);
        List<TaskManagerMetrics> tms = tmsOrBase(d);
        int i = r.nextInt(tms.size());
        TaskManagerMetrics t = tms.get(i);
        int len = List.of(0, Metric.COUNT - 1, Metric.COUNT + 1, -1).get(r.nextInt(4));
        double[] v = len < 0 ? null : new double[len];
        tms.set(i, new TaskManagerMetrics(t.taskManagerId(), t.nodeId(), v, t.absent()));
        d.tms = tms;
      }
      case 9 -> {
        d.plant("tm-absent-unknown", Reason.MALFORMED);
        d.tms = replaceTmAbsent(r, tmsOrBase(d), List.of("no_such_metric_" + r.nextInt(10)));
      }
      case 10 -> {
        double bad = bad(r);
        d.plant("tm-value-" + bad, reasonOf(bad));
        d.tms = replaceTm(r, tmsOrBase(d), v -> v[r.nextInt(v.length)] = bad);
      }
      case 11 -> {
        d.plant("nameless-or-duplicate-operator", Reason.MALFORMED);
        List<OperatorMetrics> ops = opsOrBase(d);
        OperatorMetrics o = ops.get(r.nextInt(ops.size()));
        ops.add(r.nextBoolean() ? o : op(o, null, o.parallelism(), -1, 0, o.absent()));
        Collections.shuffle(ops, r);
        d.ops = ops;
      }
      case 12 -> {
        d.plant("operator-parallelism-below-1", Reason.NEGATIVE_METRIC);
        List<OperatorMetrics> ops = opsOrBase(d);
        int i = r.nextInt(ops.size());
        OperatorMetrics o = ops.get(i);
        ops.set(
            i, op(o, o.operatorId(), r.nextBoolean() ? 0 : Integer.MIN_VALUE, -1, 0, o.absent()));
        d.ops = ops;
      }
      case 13 -> {
        d.plant("operator-absent-unknown", Reason.MALFORMED);
        List<OperatorMetrics> ops = opsOrBase(d);
        int i = r.nextInt(ops.size());
        OperatorMetrics o = ops.get(i);
        ops.set(i, op(o, o.operatorId(), o.parallelism(), -1, 0, List.of("latency")));
        d.ops = ops;
      }
      case 14 -> {
        double bad = bad(r);
        d.plant("operator-value-" + bad, reasonOf(bad));
        List<OperatorMetrics> ops = opsOrBase(d);
        int i = r.nextInt(ops.size());
        OperatorMetrics o = ops.get(i);
        ops.set(i, op(o, o.operatorId(), o.parallelism(), r.nextInt(7), bad, o.absent()));
        d.ops = ops;
      }
      case 15 -> {
        CheckpointMetrics c = BASE.checkpoints();
        if (r.nextBoolean()) {
          double bad = bad(r);
          d.plant("checkpoint-value-" + bad, reasonOf(bad));
          d.cp =
              r.nextBoolean()
                  ? new CheckpointMetrics(
                      bad,
                      c.lastSizeBytes(),
                      c.completedTotal(),
                      c.failedTotal(),
                      c.inProgress(),
                      c.lastRestoredCheckpointId())
                  : new CheckpointMetrics(
                      c.lastDurationMs(),
                      bad,
                      c.completedTotal(),
                      c.failedTotal(),
                      c.inProgress(),
                      c.lastRestoredCheckpointId());
        } else {
          d.plant("checkpoint-counter-negative", Reason.NEGATIVE_METRIC);
          long neg = r.nextBoolean() ? -1 : Long.MIN_VALUE;
          d.cp =
              switch (r.nextInt(3)) {
                case 0 ->
                    new CheckpointMetrics(
                        c.lastDurationMs(),
                        c.lastSizeBytes(),
                        neg,
                        c.failedTotal(),
                        c.inProgress(),
                        c.lastRestoredCheckpointId());
                case 1 ->
                    new CheckpointMetrics(
                        c.lastDurationMs(),
                        c.lastSizeBytes(),
                        c.completedTotal(),
                        neg,
                        c.inProgress(),
                        c.lastRestoredCheckpointId());
                default ->
                    new CheckpointMetrics(
                        c.lastDurationMs(),
                        c.lastSizeBytes(),
                        c.completedTotal(),
                        c.failedTotal(),
                        -1,
                        c.lastRestoredCheckpointId());
              };
        }
      }
      case 16 -> {
        JobMetrics j = d.job == null ? BASE.job() : d.job;
        switch (r.nextInt(4)) {
          case 0 -> {
            d.plant("job-state-missing", Reason.MISSING_METRIC);
            d.job =
                new JobMetrics(
                    null,
                    j.throughputPerSecond(),
                    j.latencyP99Ms(),
                    j.consumerLag(),
                    j.restartsTotal(),
                    j.runningTaskManagers(),
                    j.absent());
          }
          case 1 -> {
            d.plant("job-absent-unknown", Reason.MALFORMED);
            d.job =
                new JobMetrics(
                    j.state(),
                    j.throughputPerSecond(),
                    j.latencyP99Ms(),
                    j.consumerLag(),
                    j.restartsTotal(),
                    j.runningTaskManagers(),
                    List.of("lag"));
          }
          case 2 -> {
            double bad = bad(r);
            d.plant("job-value-" + bad, reasonOf(bad));
            d.job =
                switch (r.nextInt(3)) {
                  case 0 ->
                      new JobMetrics(
                          j.state(),
                          bad,
                          j.latencyP99Ms(),
                          j.consumerLag(),
                          j.restartsTotal(),
                          j.runningTaskManagers(),
                          j.absent());
                  case 1 ->
                      new JobMetrics(
                          j.state(),
                          j.throughputPerSecond(),
                          bad,
                          j.consumerLag(),
                          j.restartsTotal(),
                          j.runningTaskManagers(),
                          j.absent());
                  default ->
                      new JobMetrics(
                          j.state(),
                          j.throughputPerSecond(),
                          j.latencyP99Ms(),
                          bad,
                          j.restartsTotal(),
                          j.runningTaskManagers(),
                          j.absent());
                };
          }
          default -> {
            d.plant("job-counter-negative", Reason.NEGATIVE_METRIC);
            d.job =
                r.nextBoolean()
                    ? new JobMetrics(
                        j.state(),
                        j.throughputPerSecond(),
                        j.latencyP99Ms(),
                        j.consumerLag(),
                        -1,
                        j.runningTaskManagers(),
                        j.absent())
                    : new JobMetrics(
                        j.state(),
                        j.throughputPerSecond(),
                        j.latencyP99Ms(),
                        j.consumerLag(),
                        j.restartsTotal(),
                        Integer.MIN_VALUE,
                        j.absent());
          }
        }
      }
      default -> {
        d.plant("unrunnable-config", Reason.INVALID_CONFIG);
        PipelineConfig c = BASE.config();
        d.config =
            switch (r.nextInt(6)) {
              case 0 -> new PipelineConfig(Map.of(), 32, 30, 8, 4, 16, 4);
              case 1 -> c.withTaskManagers(r.nextBoolean() ? 0 : -5);
              case 2 -> c.withResources(r.nextBoolean() ? Double.NaN : -1, 16);
              case 3 -> c.withResources(4, Double.POSITIVE_INFINITY);
              case 4 -> c.withNetworkBufferMb(0);
              default -> c.withParallelism(Map.of("source", 10_000)); // more slots than offered
            };
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static List<TaskManagerMetrics> tmsOrBase(Draft d) {
    return new ArrayList<>(d.tms == null || d.tms.isEmpty() ? BASE.taskManagers() : d.tms);
  }

  private static List<OperatorMetrics> opsOrBase(Draft d) {
    return new ArrayList<>(d.ops == null || d.ops.isEmpty() ? BASE.operators() : d.ops);
  }

  private interface VectorEdit {
    void edit(double[] v);
  }

  /** Copies one TaskManager's vector (the draft shares arrays) and edits the copy. */
  private static List<TaskManagerMetrics> replaceTm(
      Random r, List<TaskManagerMetrics> in, VectorEdit edit) {
    List<TaskManagerMetrics> tms = new ArrayList<>(in);
    if (tms.isEmpty()) {
      return tms;
    }
    int i = r.nextInt(tms.size());
    TaskManagerMetrics t = tms.get(i);
    if (t.values() == null || t.values().length != Metric.COUNT) {
      return tms;
    }
    double[] v = t.values().clone();
    edit.edit(v);
    tms.set(i, new TaskManagerMetrics(t.taskManagerId(), t.nodeId(), v, t.absent()));
    return tms;
  }

  private static List<TaskManagerMetrics> replaceTmAbsent(
      Random r, List<TaskManagerMetrics> in, List<String> absent) {
    List<TaskManagerMetrics> tms = new ArrayList<>(in);
    if (tms.isEmpty()) {
      return tms;
    }
    int i = r.nextInt(tms.size());
    TaskManagerMetrics t = tms.get(i);
    tms.set(i, new TaskManagerMetrics(t.taskManagerId(), t.nodeId(), t.values(), absent));
    return tms;
  }

  /** A copy of {@code o}; field {@code field} (0–6, -1 for none) set to {@code value}. */
  private static OperatorMetrics op(
      OperatorMetrics o, String id, int parallelism, int field, double value, List<String> absent) {
    double[] f = {
      o.recordsInPerSecond(), o.recordsOutPerSecond(), o.busyTimeMsPerSecond(),
      o.backPressuredTimeMsPerSecond(), o.idleTimeMsPerSecond(), o.pendingRecords(),
      o.stateSizeBytes()
    };
    if (field >= 0) {
      f[field] = value;
    }
    return new OperatorMetrics(id, parallelism, f[0], f[1], f[2], f[3], f[4], f[5], f[6], absent);
  }

  private static double hugeOrZero(Random r) {
    return switch (r.nextInt(4)) {
      case 0 -> Double.MAX_VALUE;
      case 1 -> 1e300;
      case 2 -> Double.MIN_VALUE;
      default -> 0.0;
    };
  }

  private static double bad(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> Double.NaN;
      case 1 -> Double.POSITIVE_INFINITY;
      case 2 -> Double.NEGATIVE_INFINITY;
      case 3 -> -Double.MAX_VALUE;
      default -> -r.nextDouble() * 1e6 - Double.MIN_VALUE;
    };
  }

  private static Reason reasonOf(double bad) {
    return Double.isNaN(bad)
        ? Reason.NAN_METRIC
        : Double.isInfinite(bad) ? Reason.INFINITE_METRIC : Reason.NEGATIVE_METRIC;
  }
}
