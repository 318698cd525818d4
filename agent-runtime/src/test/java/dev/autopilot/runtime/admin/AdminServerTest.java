package dev.autopilot.runtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.testing.Snapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP surface against a recording {@link PipelineControl}: authentication,
 * read-only mode, body validation, limits, unknown pipelines, and that no token reaches a log.
 */
class AdminServerTest {

  private static final String ALICE_TOKEN = "alice-secret-token-0123456789";
  private static final String BOB_TOKEN = "bob-secret-token-9876543210xyz";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the fake meta-agents were asked. */
  private static final class Recording implements PipelineControl {
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public List<String> pipelines() {
      return List.of("orders", "clicks");
    }

    @Override
    public CompletionStage<Map<String, Object>> view(String id) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", id);
      m.put("mode", "autonomous");
      return CompletableFuture.completedFuture(m);
    }

    @Override
    public CompletionStage<Void> setMode(String id, Mode mode, String by) {
      calls.add("mode " + id + " " + mode + " " + by);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<String> decide(
        String id, String pid, boolean approve, String by, String reason) {
      calls.add("decide " + id + " " + pid + " " + approve + " " + by + " " + reason);
      if (pid.equals("nothing")) {
        return CompletableFuture.failedFuture(new Refused("no decision nothing awaits approval"));
      }
      return CompletableFuture.completedFuture("decision-" + id + "-1");
    }

    @Override
    public CompletionStage<PipelineConfig> rollback(
        String id, int levels, String reason, String by) {
      calls.add("rollback " + id + " " + levels + " " + reason + " " + by);
      return CompletableFuture.completedFuture(Snapshots.defaultConfig());
    }
  }

  private final Recording control = new Recording();
  private AdminServer server;

  private static AdminSettings settings(Map<String, String> tokens) {
    return AdminSettings.create(
            ConfigFactory.parseString("autopilot.admin.interface = 127.0.0.1")
                .withFallback(ConfigFactory.load()))
        .with(0, tokens);
  }

