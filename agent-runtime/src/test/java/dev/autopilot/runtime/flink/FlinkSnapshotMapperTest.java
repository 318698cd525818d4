package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.Mapped;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.Reading;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.TaskManagerReading;
import dev.autopilot.runtime.flink.FlinkSnapshotMapper.VertexReading;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The pure mapping of REST answers onto snapshots: rates, absence, ids and configuration. */
class FlinkSnapshotMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String TM_OVERVIEW =
      """
      {"id":"tm-1","path":"pekko.tcp://flink@10.0.0.7:6122/user/rpc/taskmanager_0",
       "slotsNumber":4,"freeSlots":1,
       "totalResource":{"cpuCores":2.0,"networkMemory":64},
       "hardware":{"cpuCores":8,"physicalMemory":34359738368},
       "memoryConfiguration":{"networkMemory":67108864,"totalFlinkMemory":3221225472,
                              "totalProcessMemory":4294967296}}
      """;

  @Test
  void theRateIsTheCounterDifferenceOverTheTimeBetweenObservations() {
    Mapped first = FlinkSnapshotMapper.map(reading(1, 10_000, 1_000, 900, 50.0), Optional.empty());
    // 7.5 s later the source emitted 30 000 more, the map received 29 250 more
    Mapped second =
        FlinkSnapshotMapper.map(
            reading(2, 17_500, 31_000, 30_150, 50.0), Optional.of(first.counters()));
    OperatorMetrics source = second.snapshot().operator("source-numbers");
    OperatorMetrics map = second.snapshot().operator("enrich");
    assertEquals(30_000 / 7.5, source.recordsInPerSecond(), 1e-9);
    assertEquals(30_000 / 7.5, source.recordsOutPerSecond(), 1e-9);
    assertEquals(29_250 / 7.5, map.recordsInPerSecond(), 1e-9);
    assertEquals(30_000 / 7.5, second.snapshot().job().throughputPerSecond(), 1e-9);
    assertTrue(source.absent().stream().noneMatch(f -> f.startsWith("records")));
    assertFalse(second.snapshot().job().isAbsent("throughputPerSecond"));
  }

  @Test
  void theFirstObservationHasNoRateAndSaysSo() {
    TelemetrySnapshot s =
        FlinkSnapshotMapper.map(reading(1, 10_000, 1_000, 900, 50.0), Optional.empty()).snapshot();
    for (OperatorMetrics op : s.operators()) {
      assertTrue(op.isAbsent("recordsInPerSecond"), op.operatorId());
      assertTrue(op.isAbsent("recordsOutPerSecond"), op.operatorId());
      assertEquals(0, op.recordsInPerSecond());
    }
    assertTrue(s.job().isAbsent("throughputPerSecond"));
    assertValid(s);
  }

  @Test
  void aCounterThatWentDownOrANewJobGivesNoRate() {
    Mapped first = FlinkSnapshotMapper.map(reading(1, 10_000, 50_000, 900, 50.0), Optional.empty());
    Mapped reset =
        FlinkSnapshotMapper.map(reading(2, 12_000, 200, 150, 50.0), Optional.of(first.counters()));
    assertTrue(reset.snapshot().operator("source-numbers").isAbsent("recordsInPerSecond"));
    Reading otherJob = withJob(reading(3, 14_000, 60_000, 1_000, 50.0), "job-2");
    Mapped next = FlinkSnapshotMapper.map(otherJob, Optional.of(first.counters()));
    assertTrue(next.snapshot().operator("source-numbers").isAbsent("recordsInPerSecond"));
  }

  @Test
  void metricsRestDoesNotGiveAreAbsentNotInvented() {
    TelemetrySnapshot s =
        FlinkSnapshotMapper.map(reading(1, 10_000, 1_000, 900, Double.NaN), Optional.empty())
            .snapshot();
    OperatorMetrics source = s.operator("source-numbers");
    OperatorMetrics map = s.operator("enrich");
    assertTrue(source.isAbsent("busyTimeMsPerSecond"), "NaN busy time of a legacy source");
    assertFalse(source.isAbsent("pendingRecords"));
    assertEquals(120, source.pendingRecords());
    assertTrue(map.isAbsent("pendingRecords"), "no backlog gauge on a map");
    assertTrue(map.isAbsent("stateSizeBytes"), "no completed checkpoint yet");
    assertFalse(map.isAbsent("busyTimeMsPerSecond"));
    assertEquals(400, map.busyTimeMsPerSecond());
    assertTrue(s.job().isAbsent("latencyP99Ms"));
    assertEquals(120, s.job().consumerLag());
    TaskManagerMetrics tm = s.taskManagers().get(0);
    assertFalse(tm.isAbsent(Metric.HEAP_USED));
    assertEquals(0.25, tm.get(Metric.HEAP_USED_RATIO), 1e-9);
    assertTrue(tm.isAbsent(Metric.NODE_DISK_RATIO));
    assertTrue(tm.isAbsent(Metric.GC_TIME_RATIO), "GC time is a counter: no rate on the first");
    assertEquals("10.0.0.7", tm.nodeId());
    assertValid(s);
  }

  @Test
  void taskManagerCountersBecomeRatesOnTheSecondObservation() {
    Mapped first = FlinkSnapshotMapper.map(reading(1, 10_000, 1_000, 900, 50.0), Optional.empty());
    Reading r = reading(2, 12_000, 2_000, 1_900, 50.0);
    TaskManagerReading tm = r.taskManagers().get(0);
    Map<String, Double> m = new java.util.HashMap<>(tm.metrics());
    m.put("Status.JVM.GarbageCollector.G1_Young_Generation.Count", 14.0); // +4
    m.put("Status.JVM.GarbageCollector.G1_Young_Generation.Time", 140.0); // +100 ms
    m.put("Status.JVM.CPU.Time", 3.0e9); // +1 s of CPU
    Reading r2 = withTaskManager(r, new TaskManagerReading("tm-1", tm.overview(), m));
    TaskManagerMetrics t =
        FlinkSnapshotMapper.map(r2, Optional.of(first.counters())).snapshot().taskManagers().get(0);
    assertEquals(2.0, t.get(Metric.GC_YOUNG_COUNT), 1e-9);
    assertEquals(50.0, t.get(Metric.GC_YOUNG_TIME), 1e-9);
    assertEquals(0.05, t.get(Metric.GC_TIME_RATIO), 1e-9);
    assertEquals(0.5, t.get(Metric.CPU_TIME), 1e-9);
    assertFalse(t.isAbsent(Metric.GC_OLD_COUNT));
    assertEquals(0, t.get(Metric.GC_OLD_COUNT));
  }

  @Test
  void failedTasksAndUserExceptionsComeFromTheFailureHistoryPerTaskManager() throws Exception {
    // before the platform watched: one old failure, not counted as new
    String old = failure(5_000, "tm-1", "java.lang.IllegalStateException");
    Mapped first =
        FlinkSnapshotMapper.map(
            withHistory(reading(1, 10_000, 1_000, 900, 50.0), history(old)), Optional.empty());
    TaskManagerMetrics t1 = first.snapshot().taskManagers().get(0);
    assertEquals(0, t1.get(Metric.TASKS_FAILED_TOTAL));
    assertFalse(t1.isAbsent(Metric.TASKS_FAILED_TOTAL));
    assertTrue(t1.isAbsent(Metric.EXCEPTIONS), "a rate needs two observations");

    // 2 s later: a user exception on tm-1 with a concurrent network failure on tm-1, and a failure
    // on tm-9, a TaskManager no longer registered
    String storm =
        "{\"exceptionName\":\"dev.example.BadRecord\",\"timestamp\":11000,\"taskManagerId\":\"tm-1\","
            + "\"concurrentExceptions\":["
            + failure(
                11_001,
                "tm-1",
                "org.apache.flink.runtime.io.network.netty.exception.RemoteTransportException")
            + ","
            + failure(11_002, "tm-9", "dev.example.BadRecord")
            + "]}";
    Mapped second =
        FlinkSnapshotMapper.map(
            withHistory(reading(2, 12_000, 2_000, 1_900, 50.0), history(storm, old)),
            Optional.of(first.counters()));
    TaskManagerMetrics t2 = second.snapshot().taskManagers().get(0);
    assertEquals(2, t2.get(Metric.TASKS_FAILED_TOTAL), "both failures located on tm-1");
    assertEquals(1 / 2.0, t2.get(Metric.EXCEPTIONS), 1e-9, "one user exception in 2 s");
    assertEquals(0, t2.get(Metric.CLASSLOADING_ERRORS));
    assertEquals(0, t2.get(Metric.DESERIALIZATION_ERRORS));
    assertFalse(t2.isAbsent(Metric.DESERIALIZATION_ERRORS), "observed: none of the causes");
    assertValid(second.snapshot());

    // 2 s later the same history plus a class-loading failure: only the new one counts
    String link = failure(13_000, "tm-1", "java.lang.NoClassDefFoundError");
    Mapped third =
        FlinkSnapshotMapper.map(
            withHistory(reading(3, 14_000, 3_000, 2_900, 50.0), history(link, storm, old)),
            Optional.of(second.counters()));
    TaskManagerMetrics t3 = third.snapshot().taskManagers().get(0);
    assertEquals(3, t3.get(Metric.TASKS_FAILED_TOTAL));
    assertEquals(1, t3.get(Metric.CLASSLOADING_ERRORS));
    assertEquals(1 / 2.0, t3.get(Metric.EXCEPTIONS), 1e-9, "a linkage error is thrown too");

    // the adaptive scheduler's history does not locate task failures: the first TaskManager
    // carries them, so the sum over TaskManagers is right
    String unlocated =
        "{\"exceptionName\":\"dev.example.BadRecord\",\"timestamp\":15000,\"concurrentExceptions\":[]}";
    Mapped fourth =
        FlinkSnapshotMapper.map(
            withHistory(
                reading(4, 16_000, 4_000, 3_900, 50.0), history(unlocated, link, storm, old)),
            Optional.of(third.counters()));
    TaskManagerMetrics t4 = fourth.snapshot().taskManagers().get(0);
    assertEquals(4, t4.get(Metric.TASKS_FAILED_TOTAL));
    assertEquals(1 / 2.0, t4.get(Metric.EXCEPTIONS), 1e-9);
  }

  @Test
  void withoutAFailureHistoryTheFailureMetricsAreAbsent() throws Exception {
    TaskManagerMetrics t =
        FlinkSnapshotMapper.map(reading(1, 10_000, 1_000, 900, 50.0), Optional.empty())
            .snapshot()
            .taskManagers()
            .get(0);
    assertTrue(t.isAbsent(Metric.TASKS_FAILED_TOTAL));
    assertTrue(t.isAbsent(Metric.EXCEPTIONS));
    assertTrue(t.isAbsent(Metric.CLASSLOADING_ERRORS));
    Reading garbage = withHistory(reading(1, 10_000, 1_000, 900, 50.0), JSON.readTree("{\"x\":1}"));
    assertTrue(
        FlinkSnapshotMapper.map(garbage, Optional.empty())
            .snapshot()
            .taskManagers()
            .get(0)
            .isAbsent(Metric.TASKS_FAILED_TOTAL),
        "an answer that is not a failure history");
  }

  @Test
  void failureCausesAreAttributedByClass() {
    assertEquals(
        FlinkFailureHistory.Kind.USER,
        FlinkFailureHistory.classify("dev.autopilot.runtime.flink.embedded.InjectedFault"));
    assertEquals(
        FlinkFailureHistory.Kind.USER,
        FlinkFailureHistory.classify("java.lang.NullPointerException"));
    assertEquals(
        FlinkFailureHistory.Kind.INFRASTRUCTURE,
        FlinkFailureHistory.classify(
            "org.apache.flink.runtime.io.network.partition.PartitionNotFoundException"));
    assertEquals(
        FlinkFailureHistory.Kind.INFRASTRUCTURE,
        FlinkFailureHistory.classify("org.apache.flink.util.FlinkException"));
    assertEquals(
        FlinkFailureHistory.Kind.CLASSLOADING,
        FlinkFailureHistory.classify("java.lang.ClassNotFoundException"));
    assertEquals(
        FlinkFailureHistory.Kind.DESERIALIZATION,
        FlinkFailureHistory.classify("org.apache.avro.AvroDeserializationException"));
    assertEquals(
        FlinkFailureHistory.Kind.SERIALIZATION,
        FlinkFailureHistory.classify("java.io.NotSerializableException"));
  }

  private static String failure(long ts, String tm, String name) {
    return "{\"exceptionName\":\""
        + name
        + "\",\"timestamp\":"
        + ts
        + ",\"taskManagerId\":\""
        + tm
        + "\",\"concurrentExceptions\":[]}";
  }

  private static JsonNode history(String... entries) throws Exception {
    return JSON.readTree(
        "{\"exceptionHistory\":{\"entries\":["
            + String.join(",", entries)
            + "],\"truncated\":false}}");
  }

  private static Reading withHistory(Reading r, JsonNode history) {
    return copy(r, r.jobId(), r.taskManagers(), history);
  }

  /** The reading with another job id, TaskManagers and failure history. */
  private static Reading copy(
      Reading r, String jobId, List<TaskManagerReading> taskManagers, JsonNode history) {
    return new Reading(
        r.pipelineId(),
        r.tick(),
        r.atMillis(),
        jobId,
        r.jobStatus(),
        r.vertices(),
        r.checkpoints(),
        r.checkpointIntervalMs(),
        taskManagers,
        r.restarts(),
        history);
  }

  @Test
  void operatorIdsAreStableSlugsOfVertexNames() {
    assertEquals("source-numbers", FlinkSnapshotMapper.operatorId("Source: numbers"));
    assertEquals("sink-discard", FlinkSnapshotMapper.operatorId("Sink: discard"));
    assertEquals("source-in-map", FlinkSnapshotMapper.operatorId("Source: in -> Map"));
    assertEquals(
        List.of("map", "map-2", "window"),
        FlinkSnapshotMapper.operatorIds(List.of("Map", "map", "Window")));
  }

  @Test
  void theConfigurationComesFromVerticesCheckpointsAndTaskManagers() {
    PipelineConfig c = FlinkSnapshotMapper.config(reading(1, 1_000, 0, 0, 1.0), Optional.empty());
    assertEquals(Map.of("source-numbers", 1, "enrich", 2), c.parallelism());
    assertEquals(List.of("source-numbers", "enrich"), List.copyOf(c.parallelism().keySet()));
    assertEquals(30, c.checkpointIntervalSeconds());
    assertEquals(64, c.networkBufferMb());
    assertEquals(1, c.taskManagers());
    assertEquals(2.0, c.taskManagerCpu());
    assertEquals(4.0, c.taskManagerMemoryGb());
    assertEquals(4, c.slotsPerTaskManager());
  }

  @Test
  void aMiniClustersUnlimitedResourcesFallBackToTheHost() throws Exception {
    JsonNode mini =
        JSON.readTree(
            """
            {"id":"tm","path":"pekko://flink/user/rpc/taskmanager_0","slotsNumber":4,"freeSlots":4,
             "totalResource":{"cpuCores":1000000.0,"networkMemory":64},
             "hardware":{"cpuCores":2,"physicalMemory":25769803776},
             "memoryConfiguration":{"networkMemory":67108864,"totalFlinkMemory":2199493017600,
                                    "totalProcessMemory":2200835194880}}
            """);
    Reading r =
        withTaskManager(reading(1, 1_000, 0, 0, 1.0), new TaskManagerReading("tm", mini, Map.of()));
    PipelineConfig c = FlinkSnapshotMapper.config(r, Optional.empty());
    assertEquals(2.0, c.taskManagerCpu());
    assertEquals(24.0, c.taskManagerMemoryGb());
    assertEquals(
        "local",
        FlinkSnapshotMapper.map(r, Optional.empty()).snapshot().taskManagers().get(0).nodeId());
  }

  @Test
  void checkpointStatisticsAreMapped() throws Exception {
    JsonNode cp =
        JSON.readTree(
            """
            {"counts":{"restored":1,"total":9,"in_progress":1,"completed":7,"failed":1},
             "latest":{"completed":{"id":8,"end_to_end_duration":96,"state_size":2659},
                       "restored":{"id":3,"restore_timestamp":1}}}
            """);
    var m = FlinkSnapshotMapper.checkpointMetrics(cp);
    assertEquals(96, m.lastDurationMs());
    assertEquals(2659, m.lastSizeBytes());
    assertEquals(7, m.completedTotal());
    assertEquals(1, m.failedTotal());
    assertEquals(1, m.inProgress());
    assertEquals(3, m.lastRestoredCheckpointId());
  }

  @Test
  void flinkStatesAreReduced() {
    assertEquals(JobMetrics.JobState.CREATED, FlinkSnapshotMapper.jobState("INITIALIZING"));
    assertEquals(JobMetrics.JobState.RESTARTING, FlinkSnapshotMapper.jobState("SUSPENDED"));
    assertEquals(JobMetrics.JobState.CANCELED, FlinkSnapshotMapper.jobState("FINISHED"));
    assertEquals(JobMetrics.JobState.RUNNING, FlinkSnapshotMapper.jobState("RUNNING"));
  }

  // ------------------------------------------------------------------------------ fixtures

  /** A two-vertex job: a source emitting {@code sourceOut}, a map receiving {@code mapIn}. */
  private static Reading reading(
      long tick, long atMillis, double sourceOut, double mapIn, double mapBusy) {
    VertexReading source =
        new VertexReading(
            "v-src",
            "Source: numbers",
            1,
            64,
            true,
            Map.of(
                "numRecordsIn", agg(0),
                "numRecordsOut", agg(sourceOut),
                "busyTimeMsPerSecond", aggText("NaN"),
                "backPressuredTimeMsPerSecond", agg(0),
                "idleTimeMsPerSecond", agg(0),
                "Source__numbers.pendingRecords", agg(120)),
            Optional.of("Source__numbers.pendingRecords"),
            OptionalDouble.empty());
    VertexReading map =
        new VertexReading(
            "v-map",
            "enrich",
            2,
            64,
            false,
            Map.of(
                "numRecordsIn", agg(mapIn),
                "numRecordsOut", agg(mapIn),
                "busyTimeMsPerSecond", Double.isNaN(mapBusy) ? agg(400) : agg(mapBusy * 8),
                "backPressuredTimeMsPerSecond", agg(0),
                "idleTimeMsPerSecond", agg(600)),
            Optional.empty(),
            OptionalDouble.empty());
    TaskManagerReading tm;
    try {
      tm =
          new TaskManagerReading(
              "tm-1",
              JSON.readTree(TM_OVERVIEW),
              Map.of(
                  "Status.JVM.Memory.Heap.Used", 256.0,
                  "Status.JVM.Memory.Heap.Max", 1024.0,
                  "Status.JVM.CPU.Load", 0.3,
                  "Status.JVM.CPU.Time", 2.0e9,
                  "Status.JVM.GarbageCollector.G1_Young_Generation.Count", 10.0,
                  "Status.JVM.GarbageCollector.G1_Young_Generation.Time", 40.0,
                  "Status.JVM.GarbageCollector.G1_Old_Generation.Count", 0.0,
                  "Status.JVM.GarbageCollector.G1_Old_Generation.Time", 0.0));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return new Reading(
        "p1",
        tick,
        atMillis,
        "job-1",
        "RUNNING",
        List.of(source, map),
        null,
        OptionalDouble.of(30_000),
        List.of(tm),
        OptionalDouble.of(0));
  }

  private static Reading withJob(Reading r, String jobId) {
    return copy(r, jobId, r.taskManagers(), r.exceptionHistory());
  }

  private static Reading withTaskManager(Reading r, TaskManagerReading tm) {
    return copy(r, r.jobId(), List.of(tm), r.exceptionHistory());
  }

  private static JsonNode agg(double sum) {
    return JSON.createObjectNode().put("sum", sum).put("max", sum).put("avg", sum);
  }

  private static JsonNode aggText(String v) {
    return JSON.createObjectNode().put("sum", v).put("max", v).put("avg", v);
  }

  private static void assertValid(TelemetrySnapshot s) {
    assertEquals(Optional.empty(), SnapshotValidator.validate(s, Set.of("p1"), Long.MIN_VALUE));
  }
}
