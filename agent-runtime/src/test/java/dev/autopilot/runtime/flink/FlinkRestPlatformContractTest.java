package dev.autopilot.runtime.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.Metric;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.PlatformContractTest;
import dev.autopilot.runtime.flink.embedded.EmbeddedFlinkCluster;
import dev.autopilot.runtime.flink.embedded.EmbeddedFlinkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.flink.api.common.JobID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Flink REST platform honours the platform contract against a real Flink MiniCluster (adaptive
 * scheduler, one TaskManager with four slots) running {@link TestPipelineJob}. One cluster serves
 * the whole class; every test gets a fresh platform on the job as the previous tests left it. The
 * contract's checkpoint-interval change goes through stop-with-savepoint and a resubmission by a
 * test {@link FlinkJobLauncher}.
 */
class FlinkRestPlatformContractTest extends PlatformContractTest {

  private static final String PIPELINE = "p1";

  /** Generous: the machine has two cores shared with other builds. */
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  private static EmbeddedFlinkCluster cluster;
  private static FlinkRestSettings settings;
  private static FlinkJobLauncher launcher;

  @BeforeAll
  static void startCluster() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "flink-rest-test"));
    Path checkpoints = Files.createTempDirectory(dir, "checkpoints");
    // The embedded run's cluster setup (adaptive scheduler, REST, metric fetcher), 1 x 4 slots.
    cluster =
        EmbeddedFlinkCluster.start(
            EmbeddedFlinkSettings.create(
                ConfigFactory.parseString(
                        "autopilot.flink-embedded { task-managers = 1, slots-per-task-manager = 4"
                            + " }")
                    .withFallback(ConfigFactory.load()),
                checkpoints.toAbsolutePath()));
    settings =
        FlinkRestSettings.create(ConfigFactory.load())
            .withBaseUrl(cluster.restUri())
            .withRequestTimeout(Duration.ofSeconds(30));
    launcher =
        (pipelineId, config, restorePath) ->
            cluster.submit(TestPipelineJob.jobGraph(config, restorePath));
    Map<String, Integer> p = new LinkedHashMap<>();
    p.put(TestPipelineJob.SOURCE, 1);
    p.put(TestPipelineJob.ENRICH, 2);
    p.put(TestPipelineJob.COUNT, 2);
    p.put(TestPipelineJob.SINK, 1);
    JobID first =
        launcher.submit(PIPELINE, new PipelineConfig(p, 64, 1, 1, 1, 1, 4), Optional.empty());
    FlinkRestClient client = FlinkRestClient.create(settings);
    await(
        "first job running with a completed checkpoint",
        () -> {
          JsonNode cp = client.checkpoints(first.toHexString());
          return running(client) && cp.path("counts").path("completed").asLong() > 0;
        });
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Override
  protected Platform createPlatform() {
    FlinkRestClient client = FlinkRestClient.create(settings);
    await("the pipeline's job running", () -> running(client));
    return FlinkRestPlatform.create(settings, Map.of(PIPELINE, TestPipelineJob.JOB_NAME), launcher);
  }

  @Override
  protected String pipelineId() {
    return PIPELINE;
  }

  @Override
  protected void advanceTime() {
    FlinkRestClient client = FlinkRestClient.create(settings);
    await("the pipeline's job running again", () -> running(client));
  }

  // ------------------------------------------------------------------------------ beyond the
  // contract

  @Test
  void rescalesThroughTheAdaptiveSchedulerAndObservesTheNewParallelism() {
    PipelineConfig current = platform.observe(PIPELINE).config();
    int now = current.parallelismOf(TestPipelineJob.ENRICH);
    PipelineConfig next = current.withParallelism(Map.of(TestPipelineJob.ENRICH, now == 3 ? 2 : 3));
    ActuationResult first = platform.apply(PIPELINE, next);
    assertEquals(ActuationResult.Outcome.APPLIED, first.outcome(), first.detail());
    await("vertex rescaled", () -> next.equals(platform.observe(PIPELINE).config()));
    assertEquals(ActuationResult.Outcome.UNCHANGED, platform.apply(PIPELINE, next).outcome());
  }

  @Test
  void ratesComeFromTheSecondObservationAndTheSnapshotIsValid() {
    TelemetrySnapshot first = platform.observe(PIPELINE);
    OperatorMetrics source = first.operator(TestPipelineJob.SOURCE);
    assertTrue(source.isAbsent("recordsInPerSecond"), "no rate on the first observation");
    assertTrue(first.job().isAbsent("latencyP99Ms"));
    long[] lastTick = {first.tick()};
    TelemetrySnapshot[] later = new TelemetrySnapshot[1];
    await(
        "a measured source rate",
        () -> {
          later[0] = platform.observe(PIPELINE);
          assertTrue(later[0].tick() > lastTick[0]);
          lastTick[0] = later[0].tick();
          OperatorMetrics s = later[0].operator(TestPipelineJob.SOURCE);
          return !s.isAbsent("recordsInPerSecond") && s.recordsInPerSecond() > 0;
        });
    TelemetrySnapshot s = later[0];
    assertEquals(
        Optional.empty(), SnapshotValidator.validate(s, platform.pipelines(), first.tick()));
    OperatorMetrics src = s.operator(TestPipelineJob.SOURCE);
    assertFalse(src.isAbsent("pendingRecords"), "the source's pendingRecords gauge is read");
    assertTrue(src.isAbsent("busyTimeMsPerSecond"), "a legacy source reports busy time as NaN");
    OperatorMetrics count = s.operator(TestPipelineJob.COUNT);
    assertFalse(count.isAbsent("busyTimeMsPerSecond"));
    assertFalse(count.isAbsent("recordsInPerSecond"));
    // Over a window of several seconds the measured source rate is the offered 4000 records/s:
    // the source emits what is due, and the metric fetcher's 1 s staleness at either end of the
    // window bounds the error.
    TelemetrySnapshot start = platform.observe(PIPELINE);
    // meanwhile a client keeps Flink's on-demand metric store fresh, as an open Web UI does
    FlinkRestClient ui = FlinkRestClient.create(settings);
    await(
        "a six-second window",
        () -> {
          ui.taskManagers()
              .path("taskmanagers")
              .forEach(
                  tm ->
                      ui.taskManagerMetrics(
                          tm.path("id").asText(), List.of("Status.JVM.CPU.Load")));
          return System.currentTimeMillis() - start.eventTimeMillis() >= 6_000;
        });
    TelemetrySnapshot end = platform.observe(PIPELINE);
    double measured = end.operator(TestPipelineJob.SOURCE).recordsInPerSecond();
    assertTrue(
        measured > 0.5 * TestPipelineJob.DEMAND_PER_SECOND
            && measured < 1.5 * TestPipelineJob.DEMAND_PER_SECOND,
        () ->
            "measured "
                + measured
                + " records/s against 4000 offered; absent: "
                + end.operator(TestPipelineJob.SOURCE).absent());
    assertEquals(measured, end.job().throughputPerSecond(), 1e-9);
    assertFalse(s.taskManagers().get(0).isAbsent(Metric.HEAP_USED));
    assertTrue(s.taskManagers().get(0).get(Metric.HEAP_USED) > 0);
    assertTrue(s.taskManagers().get(0).isAbsent(Metric.NODE_DISK_RATIO));
    assertEquals(1, s.job().runningTaskManagers());
  }

  @Test
  void aSavepointTriggerIsIdempotentPerRequest() {
    String a = ((FlinkRestPlatform) platform).savepoint(PIPELINE, "savepoint-request-1");
    String b = ((FlinkRestPlatform) platform).savepoint(PIPELINE, "savepoint-request-1");
    assertEquals(a, b, "the same trigger id joins the same savepoint");
    String c = ((FlinkRestPlatform) platform).savepoint(PIPELINE, "savepoint-request-2");
    assertNotEquals(a, c);
  }

  @Test
  void withoutALauncherResubmissionsAndTaskManagerChangesAreRejected() {
    FlinkRestPlatform observer =
        FlinkRestPlatform.create(settings, Map.of(PIPELINE, TestPipelineJob.JOB_NAME), null);
    PipelineConfig current = observer.observe(PIPELINE).config();
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () ->
                observer.apply(
                    PIPELINE,
                    current.withCheckpointIntervalSeconds(
                        current.checkpointIntervalSeconds() + 5)));
    assertEquals(PlatformException.Kind.REJECTED, e.kind());
    assertTrue(e.getMessage().contains("FlinkJobLauncher"), e.getMessage());
    PlatformException tm =
        assertThrows(
            PlatformException.class,
            () -> observer.apply(PIPELINE, current.withTaskManagers(current.taskManagers() + 1)));
    assertEquals(PlatformException.Kind.REJECTED, tm.kind());
    assertTrue(tm.getMessage().contains("KubernetesPlatform"), tm.getMessage());
    assertEquals(current, observer.observe(PIPELINE).config());
  }

  @Test
  void aTaskRestartResubmitsTheJobFromItsLatestCheckpointOnce() {
    TelemetrySnapshot before = platform.observe(PIPELINE);
    ActuationResult r =
        platform.recover(PIPELINE, "restart-1", new Action.RestartTask(TestPipelineJob.COUNT));
    assertEquals(ActuationResult.Outcome.APPLIED, r.outcome(), r.detail());
    advanceTime();
    TelemetrySnapshot after = platform.observe(PIPELINE);
    assertTrue(
        after.checkpoints().lastRestoredCheckpointId() >= 0,
        "the new job restored from a checkpoint or savepoint: " + r.detail());
    assertEquals(before.config(), after.config());
    assertEquals(
        ActuationResult.Outcome.DUPLICATE,
        platform
            .recover(PIPELINE, "restart-1", new Action.RestartTask(TestPipelineJob.COUNT))
            .outcome());
  }

  @Test
  void aFullRestartStopsWithASavepointAndResubmits() {
    PipelineConfig before = platform.observe(PIPELINE).config();
    ActuationResult r = platform.recover(PIPELINE, "full-1", new Action.FullRestart(null));
    assertEquals(ActuationResult.Outcome.APPLIED, r.outcome(), r.detail());
    assertTrue(r.detail().contains("savepoint"), r.detail());
    advanceTime();
    TelemetrySnapshot after = platform.observe(PIPELINE);
    assertEquals(before, after.config());
    assertTrue(after.checkpoints().lastRestoredCheckpointId() >= 0);
  }

  @Test
  void aDiscardedOlderCheckpointCannotBeRestored() {
    // Flink retains one checkpoint by default (state.checkpoints.num-retained = 1)
    PlatformException e =
        assertThrows(
            PlatformException.class,
            () -> platform.recover(PIPELINE, "restore-5", new Action.RestoreCheckpoint(5)));
    assertEquals(PlatformException.Kind.REJECTED, e.kind());
  }

  @Test
  void redeployingAnOperatorRescalesIt() {
    PipelineConfig current = platform.observe(PIPELINE).config();
    int p = current.parallelismOf(TestPipelineJob.COUNT) == 1 ? 2 : 1;
    ActuationResult r =
        platform.recover(
            PIPELINE, "redeploy-1", new Action.RedeployOperator(TestPipelineJob.COUNT, p));
    assertEquals(ActuationResult.Outcome.APPLIED, r.outcome(), r.detail());
    await(
        "count rescaled",
        () -> platform.observe(PIPELINE).config().parallelismOf(TestPipelineJob.COUNT) == p);
  }

  // ------------------------------------------------------------------------------ helpers

  /** Whether the pipeline's newest job runs with every task running. */
  private static boolean running(FlinkRestClient client) {
    for (JsonNode j : client.jobsOverview().path("jobs")) {
      if (TestPipelineJob.JOB_NAME.equals(j.path("name").asText())
          && "RUNNING".equals(j.path("state").asText())) {
        JsonNode tasks = j.path("tasks");
        return tasks.path("total").asInt() > 0
            && tasks.path("running").asInt() == tasks.path("total").asInt();
      }
    }
    return false;
  }

  /** Polls {@code condition} until it holds, failing after a generous deadline. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (PlatformException e) {
        if (!e.retryable() && e.kind() != PlatformException.Kind.NOT_FOUND) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + DEADLINE + " waiting for " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
