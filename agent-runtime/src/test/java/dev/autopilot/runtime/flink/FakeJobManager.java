package dev.autopilot.runtime.flink;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.testing.RetryStorm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in JobManager on a JDK {@link HttpServer}: it answers the REST calls of one job ("taxi":
 * a source and an {@code enrich} map) in the shapes Flink 1.20 gives (recorded from a MiniCluster),
 * with counters the test advances, and realizes a resource-requirements PUT as the adaptive
 * scheduler would (the vertex runs at the requested upper bound).
 *
 * <p>It can be made faulty at the HTTP level ({@link #fail}): down (connection refused), answering
 * 5xx or 403, slow (past the client's timeout), stalling in the middle of the body, cutting the
 * body short, or answering 200 with garbage. A fault holds until {@link #heal()}. Every request is
 * logged with the time of a given clock ({@link #requests()}).
 */
public final class FakeJobManager implements AutoCloseable {
  public static final String JOB = "81c743cd6f7f7753a1fc15af1cd33baa";
  public static final String SRC = "ca88eee0095684d687a1b6495617f957";
  public static final String MAP = "9c32e3838cee893dbb2fc90ccad79598";

  /** What a faulty JobManager does with a request. */
  public enum Fault {
    /** Nothing listens on the port: connection refused. */
    DOWN,
    /** HTTP 503 with Flink's error body. */
    UNAVAILABLE,
    /** HTTP 500 with a Java stack trace in Flink's error body. */
    INTERNAL_ERROR,
    /** HTTP 403 (a proxy in front of the JobManager refuses). */
    FORBIDDEN,
    /** The answer comes only after the test releases it ({@link #close} or {@link #heal}). */
    SLOW,
    /** Headers and the start of the body, then nothing until released. */
    STALLED_BODY,
    /** Headers announcing the whole body, half of it, then the connection closes. */
    TRUNCATED,
    /** HTTP 200 with an HTML error page instead of JSON. */
    GARBAGE
  }

  /** Which requests a fault hits. */
  public enum Scope {
    /** Every request. */
    ALL,
    /** Only the requests that change something (PUT, POST, PATCH); reads are answered. */
    WRITES
  }

  /**
   * One request as received.
   *
   * @param at the clock's time when it arrived
   * @param method the HTTP method
   * @param path the path without the query
   * @param faulty whether a fault answered it
   */
  public record Request(Instant at, String method, String path, boolean faulty) {}

  private static final Pattern UPPER_BOUND =
      Pattern.compile(
          "\"([0-9a-f]{32})\"\\s*:\\s*\\{\\s*\"parallelism\"\\s*:\\s*\\{[^}]*\"upperBound\"\\s*:\\s*(\\d+)");

  /** The source's numRecordsOut, which the test advances. */
  public final AtomicLong sourceOut = new AtomicLong(24_339);

  /** The map's numRecordsIn, which the test advances. */
  public final AtomicLong mapIn = new AtomicLong(24_000);

  private final Map<String, Integer> parallelism = new ConcurrentHashMap<>();
  private final Map<String, String> overrides = new ConcurrentHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final Clock clock;
  private final int port;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private HttpServer server;
  private volatile Fault fault;
  private volatile Scope scope = Scope.ALL;
  private volatile CountDownLatch release = new CountDownLatch(1);

  private FakeJobManager(Clock clock) {
    this.clock = clock;
    parallelism.put(SRC, 1);
    parallelism.put(MAP, 2);
    this.server = bind(0);
    this.port = server.getAddress().getPort();
  }

  /** A healthy JobManager on a free loopback port, logging requests at {@code clock}'s time. */
  public static FakeJobManager start(Clock clock) {
    return new FakeJobManager(clock);
  }

  /**
   * {@code autopilot.flink-rest} for a drill against a fake JobManager: connect timeout 500 ms,
   * request timeout 300 ms, no metrics-fetch wait, and {@link RetryStorm#retrySettings}.
   */
  public static Config restSettings(Duration initialBackoff, Duration maxBackoff, int perMinute) {
    return ConfigFactory.parseString(
        String.join(
            "\n",
            "autopilot.flink-rest {",
            "  connect-timeout = 500ms",
            "  request-timeout = 300ms",
            "  metrics-fetch-wait = 0s",
            RetryStorm.retrySettings(initialBackoff, maxBackoff, perMinute),
            "}"));
  }

  /** Its REST endpoint. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** From now on answers the requests in {@code scope} with {@code fault}, until {@link #heal}. */
  public synchronized void fail(Fault fault, Scope scope) {
    if (fault == Fault.DOWN && scope != Scope.ALL) {
      throw new IllegalArgumentException("a JobManager is down for every request");
    }
    heal();
    this.scope = scope;
    this.fault = fault;
    if (fault == Fault.DOWN) {
      server.stop(0);
      server = null;
    }
  }

  /** Answers every request again (on the same port), and releases the held ones. */
  public synchronized void heal() {
    fault = null;
    release.countDown();
    release = new CountDownLatch(1);
    if (server == null) {
      server = bind(port);
    }
  }

  /**
   * Answers {@code path} (exactly, without the query) with HTTP 200 and {@code body} instead of the
   * job's answer, until {@link #clearOverrides()}: a JobManager answering a wrong shape.
   */
  public void override(String path, String body) {
    overrides.put(path, body);
  }

  /** Drops every override. */
  public void clearOverrides() {
    overrides.clear();
  }

  /** The parallelism a vertex runs at. */
  public int parallelismOf(String vertexId) {
    return parallelism.get(vertexId);
  }

  /** Every request so far, in arrival order. */
  public synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public synchronized void close() {
    release.countDown();
    if (server != null) {
      server.stop(0);
      server = null;
    }
    executor.shutdownNow();
  }

  private HttpServer bind(int port) {
    try {
      HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
      s.setExecutor(executor);
      s.createContext("/", this::handle);
      s.start();
      return s;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind the fake JobManager to port " + port, e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getPath();
    String requestBody = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Fault f = fault;
    boolean faulty = f != null && (scope == Scope.ALL || !method.equals("GET"));
    CountDownLatch held = release;
    synchronized (this) {
      requests.add(new Request(clock.instant(), method, path, faulty));
    }
    ex.getResponseHeaders().add("Connection", "close");
    ex.getResponseHeaders().add("Content-Type", "application/json");
    if (!faulty) {
      String body = answer(method, path, ex.getRequestURI().getQuery(), requestBody);
      send(ex, body == null ? 404 : 200, body == null ? error("Not found: " + path) : body);
      return;
    }
    switch (f) {
      case UNAVAILABLE -> send(ex, 503, error("Service temporarily unavailable"));
      case INTERNAL_ERROR ->
          send(
              ex,
              500,
              error(
                  "Internal server error.<Exception on server side:\\n"
                      + "java.lang.IllegalStateException: boom\\n"
                      + "\\tat org.apache.flink.runtime.rest.handler.AbstractHandler.respond"
                      + "(AbstractHandler.java:256)\\n>"));
      case FORBIDDEN -> send(ex, 403, "");
      case GARBAGE -> send(ex, 200, "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>");
      case SLOW -> {
        await(held);
        send(ex, 200, "{\"jobs\":[]}");
      }
      case STALLED_BODY -> {
        byte[] bytes = "{\"jobs\":[{\"jid\":\"".getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length * 10L);
        ex.getResponseBody().write(bytes);
        ex.getResponseBody().flush();
        await(held);
        ex.close();
      }
      case TRUNCATED -> {
        String whole = answer("GET", "/jobs/overview", null, "");
        byte[] bytes = whole.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        ex.getResponseBody().write(bytes, 0, bytes.length / 2);
        ex.getResponseBody().flush();
        ex.close();
      }
      case DOWN -> throw new IllegalStateException("a stopped server answered");
    }
  }

  private static void await(CountDownLatch held) {
    try {
      held.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String error(String message) {
    return "{\"errors\":[\"" + message + "\"]}";
  }

  private static void send(HttpExchange ex, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      ex.getResponseBody().write(bytes);
    }
    ex.close();
  }

  /** The job's answer to a request, null for a path it does not know (404). */
  private String answer(String method, String path, String query, String requestBody) {
    String override = overrides.get(path);
    if (override != null) {
      return override;
    }
    if (path.equals("/jobs/" + JOB + "/resource-requirements")) {
      if (method.equals("PUT")) {
        Matcher m = UPPER_BOUND.matcher(requestBody);
        while (m.find()) {
          parallelism.put(m.group(1), Integer.parseInt(m.group(2)));
        }
        return "{}";
      }
      return "{\""
          + SRC
          + "\":{\"parallelism\":{\"lowerBound\":1,\"upperBound\":"
          + parallelism.get(SRC)
          + "}},\""
          + MAP
          + "\":{\"parallelism\":{\"lowerBound\":1,\"upperBound\":"
          + parallelism.get(MAP)
          + "}}}";
    }
    return switch (path) {
      case "/jobs/overview" ->
          "{\"jobs\":[{\"jid\":\""
              + JOB
              + "\",\"name\":\"taxi\",\"start-time\":1,\"state\":\"RUNNING\"}]}";
      case "/jobs/" + JOB ->
          "{\"jid\":\""
              + JOB
              + "\",\"name\":\"taxi\",\"state\":\"RUNNING\",\"vertices\":["
              + "{\"id\":\""
              + SRC
              + "\",\"name\":\"Source:"
              + " numbers\",\"maxParallelism\":64,\"parallelism\":"
              + parallelism.get(SRC)
              + ",\"status\":\"RUNNING\"},"
              + "{\"id\":\""
              + MAP
              + "\",\"name\":\"enrich\",\"maxParallelism\":64,\"parallelism\":"
              + parallelism.get(MAP)
              + ",\"status\":\"RUNNING\"}],"
              + "\"plan\":{\"nodes\":[{\"id\":\""
              + SRC
              + "\"},{\"id\":\""
              + MAP
              + "\",\"inputs\":[{\"id\":\""
              + SRC
              + "\"}]}]}}";
      case "/jobs/" + JOB + "/vertices/" + SRC + "/subtasks/metrics" ->
          query == null
              ? "[{\"id\":\"numRecordsOut\"},{\"id\":\"Source__numbers.pendingRecords\"},"
                  + "{\"id\":\"busyTimeMsPerSecond\"}]"
              : "[{\"id\":\"numRecordsIn\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0},"
                  + "{\"id\":\"numRecordsOut\",\"max\":1,\"avg\":1,\"sum\":"
                  + sourceOut.get()
                  + ".0},{\"id\":\"busyTimeMsPerSecond\",\"max\":\"NaN\",\"avg\":\"NaN\","
                  + "\"sum\":\"NaN\"},"
                  + "{\"id\":\"idleTimeMsPerSecond\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0},"
                  + "{\"id\":\"backPressuredTimeMsPerSecond\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0},"
                  + "{\"id\":\"Source__numbers.pendingRecords\",\"max\":350.0,\"avg\":350.0,"
                  + "\"sum\":350.0}]";
      case "/jobs/" + JOB + "/vertices/" + MAP + "/subtasks/metrics" ->
          query == null
              ? "[{\"id\":\"numRecordsIn\"},{\"id\":\"busyTimeMsPerSecond\"}]"
              : "[{\"id\":\"numRecordsIn\",\"max\":1,\"avg\":1,\"sum\":"
                  + mapIn.get()
                  + ".0},"
                  + "{\"id\":\"numRecordsOut\",\"max\":1,\"avg\":1,\"sum\":"
                  + mapIn.get()
                  + ".0},{\"id\":\"busyTimeMsPerSecond\",\"max\":300.0,\"avg\":250.0,"
                  + "\"sum\":500.0},"
                  + "{\"id\":\"idleTimeMsPerSecond\",\"max\":750.0,\"avg\":750.0,\"sum\":1500.0},"
                  + "{\"id\":\"backPressuredTimeMsPerSecond\",\"max\":0.0,\"avg\":0.0,\"sum\":0.0}]";
      case "/jobs/" + JOB + "/checkpoints" ->
          "{\"counts\":{\"restored\":0,\"total\":5,\"in_progress\":0,\"completed\":5,\"failed\":0},"
              + "\"latest\":{\"completed\":{\"id\":5,\"end_to_end_duration\":96,"
              + "\"state_size\":2659,\"external_path\":\"file:/tmp/cp/chk-5\","
              + "\"latest_ack_timestamp\":10},"
              + "\"savepoint\":null,\"failed\":null,\"restored\":null},\"history\":[]}";
      case "/jobs/" + JOB + "/checkpoints/details/5" ->
          "{\"id\":5,\"tasks\":{\"" + MAP + "\":{\"state_size\":2659}}}";
      case "/jobs/" + JOB + "/checkpoints/config" ->
          "{\"mode\":\"exactly_once\",\"interval\":2000,"
              + "\"externalization\":{\"enabled\":true,\"delete_on_cancellation\":false}}";
      case "/jobs/" + JOB + "/metrics" -> "[{\"id\":\"numRestarts\",\"value\":\"0\"}]";
      case "/jobs/" + JOB + "/exceptions" ->
          "{\"exceptionHistory\":{\"entries\":[],\"truncated\":false}}";
      case "/taskmanagers" ->
          "{\"taskmanagers\":[{\"id\":\"tm-1\",\"path\":\"pekko://flink/user/rpc/taskmanager_0\","
              + "\"slotsNumber\":4,\"freeSlots\":2,"
              + "\"totalResource\":{\"cpuCores\":1000000.0,\"networkMemory\":64},"
              + "\"hardware\":{\"cpuCores\":2,\"physicalMemory\":25276502016},"
              + "\"memoryConfiguration\":{\"networkMemory\":67108864,"
              + "\"totalProcessMemory\":2200835194880}}]}";
      case "/taskmanagers/tm-1/metrics" ->
          query == null
              ? "[{\"id\":\"Status.JVM.Memory.Heap.Used\"},{\"id\":\"Status.JVM.Memory.Heap.Max\"}]"
              : "[{\"id\":\"Status.JVM.Memory.Heap.Used\",\"value\":\"42251440\"},"
                  + "{\"id\":\"Status.JVM.Memory.Heap.Max\",\"value\":\"2147483648\"}]";
      default -> null;
    };
  }
}