  private void start(Map<String, String> tokens) throws IOException {
    server = AdminServer.start(settings(tokens), control);
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  record Response(int status, JsonNode body) {
    String error() {
      return body.path("error").asText();
    }
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Response call(String method, String path, String authorization, String type, byte[] body)
      throws IOException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    if (type != null) {
      b.header("Content-Type", type);
    }
    HttpResponse<byte[]> r;
    try {
      r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    byte[] bytes = r.body();
    return new Response(r.statusCode(), bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes));
  }

  private Response call(String method, String path, String token, String json) throws IOException {
    return call(
        method,
        path,
        token == null ? null : "Bearer " + token,
        "application/json",
        json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void listsEveryPipelineWithoutAToken() throws IOException {
    start(Map.of("alice", ALICE_TOKEN));
    Response r = call("GET", "/pipelines", null, null, null);
    assertEquals(200, r.status());
    assertEquals(2, r.body().path("pipelines").size());
    assertEquals("orders", r.body().path("pipelines").get(0).path("id").asText());
  }

  @Test
  void aMutationNeedsTheRightBearerToken() throws IOException {
    start(Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN));
    String body = "{\"mode\": \"shadow\"}";
    Response missing = call("PUT", "/pipelines/orders/mode", null, body);
    assertEquals(401, missing.status());
    assertTrue(missing.error().contains("missing Authorization"), missing.error());
    Response wrong = call("PUT", "/pipelines/orders/mode", ALICE_TOKEN + "x", body);
    assertEquals(401, wrong.status());
    assertEquals("invalid bearer token", wrong.error());
    Response basic =
        call(
            "PUT",
            "/pipelines/orders/mode",
            "Basic " + ALICE_TOKEN,
            "application/json",
            body.getBytes(StandardCharsets.UTF_8));
    assertEquals(401, basic.status());
    assertTrue(control.calls.isEmpty(), "nothing reached the meta-agents: " + control.calls);

    Response ok = call("PUT", "/pipelines/orders/mode", BOB_TOKEN, body);
    assertEquals(200, ok.status());
    assertEquals("shadow", ok.body().path("mode").asText());
    assertEquals("bob", ok.body().path("requestedBy").asText());
    assertEquals(List.of("mode orders SHADOW bob"), control.calls);
  }

  @Test
  void withoutTokensTheApiIsReadOnly() throws IOException {
    start(Map.of());
    Response r =
        call("PUT", "/pipelines/orders/mode", "anything-at-all-long", "{\"mode\":\"shadow\"}");
    assertEquals(403, r.status());
    assertTrue(r.error().contains("read-only"), r.error());
    assertEquals(200, call("GET", "/pipelines", null, null, null).status());
    assertTrue(control.calls.isEmpty());
  }

  @Test
  void bodiesAreValidated() throws IOException {
    start(Map.of("alice", ALICE_TOKEN));
    String mode = "/pipelines/orders/mode";
    assertEquals(400, call("PUT", mode, ALICE_TOKEN, "{\"mode\": ").status());
    assertEquals(400, call("PUT", mode, ALICE_TOKEN, "[1, 2]").status());
    Response unknownMode = call("PUT", mode, ALICE_TOKEN, "{\"mode\": \"turbo\"}");
    assertEquals(400, unknownMode.status());
    assertTrue(unknownMode.error().contains("unknown mode 'turbo'"), unknownMode.error());
    Response extra = call("PUT", mode, ALICE_TOKEN, "{\"mode\": \"shadow\", \"force\": true}");
    assertEquals(400, extra.status());
    assertTrue(extra.error().contains("unknown field 'force'"), extra.error());
    assertEquals(400, call("PUT", mode, ALICE_TOKEN, "{\"mode\": 3}").status());
    assertEquals(
        415,
        call("PUT", mode, "Bearer " + ALICE_TOKEN, "text/plain", "mode=shadow".getBytes())
            .status());
    String rollback = "/pipelines/orders/rollback";
    assertEquals(400, call("POST", rollback, ALICE_TOKEN, "{\"levels\": 0}").status());
    assertEquals(400, call("POST", rollback, ALICE_TOKEN, "{\"levels\": 6}").status());
    assertEquals(400, call("POST", rollback, ALICE_TOKEN, "{\"levels\": \"2\"}").status());
    assertEquals(400, call("POST", rollback, ALICE_TOKEN, "{\"reason\": \"x\"}").status());
    Response decision =
        call("POST", "/pipelines/orders/approvals/p-1", ALICE_TOKEN, "{\"decision\": \"maybe\"}");
    assertEquals(400, decision.status());
    assertTrue(control.calls.isEmpty(), "invalid bodies reach no meta-agent: " + control.calls);
  }

  @Test
  void oversizedBodiesGet413() throws IOException {
    start(Map.of("alice", ALICE_TOKEN));
    StringBuilder big = new StringBuilder("{\"mode\": \"shadow\", \"reason\": \"");
    big.append("x".repeat(40_000)).append("\"}");
    Response r = call("PUT", "/pipelines/orders/mode", ALICE_TOKEN, big.toString());
    assertEquals(413, r.status());
    assertTrue(control.calls.isEmpty());
  }

  @Test
  void unknownPipelinesAndPathsGet404AndWrongMethods405() throws IOException {
    start(Map.of("alice", ALICE_TOKEN));
    Response r = call("PUT", "/pipelines/nope/mode", ALICE_TOKEN, "{\"mode\": \"shadow\"}");
    assertEquals(404, r.status());
    assertEquals("unknown pipeline 'nope'", r.error());
    assertEquals(404, call("GET", "/admin", null, null, null).status());
    assertEquals(404, call("POST", "/pipelines/orders/explode", ALICE_TOKEN, "{}").status());
    assertEquals(405, call("GET", "/pipelines/orders/mode", null, null, null).status());
    assertEquals(405, call("DELETE", "/pipelines", null, null, null).status());
  }

  @Test
  void eachMutationReachesTheMetaAgentWithTheCallersIdentity() throws IOException {
    start(Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN));
    Response approve =
        call(
            "POST",
            "/pipelines/clicks/approvals/recovery-clicks-1-0",
            ALICE_TOKEN,
            "{\"decision\": \"approve\"}");
    assertEquals(200, approve.status());
    assertEquals("decision-clicks-1", approve.body().path("decisionId").asText());
    Response reject =
        call(
            "POST",
            "/pipelines/clicks/approvals/decision-clicks-1",
            BOB_TOKEN,
            "{\"decision\": \"reject\", \"reason\": \"peak hour\"}");
    assertEquals(200, reject.status());
    Response none =
        call(
            "POST",
            "/pipelines/clicks/approvals/nothing",
            BOB_TOKEN,
            "{\"decision\": \"approve\"}");
    assertEquals(409, none.status());
    assertEquals("no decision nothing awaits approval", none.error());
    Response rollback =
        call(
            "POST",
            "/pipelines/orders/rollback",
            ALICE_TOKEN,
            "{\"levels\": 2, \"reason\": \"bad\"}");
    assertEquals(200, rollback.status());
    assertEquals(Snapshots.defaultConfig().summary(), rollback.body().path("restored").asText());
    assertEquals(
        List.of(
            "decide clicks recovery-clicks-1-0 true alice null",
            "decide clicks decision-clicks-1 false bob peak hour",
            "decide clicks nothing true bob null",
            "rollback orders 2 bad alice"),
        control.calls);
  }

  @Test
  void garbageDoesNotCrashTheServer() throws IOException {
    start(Map.of("alice", ALICE_TOKEN));
    byte[] garbage = new byte[512];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = (byte) (i * 31 + 7);
    }
    assertEquals(
        400,
        call(
                "POST",
                "/pipelines/orders/rollback",
                "Bearer " + ALICE_TOKEN,
                "application/json",
                garbage)
            .status());
    assertEquals(200, call("GET", "/pipelines", null, null, null).status());
  }

