package dev.autopilot.runtime.flink.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.runtime.RuntimeConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agents (the real sharded actors through the control loop and the wall-clock collector, the
 * shipped recovery models, DS2 optimization; the prediction agent is left out, see below) manage
 * the embedded real Flink job through the Flink REST platform while real faults are injected. One
 * MiniCluster for the three cases, in order; each case waits with a bounded deadline.
 *
 * <p>The prediction agent is not among the proposers here: its shipped violation model scores the
 * embedded job's telemetry 1.0 at every tick (out of its training distribution) and pre-scales
 * every operator to 4 before any surge, which would make the surge case meaningless.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Disabled(
    "Fails on real Flink as of this commit (measured 2026-11-21, 218 s): the recovery agent did not"
        + " detect the lost TaskManager nor the exception storm within 30 s (Flink restarts in 1-2"
        + " s, under the 3-tick incident gate; the shipped detectors score the embedded telemetry"
        + " ~1.0 at every tick), and DS2's scale-up for the surge is refused by admission as a"
        + " predicted throughput drop (its busy-time capacity estimate is far below what the job"
        + " sustains). Kept as the acceptance test of issue 6; enable once the agents pass it.")
class EmbeddedAgentsIT {
  /** Detection bound of the two faults, from the injection. */
  static final Duration DETECT = Duration.ofSeconds(30);

  /** Recovery bound: from the injection (TaskManager) or from the clearance (storm). */
  static final Duration RECOVER = Duration.ofSeconds(45);

  /** Rescale-and-drain bound of the surge, from the surge. */
  static final Duration SURGE = Duration.ofSeconds(90);

  @TempDir static Path dir;
  static EmbeddedFlinkSession session;

  static Config config() {
    return RuntimeConfig.load(
        "local",
        ConfigFactory.parseString(
            """
            autopilot.flink-embedded {
              task-managers = 3
              max-task-managers = 4
              slots-per-task-manager = 2
              checkpoint-interval = 5s
              restart-delay = 500ms
              enrich-lookup-micros = 1000
              task-manager-replacement-delay = 10s
              run.tick-interval = 2s
              run.throughput-target = 400
              run.surge-factor = 4
            }
            autopilot.meta.proposers = [recovery, optimization]
            """));
  }

  @BeforeAll
  static void start() throws Exception {
    session = EmbeddedFlinkSession.start(config(), dir, () -> 400);
    // a baseline for the detectors: 15 healthy ticks
    await(
        Duration.ofSeconds(90),
        "15 healthy ticks",
        () ->
            session.observations().stream().filter(o -> session.tracker().healthy(o)).count() >= 15
                ? true
                : null);
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      session.close();
    }
  }

  static <T> T await(Duration timeout, String what, Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T t = probe.get();
      if (t != null) {
        return t;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "not within " + timeout + ": " + what + "; incidents " + session.tracker().incidents());
  }

  static IncidentTracker.Incident latest(EmbeddedFault fault) {
    List<IncidentTracker.Incident> all = session.tracker().incidents();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).fault() == fault) {
        return all.get(i);
      }
    }
    throw new AssertionError("no incident of " + fault);
  }

  @Test
  @Order(1)
  void aLostTaskManagerIsDetectedAndTheJobRecovers() throws Exception {
    session.inject(EmbeddedFault.TASK_MANAGER_LOST);
    IncidentTracker.Incident detected =
        await(
            DETECT,
            "detection of the lost TaskManager",
            () -> {
              IncidentTracker.Incident i = latest(EmbeddedFault.TASK_MANAGER_LOST);
              return i.detected() ? i : null;
            });
    assertNotNull(detected.diagnosis(), "the recovery agent names a cause");
    IncidentTracker.Incident recovered =
        await(
            RECOVER,
            "recovery from the lost TaskManager",
            () -> {
              IncidentTracker.Incident i = latest(EmbeddedFault.TASK_MANAGER_LOST);
              return i.recovered() ? i : null;
            });
    assertTrue(recovered.degraded());
    assertTrue(recovered.mttrSeconds() <= RECOVER.toSeconds());
  }

  @Test
  @Order(2)
  void anExceptionStormIsDetectedAndTheJobRecoversOnceItEnds() throws Exception {
    session.inject(EmbeddedFault.EXCEPTION_STORM);
    IncidentTracker.Incident detected;
    try {
      detected =
          await(
              DETECT,
              "detection of the exception storm",
              () -> {
                IncidentTracker.Incident i = latest(EmbeddedFault.EXCEPTION_STORM);
                return i.detected() ? i : null;
              });
    } finally {
      session.clear(EmbeddedFault.EXCEPTION_STORM);
    }
    assertNotNull(detected.diagnosis(), "the recovery agent names a cause");
    IncidentTracker.Incident recovered =
        await(
            RECOVER,
            "recovery after the storm",
            () -> {
              IncidentTracker.Incident i = latest(EmbeddedFault.EXCEPTION_STORM);
              return i.recovered() ? i : null;
            });
    assertTrue(recovered.degraded(), "the storm made the job restart");
    assertTrue(recovered.recoveredAtMillis() >= recovered.clearedAtMillis());
  }

  @Test
  @Order(3)
  void aDemandSurgeIsAbsorbedByARescaleThroughResourceRequirements() throws Exception {
    int before = maxUpperBound();
    session.inject(EmbeddedFault.DEMAND_SURGE);
    try {
      await(
          SURGE,
          "a rescale above parallelism " + before,
          () -> maxUpperBound() > before ? true : null);
      IncidentTracker.Incident i =
          await(
              SURGE,
              "the backlog drained",
              () -> {
                IncidentTracker.Incident x = latest(EmbeddedFault.DEMAND_SURGE);
                return x.recovered() ? x : null;
              });
      assertTrue(i.detected(), "a proposal raised the parallelism");
      assertTrue(i.maxParallelism() > before);
      IncidentTracker.Observation last = session.last().orElseThrow();
      assertEquals(JobMetrics.JobState.RUNNING, last.state());
    } finally {
      session.clear(EmbeddedFault.DEMAND_SURGE);
    }
  }

  /** The largest parallelism upper bound the adaptive scheduler was asked for (REST). */
  static int maxUpperBound() {
    try {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      String base = session.cluster().restUri().toString();
      JsonNode jobs =
          json.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/jobs/overview")).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      int max = 0;
      for (JsonNode j : jobs.get("jobs")) {
        if (!"RUNNING".equals(j.get("state").asText())) {
          continue;
        }
        JsonNode req =
            json.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create(
                                    base
                                        + "/jobs/"
                                        + j.get("jid").asText()
                                        + "/resource-requirements"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        for (JsonNode v : req) {
          max = Math.max(max, v.path("parallelism").path("upperBound").asInt());
        }
      }
      return max;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
