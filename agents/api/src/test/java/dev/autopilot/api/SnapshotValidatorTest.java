package dev.autopilot.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.SnapshotValidator.Reason;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SnapshotValidatorTest {
  private static final Set<String> KNOWN = Set.of("p1");

  @Test
  void acceptsAHealthySnapshot() {
    assertTrue(SnapshotValidator.validate(Snapshots.healthy("p1", 5), KNOWN, 4).isEmpty());
  }

  @Test
  void acceptsDeclaredAbsentMetrics() {
    TelemetrySnapshot s = Snapshots.healthy("p1", 5);
    List<TaskManagerMetrics> tms = new ArrayList<>();
    for (TaskManagerMetrics tm : s.taskManagers()) {
      tms.add(new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), tm.values(), List.of("cpu_steal")));
    }
    assertTrue(SnapshotValidator.validate(with(s, tms), KNOWN, 4).isEmpty());
  }

  @Test
  void acceptsDeclaredAbsentOperatorAndJobFields() {
    TelemetrySnapshot s = Snapshots.healthy("p1", 5);
    OperatorMetrics src = s.operators().get(0);
    OperatorMetrics firstObservation =
        new OperatorMetrics(src.operatorId(), src.parallelism(), 0, 0, src.busyTimeMsPerSecond(),
            src.backPressuredTimeMsPerSecond(), src.idleTimeMsPerSecond(), src.pendingRecords(),
            src.stateSizeBytes(), List.of("recordsInPerSecond", "recordsOutPerSecond"));
    JobMetrics j = s.job();
    TelemetrySnapshot t =
        new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), s.taskManagers(),
            s.operators(), s.checkpoints(),
            new JobMetrics(j.state(), j.throughputPerSecond(), 0, j.consumerLag(), j.restartsTotal(),
                j.runningTaskManagers(), List.of("latencyP99Ms")),
            s.config());
    assertTrue(SnapshotValidator.validate(withOps(t, firstObservation), KNOWN, 4).isEmpty());
    assertTrue(firstObservation.isAbsent("recordsInPerSecond"));
    assertTrue(t.job().isAbsent("latencyP99Ms"));
  }

  static Stream<Arguments> corruptions() {
    return Stream.of(
        Arguments.of("unknown pipeline", (UnaryOperator<TelemetrySnapshot>) s -> rename(s, "nope"), Reason.UNKNOWN_PIPELINE),
        Arguments.of("null pipeline", (UnaryOperator<TelemetrySnapshot>) s -> rename(s, null), Reason.MALFORMED),
        Arguments.of("NaN metric", tmValue(Metric.CPU_LOAD, Double.NaN), Reason.NAN_METRIC),
        Arguments.of("negative metric", tmValue(Metric.HEAP_USED, -1), Reason.NEGATIVE_METRIC),
        Arguments.of("infinite metric", tmValue(Metric.NET_LATENCY, Double.POSITIVE_INFINITY), Reason.INFINITE_METRIC),
        Arguments.of("short vector", (UnaryOperator<TelemetrySnapshot>) s -> with(s, List.of(TaskManagerMetrics.of("tm", "n", new double[10]))), Reason.MISSING_METRIC),
        Arguments.of("no task managers", (UnaryOperator<TelemetrySnapshot>) s -> with(s, List.of()), Reason.MISSING_METRIC),
        Arguments.of("no job metrics", (UnaryOperator<TelemetrySnapshot>) s -> new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), s.taskManagers(), s.operators(), s.checkpoints(), null, s.config()), Reason.MISSING_METRIC),
        Arguments.of("NaN latency", (UnaryOperator<TelemetrySnapshot>) s -> new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), s.taskManagers(), s.operators(), s.checkpoints(), new JobMetrics(JobMetrics.JobState.RUNNING, 1, Double.NaN, 0, 0, 1), s.config()), Reason.NAN_METRIC),
        Arguments.of("negative operator rate", (UnaryOperator<TelemetrySnapshot>) s -> withOps(s, new OperatorMetrics("source", 4, -5, 0, 0, 0, 1000, 0, 0)), Reason.NEGATIVE_METRIC),
        Arguments.of("unknown absent metric", (UnaryOperator<TelemetrySnapshot>) s -> with(s, List.of(new TaskManagerMetrics("tm", "n", new double[Metric.COUNT], List.of("bogus")))), Reason.MALFORMED),
        Arguments.of("unknown absent operator field", (UnaryOperator<TelemetrySnapshot>) s -> withOps(s, new OperatorMetrics("source", 4, 0, 0, 0, 0, 1000, 0, 0, List.of("bogus"))), Reason.MALFORMED),
        Arguments.of("unknown absent job field", (UnaryOperator<TelemetrySnapshot>) s -> new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), s.taskManagers(), s.operators(), s.checkpoints(), new JobMetrics(JobMetrics.JobState.RUNNING, 1, 0, 0, 0, 1, List.of("bogus")), s.config()), Reason.MALFORMED),
        Arguments.of("impossible config", (UnaryOperator<TelemetrySnapshot>) s -> withConfig(s, s.config().withTaskManagers(1)), Reason.INVALID_CONFIG));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corruptions")
  void rejectsCorruption(String name, UnaryOperator<TelemetrySnapshot> corrupt, Reason expected) {
    var result = SnapshotValidator.validate(corrupt.apply(Snapshots.healthy("p1", 5)), KNOWN, 4);
    assertTrue(result.isPresent(), name + " accepted");
    assertEquals(expected, result.get().reason(), result.get().message());
  }

  @Test
  void rejectsOutOfOrderAndDuplicateTicks() {
    assertEquals(Reason.OUT_OF_ORDER_TICK, SnapshotValidator.validate(Snapshots.healthy("p1", 5), KNOWN, 5).orElseThrow().reason());
    assertEquals(Reason.OUT_OF_ORDER_TICK, SnapshotValidator.validate(Snapshots.healthy("p1", 3), KNOWN, 5).orElseThrow().reason());
  }

  @Test
  void acceptsNoTaskManagersOnlyWhileTheJobIsNotRunning() {
    TelemetrySnapshot restarting =
        Snapshots.builder("p1", 5).state(JobMetrics.JobState.RESTARTING).build();
    assertTrue(SnapshotValidator.validate(with(restarting, List.of()), KNOWN, 4).isEmpty());
    assertEquals(
        Reason.MISSING_METRIC,
        SnapshotValidator.validate(with(Snapshots.healthy("p1", 5), List.of()), KNOWN, 4).orElseThrow().reason());
  }

  @Test
  void rejectsNull() {
    assertEquals(Reason.MALFORMED, SnapshotValidator.validate(null, KNOWN, 0).orElseThrow().reason());
  }

  @Test
  void messageNamesTheOffendingMetric() {
    var r = SnapshotValidator.validate(tmValue(Metric.GC_TIME_RATIO, Double.NaN).apply(Snapshots.healthy("p1", 5)), KNOWN, 0);
    assertTrue(r.orElseThrow().message().contains("gc_time_ratio"), r.get().message());
  }

  private static UnaryOperator<TelemetrySnapshot> tmValue(Metric m, double v) {
    return s -> {
      List<TaskManagerMetrics> tms = new ArrayList<>(s.taskManagers());
      TaskManagerMetrics first = tms.get(0);
      double[] values = first.values().clone();
      values[m.ordinal()] = v;
      tms.set(0, TaskManagerMetrics.of(first.taskManagerId(), first.nodeId(), values));
      return with(s, tms);
    };
  }

  private static TelemetrySnapshot rename(TelemetrySnapshot s, String id) {
    return new TelemetrySnapshot(id, s.tick(), s.eventTimeMillis(), s.taskManagers(), s.operators(), s.checkpoints(), s.job(), s.config());
  }

  private static TelemetrySnapshot with(TelemetrySnapshot s, List<TaskManagerMetrics> tms) {
    return new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), tms, s.operators(), s.checkpoints(), s.job(), s.config());
  }

  private static TelemetrySnapshot withOps(TelemetrySnapshot s, OperatorMetrics first) {
    List<OperatorMetrics> ops = new ArrayList<>(s.operators());
    ops.set(0, first);
    return new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), s.taskManagers(), ops, s.checkpoints(), s.job(), s.config());
  }

  private static TelemetrySnapshot withConfig(TelemetrySnapshot s, PipelineConfig c) {
    return new TelemetrySnapshot(s.pipelineId(), s.tick(), s.eventTimeMillis(), s.taskManagers(), s.operators(), s.checkpoints(), s.job(), c);
  }

  @Test
  void structuralErrorsOfConfig() {
    Map<String, Integer> p = new LinkedHashMap<>();
    p.put("a", 0);
    PipelineConfig bad = new PipelineConfig(p, 0, 0, 0, 0, 0, 0);
    assertEquals(7, bad.structuralErrors().size(), bad.structuralErrors().toString());
    assertTrue(Snapshots.defaultConfig().structuralErrors().isEmpty());
  }
}
