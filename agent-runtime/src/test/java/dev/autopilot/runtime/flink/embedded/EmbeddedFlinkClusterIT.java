package dev.autopilot.runtime.flink.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.PipelineConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded cluster, its job and its chaos hook, seen over Flink's REST API only: eight named
 * vertices, the source's backlog gauge, and real faults (an exception storm restarts the job; a
 * lost TaskManager is replaced).
 */
class EmbeddedFlinkClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path dir;
  static EmbeddedFlinkCluster cluster;
  static String jobId;
  static volatile double rate = 300;

  @BeforeAll
  static void start() {
    EmbeddedFlinkSettings s =
        new EmbeddedFlinkSettings(
            2,
            2,
            2,
            4,
            4,
            1,
            Duration.ofSeconds(2),
            Duration.ofSeconds(20),
            3,
            Duration.ofMillis(500),
            100,
            Duration.ofSeconds(1),
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            dir.resolve("checkpoints"));
    DemandLedger.reset(s.partitions(), () -> rate);
    cluster = EmbeddedFlinkCluster.start(s);
    Map<String, Integer> p = new LinkedHashMap<>();
    TaxiTripJob.OPERATORS.forEach(op -> p.put(op, 1));
    jobId = cluster.submit(new PipelineConfig(p, 32, 2, 2, 1, 1, 2), null).toHexString();
  }

  @AfterAll
  static void stop() {
    Chaos.clear();
    if (cluster != null) {
      cluster.close();
    }
  }

  static JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(cluster.restUri() + path))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return JSON.readTree(r.body());
  }

  static <T> T await(Duration timeout, String what, Supplier<T> probe) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      T t = probe.get();
      if (t != null) {
        return t;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not within " + timeout + ": " + what);
  }

  static JsonNode job() {
    try {
      return get("/jobs/" + jobId);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String vertexId(String name) {
    for (JsonNode v : job().get("vertices")) {
      if (v.get("name").asText().equals(name)) {
        return v.get("id").asText();
      }
    }
    throw new AssertionError("no vertex " + name);
  }

  @Test
  void runsEightNamedVerticesAndReportsTheBacklog() throws Exception {
    await(Duration.ofSeconds(60), "job RUNNING", () -> running() ? true : null);
    List<String> names = new ArrayList<>();
    job().get("vertices").forEach(v -> names.add(v.get("name").asText()));
    assertEquals(
        List.of(
            "Source: trips",
            "parse",
            "enrich",
            "filter",
            "transform",
            "window-agg",
            "session-agg",
            "Sink: results"),
        names);
    String source = vertexId("Source: trips");
    // The source's backlog gauge is there and reads a number.
    double pending =
        await(
            Duration.ofSeconds(30),
            "pendingRecords reported",
            () -> metric(source, "Source__trips.pendingRecords"));
    assertTrue(pending >= 0);
    // Demand the job cannot take (a slow enrich: 20 records/s against 300 demanded) piles up as a
    // visible backlog once backpressure reaches the source.
    Chaos.on("enrich", new Chaos.Switch(Chaos.Kind.SLOW, 50_000));
    try {
      await(
          Duration.ofSeconds(90),
          "backlog grows above 500 (once the in-flight network buffers are full)",
          () -> {
            Double v = metric(source, "Source__trips.pendingRecords");
            return v != null && v > 500 ? v : null;
          });
    } finally {
      Chaos.off("enrich", Chaos.Kind.SLOW);
    }
    await(
        Duration.ofSeconds(60),
        "backlog drains below 200",
        () -> {
          Double v = metric(source, "Source__trips.pendingRecords");
          return v != null && v < 200 ? v : null;
        });
  }

  @Test
  void anExceptionStormRestartsTheJob() throws Exception {
    await(Duration.ofSeconds(60), "job RUNNING", () -> running() ? true : null);
    long before = restarts();
    Chaos.on("parse", new Chaos.Switch(Chaos.Kind.EXCEPTION_STORM, 50));
    try {
      await(Duration.ofSeconds(30), "two restarts", () -> restarts() >= before + 2 ? true : null);
    } finally {
      Chaos.off("parse", Chaos.Kind.EXCEPTION_STORM);
    }
    assertTrue(Chaos.thrown() >= 2);
    // Flink's failure history names each failure's cause (not the TaskManager it ran on under the
    // adaptive scheduler), which is what the REST platform counts as TASKS_FAILED_TOTAL and user
    // EXCEPTIONS
    JsonNode history = get("/jobs/" + jobId + "/exceptions?maxExceptions=64");
    List<dev.autopilot.runtime.flink.FlinkFailureHistory.Failure> failures =
        dev.autopilot.runtime.flink.FlinkFailureHistory.parse(history).orElseThrow();
    long user =
        failures.stream()
            .filter(f -> f.kind() == dev.autopilot.runtime.flink.FlinkFailureHistory.Kind.USER)
            .count();
    assertTrue(
        user >= 2,
        "user failures (the adaptive scheduler does not locate them): "
            + failures
            + "; history "
            + history);
    await(Duration.ofSeconds(60), "job RUNNING again", () -> running() ? true : null);
  }

  static boolean running() {
    JsonNode j = job();
    if (!"RUNNING".equals(j.get("state").asText())) {
      return false;
    }
    for (JsonNode v : j.get("vertices")) {
      if (!"RUNNING".equals(v.get("status").asText())) {
        return false;
      }
    }
    return true;
  }

  static long restarts() {
    try {
      JsonNode m = get("/jobs/" + jobId + "/metrics?get=numRestarts");
      return m.size() == 0 ? 0 : (long) m.get(0).get("value").asDouble();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Double metric(String vertex, String name) {
    try {
      JsonNode m = get("/jobs/" + jobId + "/vertices/" + vertex + "/subtasks/metrics?get=" + name);
      if (m.size() == 0 || m.get(0).get("sum") == null) {
        return null;
      }
      return m.get(0).get("sum").asDouble();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
