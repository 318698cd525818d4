package dev.autopilot.runtime.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.CheckpointMetrics;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.SnapshotValidator.Reason;
import dev.autopilot.api.TaskManagerMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.telemetry.TelemetryGateway.Accepted;
import dev.autopilot.runtime.telemetry.TelemetryGateway.IngestResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.UnaryOperator;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

class TelemetryGatewayTest {
  private static final Set<String> PIPELINES = Set.of("p1", "p2", "p3");
  private static final double[] BUCKETS = {0.01, 0.1, 1};

  /** A downstream that records what reaches it and answers the sender. */
  private static Behavior<Accepted> recordingDownstream(ConcurrentLinkedQueue<String> seen) {
    return Behaviors.receiveMessage(
        a -> {
          seen.add(a.snapshot().pipelineId() + "@" + a.snapshot().tick());
          a.replyTo()
              .tell(new IngestResult.Completed(a.snapshot().pipelineId(), a.snapshot().tick()));
          return Behaviors.same();
        });
  }

  /** One kind of corruption: the reason it must be rejected with, and how to apply it. */
  private record Corruption(String name, Reason reason, Corrupter corrupter) {}

  @FunctionalInterface
  private interface Corrupter {
    /**
     * @param pipeline a known pipeline
     * @param last its last accepted tick (Long.MIN_VALUE if none)
     * @param rnd the seeded random source
     */
    TelemetrySnapshot make(String pipeline, long last, Random rnd);
  }

  private static long fresh(long last, Random rnd) {
    return (last == Long.MIN_VALUE ? 0 : last) + 1 + rnd.nextInt(5);
  }

  private static TelemetrySnapshot healthy(String pipeline, long last, Random rnd) {
    return Snapshots.healthy(pipeline, fresh(last, rnd));
  }

  private static TelemetrySnapshot with(
      TelemetrySnapshot s,
      String pipelineId,
      long tick,
      long eventTime,
      List<TaskManagerMetrics> tms,
      List<OperatorMetrics> ops,
      CheckpointMetrics cp,
      JobMetrics job,
      PipelineConfig config) {
    return new TelemetrySnapshot(pipelineId, tick, eventTime, tms, ops, cp, job, config);
  }

  private static TelemetrySnapshot tms(TelemetrySnapshot s, List<TaskManagerMetrics> tms) {
    return with(
        s,
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        tms,
        s.operators(),
        s.checkpoints(),
        s.job(),
        s.config());
  }

  private static TelemetrySnapshot ops(TelemetrySnapshot s, List<OperatorMetrics> ops) {
    return with(
        s,
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        ops,
        s.checkpoints(),
        s.job(),
        s.config());
  }

  /** Replaces one random TaskManager by {@code f} of it. */
  private static TelemetrySnapshot oneTm(
      TelemetrySnapshot s, Random rnd, UnaryOperator<TaskManagerMetrics> f) {
    List<TaskManagerMetrics> list = new ArrayList<>(s.taskManagers());
    int i = rnd.nextInt(list.size());
    list.set(i, f.apply(list.get(i)));
    return tms(s, list);
  }

  private static TaskManagerMetrics tmValue(TaskManagerMetrics tm, int index, double v) {
    double[] values = tm.values().clone();
    values[index] = v;
    return new TaskManagerMetrics(tm.taskManagerId(), tm.nodeId(), values, tm.absent());
  }

  /** Replaces one random operator by {@code f} of it. */
  private static TelemetrySnapshot oneOp(
      TelemetrySnapshot s, Random rnd, UnaryOperator<OperatorMetrics> f) {
    List<OperatorMetrics> list = new ArrayList<>(s.operators());
    int i = rnd.nextInt(list.size());
    list.set(i, f.apply(list.get(i)));
    return ops(s, list);
  }

