package dev.autopilot.runtime.flink.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.api.Diagnostics;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.Proposal;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.sim.FaultCatalogue;
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
 * <p>Detection is the agents': a recovery proposal or a rise of the recovery agent's anomaly flag
 * after the injection (see {@link IncidentTracker}), never Flink's own restart. On the embedded job
 * the shipped isolation forest and autoencoder are out of their training distribution (their
 * out-of-distribution guards drop them after the warm-up), so the flag is the CUSUM/EWMA
 * detectors'. Diagnosis: the recovery agent's top cause at detection is of the right category (the
 * paper's: {@link FaultCatalogue#category}), infrastructure (a fault that strikes a node) for the
 * lost TaskManager and application-level for the storm, whose exceptions reach the agents through
 * Flink's failure history; over REST much of the evidence that tells the modes of one category
 * apart (logs, node conditions) is not observable. Bounds: detection within {@link #DETECT} of the
 * injection; the job healthy again (RUNNING on every provisioned TaskManager, backlog under 5 s of
 * demand, 3 ticks) within {@link #RECOVER} of the injection (TaskManager) or of the clearance
 * (storm); Flink's own restart takes 1-2 s, the replacement TaskManager 10 s. Before each fault the
 * test waits (at most {@link #CALM}) for 3 ticks without the flag, so that a detection is not an
 * earlier flag still up (a previous fault's, or a false alarm of the warming-up detectors).
 *
 * <p>The prediction agent is not among the proposers here: its shipped violation model scores the
 * embedded job's telemetry 1.0 at every tick (out of its training distribution) and pre-scales
 * every operator to 4 before any surge, which would make the surge case meaningless.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedAgentsIT {
  /** Detection bound of the two faults, from the injection. */
  static final Duration DETECT = Duration.ofSeconds(30);

  /** Recovery bound: from the injection (TaskManager) or from the clearance (storm). */
  static final Duration RECOVER = Duration.ofSeconds(45);

  /** How long a case may wait for the agents to stop flagging the previous fault. */
  static final Duration CALM = Duration.ofSeconds(60);

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
    Config config = config();
    session = EmbeddedFlinkSession.start(config, dir, () -> 400);
    // a baseline for the detectors: 15 healthy ticks, and the recovery agent's detectors and
    // out-of-distribution guards past their warm-up (a fault injected during the warm-up would be
    // learned as the normal level)
    int warmup =
        Math.max(
                config.getInt("autopilot.recovery.detector.warmup-ticks"),
                config.getInt("autopilot.recovery.ensemble.ood-guard.warmup-ticks"))
            + 3;
    await(
        Duration.ofSeconds(150),
        "15 healthy ticks and " + warmup + " ticks of warm-up",
        () ->
            session.observations().size() >= warmup
                    && session.observations().stream()
                            .filter(o -> session.tracker().healthy(o))
                            .count()
                        >= 15
                ? true
                : null);
  }

  @AfterAll
  static void stop() {
    if (session != null) {
      // the measured figures, for the record of the run
      session
          .tracker()
          .incidents()
          .forEach(i -> System.out.println("EmbeddedAgentsIT incident: " + i));
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
        "not within "
            + timeout
            + ": "
            + what
            + "; incidents "
            + session.tracker().incidents()
            + "; the agents' last ticks:\n"
            + recentTicks(45));
  }

  /** The agents' view of the last ticks: recovery diagnostics, proposals and the decision. */
  static String recentTicks(int n) {
    List<MetaAgent.TickClosed> closed = session.closedTicks();
    StringBuilder out = new StringBuilder();
    for (MetaAgent.TickClosed c : closed.subList(Math.max(0, closed.size() - n), closed.size())) {
      out.append("  tick ").append(c.tick());
      for (Diagnostics d : c.diagnostics()) {
        out.append(" | ")
            .append(d.agent())
            .append(d.anomaly() ? " ANOMALY " : " normal ")
            .append(String.format(java.util.Locale.ROOT, "%.2f", d.anomalyScore()))
            .append(" cusum-ewma alarms ")
            .append(
                d.votes().stream()
                    .filter(v -> v.detector().contains("cusum-ewma alarms"))
                    .map(v -> v.detector().replaceAll(".*cusum-ewma alarms: ", ""))
                    .toList())
            .append(" causes ")
            .append(
                d.causes().stream()
                    .map(
                        x ->
                            x.mode() + String.format(java.util.Locale.ROOT, "=%.2f", x.posterior()))
                    .toList());
      }
      for (Proposal p : c.proposals()) {
        out.append(" | proposal ").append(p.agent()).append(": ").append(p.action().describe());
      }
      if (c.decision() != null) {
        out.append(" | decision ")
            .append(c.decision().verdict())
            .append(": ")
            .append(c.decision().reason())
            .append(" ")
            .append(c.decision().rejections());
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * Waits until the recovery agent no longer flags the pipeline (3 ticks in a row), so that the
   * next fault's detection is not the previous fault's flag still up.
   */
  static void awaitAgentsCalm() throws Exception {
    await(
        CALM,
        "3 ticks without the recovery agent's anomaly flag before the next fault",
        () -> {
          List<IncidentTracker.Observation> all = session.observations();
          if (all.size() < 3) {
            return null;
          }
          return all.subList(all.size() - 3, all.size()).stream()
                  .noneMatch(IncidentTracker.Observation::recoveryAnomaly)
              ? true
              : null;
        });
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
    awaitAgentsCalm();
    session.inject(EmbeddedFault.TASK_MANAGER_LOST);
    IncidentTracker.Incident detected =
        await(
            DETECT,
            "detection of the lost TaskManager",
            () -> {
              IncidentTracker.Incident i = latest(EmbeddedFault.TASK_MANAGER_LOST);
              return i.detected() ? i : null;
            });
    assertEquals(
        FaultCatalogue.Category.INFRASTRUCTURE,
        FaultCatalogue.category(FailureMode.valueOf(detected.diagnosis())),
        "an infrastructure cause (a TaskManager is gone), not " + detected.diagnosis());
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
    awaitAgentsCalm();
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
    assertEquals(
        FaultCatalogue.Category.APPLICATION,
        FaultCatalogue.category(FailureMode.valueOf(detected.diagnosis())),
        "an application-level cause (user code throws), not " + detected.diagnosis());
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