  @Test
  void settingsParseTokensAndNeverPrintThem() {
    Map<String, String> tokens =
        AdminSettings.parseTokens("alice:" + ALICE_TOKEN + ", bob:" + BOB_TOKEN);
    assertEquals(Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN), tokens);
    String printed = settings(tokens).toString();
    assertFalse(printed.contains(ALICE_TOKEN) || printed.contains(BOB_TOKEN), printed);
    assertTrue(printed.contains("alice"));
    IllegalArgumentException shortToken =
        assertThrows(IllegalArgumentException.class, () -> AdminSettings.parseTokens("eve:short1"));
    assertFalse(shortToken.getMessage().contains("short1"), shortToken.getMessage());
    IllegalArgumentException noIdentity =
        assertThrows(
            IllegalArgumentException.class, () -> AdminSettings.parseTokens(":" + ALICE_TOKEN));
    assertFalse(noIdentity.getMessage().contains(ALICE_TOKEN));
    assertTrue(AdminSettings.parseTokens("").isEmpty());
    // The shipped default has no token: read-only unless the environment supplies one.
    assertTrue(
        AdminSettings.create(
                ConfigFactory.parseString("autopilot.admin.tokens = \"\"")
                    .withFallback(ConfigFactory.load()))
            .readOnly());
  }

  @Test
  void noTokenAppearsInAnyLogLine() throws IOException {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    Level before = root.getLevel();
    ListAppender<ILoggingEvent> captured = new ListAppender<>();
    captured.start();
    root.addAppender(captured);
    root.setLevel(Level.DEBUG);
    try {
      start(Map.of("alice", ALICE_TOKEN, "bob", BOB_TOKEN));
      String body = "{\"mode\": \"shadow\"}";
      assertEquals(200, call("PUT", "/pipelines/orders/mode", ALICE_TOKEN, body).status());
      assertEquals(401, call("PUT", "/pipelines/orders/mode", BOB_TOKEN + "-wrong", body).status());
      assertEquals(
          401,
          call(
                  "PUT",
                  "/pipelines/orders/mode",
                  "Token " + BOB_TOKEN,
                  "application/json",
                  body.getBytes())
              .status());
      assertEquals(
          401,
          call(
                  "PUT",
                  "/pipelines/orders/mode",
                  "Bearer" + ALICE_TOKEN,
                  "application/json",
                  body.getBytes())
              .status());
      assertEquals(
          400,
          call("PUT", "/pipelines/orders/mode", ALICE_TOKEN, "{\"mode\": \"" + BOB_TOKEN + "\"")
              .status());
      assertEquals(
          400,
          call("PUT", "/pipelines/orders/mode", ALICE_TOKEN, "{\"" + BOB_TOKEN + "\": 1}")
              .status());
      assertEquals(404, call("PUT", "/pipelines/nope/mode", BOB_TOKEN, body).status());
      server.close();
      server = null;
      start(Map.of());
      assertEquals(403, call("PUT", "/pipelines/orders/mode", ALICE_TOKEN, body).status());
    } finally {
      root.setLevel(before);
      root.detachAppender(captured);
    }
    List<ILoggingEvent> events = List.copyOf(captured.list);
    assertTrue(
        events.stream().anyMatch(e -> e.getFormattedMessage().contains("read-only")),
        "the read-only start is logged");
    assertTrue(
        events.stream().anyMatch(e -> e.getFormattedMessage().contains("by alice")),
        "the authorized call is logged with its identity");
    for (ILoggingEvent e : events) {
      String line = e.getFormattedMessage() + " " + e.getMDCPropertyMap();
      for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
        line += " " + t.getMessage();
      }
      for (String secret : List.of(ALICE_TOKEN, BOB_TOKEN)) {
        assertFalse(line.contains(secret), "a token in a log line: " + e.getFormattedMessage());
      }
    }
  }

  @Test
  void askTimeoutIsValidated() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new AdminSettings(true, "127.0.0.1", 0, Map.of(), 16384, Duration.ZERO));
  }
}