  private static OperatorMetrics opField(OperatorMetrics o, int field, double v) {
    double[] f = {
      o.recordsInPerSecond(), o.recordsOutPerSecond(), o.busyTimeMsPerSecond(),
      o.backPressuredTimeMsPerSecond(), o.idleTimeMsPerSecond(), o.pendingRecords(),
      o.stateSizeBytes()
    };
    f[field] = v;
    return new OperatorMetrics(
        o.operatorId(), o.parallelism(), f[0], f[1], f[2], f[3], f[4], f[5], f[6]);
  }

  private static TelemetrySnapshot config(TelemetrySnapshot s, PipelineConfig c) {
    return with(
        s,
        s.pipelineId(),
        s.tick(),
        s.eventTimeMillis(),
        s.taskManagers(),
        s.operators(),
        s.checkpoints(),
        s.job(),
        c);
  }

  private static double bad(Reason reason, Random rnd) {
    return switch (reason) {
      case NAN_METRIC -> Double.NaN;
      case INFINITE_METRIC ->
          rnd.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
      case NEGATIVE_METRIC -> -1 - rnd.nextDouble() * 1e6;
      default -> throw new IllegalArgumentException(reason.name());
    };
  }

  private static List<Corruption> corruptions() {
    List<Corruption> c = new ArrayList<>();
    c.add(new Corruption("null snapshot", Reason.MALFORMED, (p, last, rnd) -> null));
    c.add(
        new Corruption(
            "null pipeline id",
            Reason.MALFORMED,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return with(
                  s,
                  null,
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  s.checkpoints(),
                  s.job(),
                  s.config());
            }));
    c.add(
        new Corruption(
            "blank pipeline id",
            Reason.MALFORMED,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return with(
                  s,
                  " ",
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  s.checkpoints(),
                  s.job(),
                  s.config());
            }));
    c.add(
        new Corruption(
            "unknown pipeline",
            Reason.UNKNOWN_PIPELINE,
            (p, last, rnd) -> Snapshots.healthy("ghost-" + rnd.nextInt(50), fresh(last, rnd))));
    c.add(
        new Corruption(
            "duplicate tick",
            Reason.OUT_OF_ORDER_TICK,
            (p, last, rnd) ->
                Snapshots.healthy(p, last == Long.MIN_VALUE ? Long.MIN_VALUE : last)));
    c.add(
        new Corruption(
            "tick in the past",
            Reason.OUT_OF_ORDER_TICK,
            (p, last, rnd) ->
                Snapshots.healthy(
                    p, last == Long.MIN_VALUE ? Long.MIN_VALUE : last - 1 - rnd.nextInt(100))));
    c.add(
        new Corruption(
            "negative event time",
            Reason.NEGATIVE_METRIC,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return with(
                  s,
                  p,
                  s.tick(),
                  -1 - rnd.nextInt(1000),
                  s.taskManagers(),
                  s.operators(),
                  s.checkpoints(),
                  s.job(),
                  s.config());
            }));
    c.add(
        new Corruption(
            "null TaskManager list",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> tms(healthy(p, last, rnd), null)));
    c.add(
        new Corruption(
            "empty TaskManager list",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> tms(healthy(p, last, rnd), List.of())));
    c.add(
        new Corruption(
            "null operator list",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> ops(healthy(p, last, rnd), null)));
    c.add(
        new Corruption(
            "empty operator list",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> ops(healthy(p, last, rnd), List.of())));
    c.add(
        new Corruption(
            "null checkpoint metrics",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return with(
                  s,
                  p,
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  null,
                  s.job(),
                  s.config());
            }));
    c.add(
        new Corruption(
            "null job metrics",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return with(
                  s,
                  p,
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  s.checkpoints(),
                  null,
                  s.config());
            }));
    c.add(
        new Corruption(
            "null config",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> config(healthy(p, last, rnd), null)));
    c.add(
        new Corruption(
            "null job state",
            Reason.MISSING_METRIC,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              JobMetrics j = s.job();
              return with(
                  s,
                  p,
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  s.checkpoints(),
                  new JobMetrics(
                      null,
                      j.throughputPerSecond(),
                      j.latencyP99Ms(),
                      j.consumerLag(),
                      j.restartsTotal(),
                      j.runningTaskManagers()),
                  s.config());
            }));
    c.add(
        new Corruption(
            "TaskManager without id",
            Reason.MALFORMED,
            (p, last, rnd) ->
                oneTm(
                    healthy(p, last, rnd),
                    rnd,
                    tm -> new TaskManagerMetrics(null, tm.nodeId(), tm.values(), tm.absent()))));
    c.add(
        new Corruption(
            "TaskManager without node",
            Reason.MALFORMED,
            (p, last, rnd) ->
                oneTm(
                    healthy(p, last, rnd),
                    rnd,
                    tm ->
                        new TaskManagerMetrics(
                            tm.taskManagerId(), null, tm.values(), tm.absent()))));
    c.add(
        new Corruption(
            "duplicate TaskManager",
            Reason.MALFORMED,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              List<TaskManagerMetrics> list = new ArrayList<>(s.taskManagers());
              list.add(list.get(rnd.nextInt(list.size())));
              return tms(s, list);
            }));
    c.add(
        new Corruption(
            "null metric vector",
            Reason.MISSING_METRIC,
            (p, last, rnd) ->
                oneTm(
                    healthy(p, last, rnd),
                    rnd,
                    tm ->
                        new TaskManagerMetrics(
                            tm.taskManagerId(), tm.nodeId(), null, tm.absent()))));
    c.add(
        new Corruption(
            "short metric vector",
            Reason.MISSING_METRIC,
            (p, last, rnd) ->
                oneTm(
                    healthy(p, last, rnd),
                    rnd,
                    tm ->
                        new TaskManagerMetrics(
                            tm.taskManagerId(),
                            tm.nodeId(),
                            Arrays.copyOf(tm.values(), rnd.nextInt(Metric.COUNT)),
                            tm.absent()))));
    c.add(
        new Corruption(
            "long metric vector",
            Reason.MISSING_METRIC,
            (p, last, rnd) ->
                oneTm(
                    healthy(p, last, rnd),
                    rnd,
                    tm ->
                        new TaskManagerMetrics(
                            tm.taskManagerId(),
                            tm.nodeId(),
                            Arrays.copyOf(tm.values(), Metric.COUNT + 1 + rnd.nextInt(20)),
                            tm.absent()))));
    c.add(
        new Corruption(
            "unknown absent metric",
            Reason.MALFORMED,
            (p, last, rnd) ->
                oneTm(
                    healthy(p, last, rnd),
                    rnd,
                    tm ->
                        new TaskManagerMetrics(
                            tm.taskManagerId(),
                            tm.nodeId(),
                            tm.values(),
                            List.of("no_such_metric_" + rnd.nextInt(9))))));
    for (Reason r : List.of(Reason.NAN_METRIC, Reason.INFINITE_METRIC, Reason.NEGATIVE_METRIC)) {
      c.add(
          new Corruption(
              "TaskManager metric " + r,
              r,
              (p, last, rnd) ->
                  oneTm(
                      healthy(p, last, rnd),
                      rnd,
                      tm -> tmValue(tm, rnd.nextInt(Metric.COUNT), bad(r, rnd)))));
      c.add(
          new Corruption(
              "operator metric " + r,
              r,
              (p, last, rnd) ->
                  oneOp(healthy(p, last, rnd), rnd, o -> opField(o, rnd.nextInt(7), bad(r, rnd)))));
      c.add(
          new Corruption(
              "checkpoint duration " + r,
              r,
              (p, last, rnd) -> {
                TelemetrySnapshot s = healthy(p, last, rnd);
                CheckpointMetrics cp = s.checkpoints();
                return with(
                    s,
                    p,
                    s.tick(),
                    s.eventTimeMillis(),
                    s.taskManagers(),
                    s.operators(),
                    new CheckpointMetrics(
                        bad(r, rnd),
                        cp.lastSizeBytes(),
                        cp.completedTotal(),
                        cp.failedTotal(),
                        cp.inProgress(),
                        cp.lastRestoredCheckpointId()),
                    s.job(),
                    s.config());
              }));
      c.add(
          new Corruption(
              "job latency " + r,
              r,
              (p, last, rnd) -> {
                TelemetrySnapshot s = healthy(p, last, rnd);
                JobMetrics j = s.job();
                return with(
                    s,
                    p,
                    s.tick(),
                    s.eventTimeMillis(),
                    s.taskManagers(),
                    s.operators(),
                    s.checkpoints(),
                    new JobMetrics(
                        j.state(),
                        j.throughputPerSecond(),
                        bad(r, rnd),
                        j.consumerLag(),
                        j.restartsTotal(),
                        j.runningTaskManagers()),
                    s.config());
              }));
    }
    c.add(
        new Corruption(
            "operator without id",
            Reason.MALFORMED,
            (p, last, rnd) ->
                oneOp(
                    healthy(p, last, rnd),
                    rnd,
                    o ->
                        new OperatorMetrics(
                            null,
                            o.parallelism(),
                            o.recordsInPerSecond(),
                            o.recordsOutPerSecond(),
                            o.busyTimeMsPerSecond(),
                            o.backPressuredTimeMsPerSecond(),
                            o.idleTimeMsPerSecond(),
                            o.pendingRecords(),
                            o.stateSizeBytes()))));
    c.add(
        new Corruption(
            "duplicate operator",
            Reason.MALFORMED,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              List<OperatorMetrics> list = new ArrayList<>(s.operators());
              list.add(list.get(rnd.nextInt(list.size())));
              return ops(s, list);
            }));
    c.add(
        new Corruption(
            "operator parallelism 0",
            Reason.NEGATIVE_METRIC,
            (p, last, rnd) ->
                oneOp(
                    healthy(p, last, rnd),
                    rnd,
                    o ->
                        new OperatorMetrics(
                            o.operatorId(),
                            -rnd.nextInt(3),
                            o.recordsInPerSecond(),
                            o.recordsOutPerSecond(),
                            o.busyTimeMsPerSecond(),
                            o.backPressuredTimeMsPerSecond(),
                            o.idleTimeMsPerSecond(),
                            o.pendingRecords(),
                            o.stateSizeBytes()))));
    c.add(
        new Corruption(
            "negative checkpoint counter",
            Reason.NEGATIVE_METRIC,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              CheckpointMetrics cp = s.checkpoints();
              return with(
                  s,
                  p,
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  new CheckpointMetrics(
                      cp.lastDurationMs(),
                      cp.lastSizeBytes(),
                      cp.completedTotal(),
                      -1 - rnd.nextInt(10),
                      cp.inProgress(),
                      cp.lastRestoredCheckpointId()),
                  s.job(),
                  s.config());
            }));
    c.add(
        new Corruption(
            "negative restarts",
            Reason.NEGATIVE_METRIC,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              JobMetrics j = s.job();
              return with(
                  s,
                  p,
                  s.tick(),
                  s.eventTimeMillis(),
                  s.taskManagers(),
                  s.operators(),
                  s.checkpoints(),
                  new JobMetrics(
                      j.state(),
                      j.throughputPerSecond(),
                      j.latencyP99Ms(),
                      j.consumerLag(),
                      -1 - rnd.nextInt(10),
                      j.runningTaskManagers()),
                  s.config());
            }));
    c.add(
        new Corruption(
            "config parallelism 0",
            Reason.INVALID_CONFIG,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              Map<String, Integer> par = new LinkedHashMap<>(s.config().parallelism());
              par.put(Snapshots.OPERATORS.get(rnd.nextInt(Snapshots.OPERATORS.size())), 0);
              return config(s, s.config().withParallelism(par));
            }));
    c.add(
        new Corruption(
            "config null parallelism",
            Reason.INVALID_CONFIG,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              PipelineConfig k = s.config();
              return config(
                  s,
                  new PipelineConfig(
                      null,
                      k.networkBufferMb(),
                      k.checkpointIntervalSeconds(),
                      k.taskManagers(),
                      k.taskManagerCpu(),
                      k.taskManagerMemoryGb(),
                      k.slotsPerTaskManager()));
            }));
    c.add(
        new Corruption(
            "config null operator entry",
            Reason.INVALID_CONFIG,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              Map<String, Integer> par = new HashMap<>(s.config().parallelism());
              par.put(rnd.nextBoolean() ? null : "source", null);
              PipelineConfig k = s.config();
              return config(
                  s,
                  new PipelineConfig(
                      par,
                      k.networkBufferMb(),
                      k.checkpointIntervalSeconds(),
                      k.taskManagers(),
                      k.taskManagerCpu(),
                      k.taskManagerMemoryGb(),
                      k.slotsPerTaskManager()));
            }));
    c.add(
        new Corruption(
            "config zero buffer",
            Reason.INVALID_CONFIG,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return config(s, s.config().withNetworkBufferMb(-rnd.nextInt(2)));
            }));
    c.add(
        new Corruption(
            "config NaN cpu",
            Reason.INVALID_CONFIG,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return config(
                  s,
                  s.config()
                      .withResources(
                          rnd.nextBoolean() ? Double.NaN : Double.POSITIVE_INFINITY, 16));
            }));
    c.add(
        new Corruption(
            "config too few slots",
            Reason.INVALID_CONFIG,
            (p, last, rnd) -> {
              TelemetrySnapshot s = healthy(p, last, rnd);
              return config(s, s.config().withTaskManagers(1));
            }));
    return List.copyOf(c);
  }

  @Test
  void tenThousandCorruptedSnapshotsAreRejectedAndCountedAndNoneGoesDownstream() {
    ActorTestKit kit =
        ActorTestKit.create(
            "gateway-fuzz",
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\n"
                        + "pekko.actor.testkit.typed.single-expect-default = 30s")
                .withFallback(ConfigFactory.load()));
    try {
      AutopilotMetrics metrics = new AutopilotMetrics("test", BUCKETS);
      ConcurrentLinkedQueue<String> downstreamSaw = new ConcurrentLinkedQueue<>();
      ActorRef<Accepted> downstream = kit.spawn(recordingDownstream(downstreamSaw));
      ActorRef<TelemetryGateway.Command> gateway =
          kit.spawn(TelemetryGateway.create(PIPELINES, downstream, metrics));
      TestProbe<IngestResult> replies = kit.createTestProbe();

      List<Corruption> corruptions = corruptions();
      List<String> pipelines = List.copyOf(new java.util.TreeSet<>(PIPELINES));
      Random rnd = new Random(20261121L);
      Map<String, Long> last = new HashMap<>();
      Map<Reason, Long> expectedRejected = new EnumMap<>(Reason.class);
      Map<String, Integer> usedKinds = new HashMap<>();
      List<String> expectedForwarded = new ArrayList<>();
      int corrupted = 0;
      int sent = 0;
      while (corrupted < 10_000) {
        String p = pipelines.get(rnd.nextInt(pipelines.size()));
        long lastTick = last.getOrDefault(p, Long.MIN_VALUE);
        if (rnd.nextInt(4) == 0) {
          TelemetrySnapshot s = healthy(p, lastTick, rnd);
          last.put(p, s.tick());
          expectedForwarded.add(p + "@" + s.tick());
          gateway.tell(new TelemetryGateway.Ingest(s, replies.getRef()));
        } else {
          Corruption k = corruptions.get(rnd.nextInt(corruptions.size()));
          TelemetrySnapshot s = k.corrupter().make(p, lastTick, rnd);
          expectedRejected.merge(k.reason(), 1L, Long::sum);
          usedKinds.merge(k.name(), 1, Integer::sum);
          gateway.tell(new TelemetryGateway.Ingest(s, replies.getRef()));
          corrupted++;
        }
        sent++;
      }

      List<IngestResult> results = replies.receiveSeveralMessages(sent, Duration.ofSeconds(120));
      Map<Reason, Long> rejectedReplies = new EnumMap<>(Reason.class);
      long completed = 0;
      for (IngestResult r : results) {
        if (r instanceof IngestResult.Rejected rejected) {
          rejectedReplies.merge(rejected.reason(), 1L, Long::sum);
          assertTrue(!rejected.message().isBlank());
        } else {
          assertInstanceOf(IngestResult.Completed.class, r);
          completed++;
        }
      }

      assertEquals(corruptions.size(), usedKinds.size(), "every corruption kind was exercised");
      assertEquals(expectedRejected, rejectedReplies);
      assertEquals(expectedForwarded.size(), completed);
      assertEquals(expectedForwarded, List.copyOf(downstreamSaw));
      assertEquals(10_000L, rejectedReplies.values().stream().mapToLong(Long::longValue).sum());

      TestProbe<TelemetryGateway.Stats> stats = kit.createTestProbe();
      gateway.tell(new TelemetryGateway.GetStats(stats.getRef()));
      TelemetryGateway.Stats s = stats.receiveMessage();
      assertEquals(expectedForwarded.size(), s.accepted());
      assertEquals(10_000L, s.rejectedTotal());
      for (Reason reason : Reason.values()) {
        long expected = expectedRejected.getOrDefault(reason, 0L);
        assertEquals(expected, s.rejected().get(reason), reason.name());
        assertEquals(expected, metrics.rejectedCount(reason), "metric " + reason);
        assertTrue(expected > 0, "reason " + reason + " was exercised");
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  @Test
  void messagesSurviveSerializationIncludingNaN() {
    ActorTestKit kit =
        ActorTestKit.create(
            "gateway-serialization",
            ConfigFactory.parseString(
                    "pekko.actor.provider = local\n"
                        + "pekko.actor.testkit.typed.single-expect-default = 30s\n"
                        + "pekko.actor.serialize-messages = on\n"
                        + "pekko.actor.no-serialization-verification-needed-class-prefix = []")
                .withFallback(ConfigFactory.load()));
    try {
      AutopilotMetrics metrics = new AutopilotMetrics("test", BUCKETS);
      ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
      ActorRef<TelemetryGateway.Command> gateway =
          kit.spawn(
              TelemetryGateway.create(Set.of("p1"), kit.spawn(recordingDownstream(seen)), metrics));
      TestProbe<IngestResult> replies = kit.createTestProbe();

      gateway.tell(new TelemetryGateway.Ingest(Snapshots.healthy("p1", 7), replies.getRef()));
      assertEquals(new IngestResult.Completed("p1", 7), replies.receiveMessage());

      TelemetrySnapshot nan = Snapshots.builder("p1", 8).latencyP99(Double.NaN).build();
      gateway.tell(new TelemetryGateway.Ingest(nan, replies.getRef()));
      IngestResult.Rejected r = (IngestResult.Rejected) replies.receiveMessage();
      assertEquals(Reason.NAN_METRIC, r.reason());
      assertEquals("job latencyP99Ms is NaN", r.message());

      gateway.tell(new TelemetryGateway.RegisterPipeline("p2"));
      gateway.tell(new TelemetryGateway.Ingest(Snapshots.healthy("p2", 1), replies.getRef()));
      assertEquals(new IngestResult.Completed("p2", 1), replies.receiveMessage());
      assertEquals(List.of("p1@7", "p2@1"), List.copyOf(seen));
      assertEquals(1, metrics.rejectedCount(Reason.NAN_METRIC));
    } finally {
      kit.shutdownTestKit();
    }
  }
}
