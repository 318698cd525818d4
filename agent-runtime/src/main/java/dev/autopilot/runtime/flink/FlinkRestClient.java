package dev.autopilot.runtime.flink;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.retry.Retrier;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * Typed calls of the Flink REST API (1.17 or later) over {@link HttpClient}, with every transport
 * failure mapped onto a {@link PlatformException}:
 *
 * <table>
 *   <caption>Error mapping</caption>
 *   <tr><th>what happened</th><th>kind</th><th>retried</th></tr>
 *   <tr><td>no answer within {@code request-timeout}, or no complete body within {@code
 *       connect-timeout + request-timeout} (a stalled answer)</td><td>TIMEOUT</td><td>safe calls</td></tr>
 *   <tr><td>connection refused or broken, HTTP 5xx</td><td>UNAVAILABLE</td><td>safe calls</td></tr>
 *   <tr><td>2xx whose body is not the JSON expected</td><td>MALFORMED_RESPONSE</td><td>safe calls</td></tr>
 *   <tr><td>HTTP 404 (job, vertex, TaskManager or trigger gone)</td><td>NOT_FOUND</td><td>never</td></tr>
 *   <tr><td>HTTP 400, 405, 422, other 4xx</td><td>REJECTED</td><td>never</td></tr>
 *   <tr><td>HTTP 401, 403</td><td>FORBIDDEN</td><td>never</td></tr>
 *   <tr><td>HTTP 409</td><td>CONFLICT</td><td>never</td></tr>
 * </table>
 *
 * <p>Only calls that are safe to repeat go through the shared {@link Retrier} (whose per-minute
 * budget bounds the whole client): GETs, the declarative resource-requirements PUT, and savepoint
 * and stop triggers, which carry a caller-chosen {@code triggerId} so that Flink answers a repeat
 * with the same operation instead of starting a second one. Cancel is not retried.
 */
public final class FlinkRestClient {

  /** The state of an asynchronous savepoint or stop operation. */
  public record SavepointStatus(
      boolean completed, Optional<String> location, Optional<String> failure) {}

  private static final int MAX_ERROR_CHARS = 300;
  private static final HttpResponse.BodyHandler<String> BODY =
      HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);

  private final URI base;
  private final FlinkRestSettings settings;
  private final Retrier retrier;
  private final HttpClient http;
  private final ObjectMapper json =
      new ObjectMapper()
          .enable(
              com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS
                  .mappedFeature());

  public FlinkRestClient(FlinkRestSettings settings, Retrier retrier) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.retrier = Objects.requireNonNull(retrier, "retrier");
    String url = settings.baseUrl().toString();
    this.base = URI.create(url.endsWith("/") ? url : url + "/");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** A client with its own retrier on the system clock. */
  public static FlinkRestClient create(FlinkRestSettings settings) {
    return new FlinkRestClient(settings, Retrier.of(settings.retry()));
  }

  /** The retrier shared by this client's calls (retries made, retries refused). */
  public Retrier retrier() {
    return retrier;
  }

  // ------------------------------------------------------------------------------ reads

  /** {@code GET /jobs/overview}: every job the cluster knows, with name, state and start time. */
  public JsonNode jobsOverview() {
    return get("jobs/overview");
  }

  /** {@code GET /jobs/:jid}: the job's state and vertices (topological order). */
  public JsonNode job(String jobId) {
    return get("jobs/" + jobId);
  }

  /** Names of the metrics a vertex's subtasks expose ({@code GET .../subtasks/metrics}). */
  public List<String> vertexMetricNames(String jobId, String vertexId) {
    JsonNode list = get("jobs/" + jobId + "/vertices/" + vertexId + "/subtasks/metrics");
    requireArray(list, "vertex metric list");
    return java.util.stream.StreamSupport.stream(list.spliterator(), false)
        .map(n -> n.path("id").asText(null))
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * Vertex metrics aggregated over its subtasks ({@code GET .../subtasks/metrics?get=...&agg=
   * sum,max,avg}), keyed by metric name; a metric the vertex does not (yet) have is missing from
   * the map.
   */
  public Map<String, JsonNode> vertexMetrics(
      String jobId, String vertexId, Collection<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    JsonNode list =
        get(
            "jobs/"
                + jobId
                + "/vertices/"
                + vertexId
                + "/subtasks/metrics?get="
                + encode(String.join(",", names))
                + "&agg=sum,max,avg");
    requireArray(list, "vertex metrics");
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (JsonNode n : list) {
      if (n.hasNonNull("id")) {
        out.put(n.get("id").asText(), n);
      }
    }
    return out;
  }

  /** {@code GET /jobs/:jid/checkpoints}: counts, latest completed/failed/restored and history. */
  public JsonNode checkpoints(String jobId) {
    return get("jobs/" + jobId + "/checkpoints");
  }

  /**
   * {@code GET /jobs/:jid/checkpoints/config}; empty when checkpointing is disabled (Flink answers
   * 404 then) but the job exists.
   */
  public Optional<JsonNode> checkpointConfig(String jobId) {
    try {
      return Optional.of(get("jobs/" + jobId + "/checkpoints/config"));
    } catch (PlatformException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        job(jobId); // throws NOT_FOUND when the job itself is gone
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * {@code GET /jobs/:jid/checkpoints/details/:cpid}: one checkpoint's statistics, with per-vertex
   * state sizes under {@code tasks}.
   */
  public JsonNode checkpointDetails(String jobId, long checkpointId) {
    return get("jobs/" + jobId + "/checkpoints/details/" + checkpointId);
  }

  /**
   * {@code GET /jobs/:jid/exceptions?maxExceptions=n}: the job's failure history, newest first,
   * each entry a root cause with the failures that came with it ({@code concurrentExceptions}).
   */
  public JsonNode exceptions(String jobId, int maxExceptions) {
    return get("jobs/" + jobId + "/exceptions?maxExceptions=" + maxExceptions);
  }

  /**
   * Job-level metrics by name ({@code GET /jobs/:jid/metrics?get=...}), for example numRestarts.
   */
  public Map<String, Double> jobMetrics(String jobId, Collection<String> names) {
    JsonNode list = get("jobs/" + jobId + "/metrics?get=" + encode(String.join(",", names)));
    return values(list, "job metrics");
  }

  /** {@code GET /taskmanagers}: registered TaskManagers with slots, resources and hardware. */
  public JsonNode taskManagers() {
    return get("taskmanagers");
  }

  /** Names of the metrics a TaskManager exposes. */
  public List<String> taskManagerMetricNames(String taskManagerId) {
    JsonNode list = get("taskmanagers/" + encode(taskManagerId) + "/metrics");
    requireArray(list, "TaskManager metric list");
    return java.util.stream.StreamSupport.stream(list.spliterator(), false)
        .map(n -> n.path("id").asText(null))
        .filter(Objects::nonNull)
        .toList();
  }

  /** TaskManager metrics by name; a metric it does not expose is missing from the map. */
  public Map<String, Double> taskManagerMetrics(String taskManagerId, Collection<String> names) {
    if (names.isEmpty()) {
      return Map.of();
    }
    JsonNode list =
        get(
            "taskmanagers/"
                + encode(taskManagerId)
                + "/metrics?get="
                + encode(String.join(",", names)));
    return values(list, "TaskManager metrics");
  }

  private static Map<String, Double> values(JsonNode list, String what) {
    requireArray(list, what);
    Map<String, Double> out = new LinkedHashMap<>();
    for (JsonNode n : list) {
      JsonNode v = n.get("value");
      if (n.hasNonNull("id") && v != null) {
        try {
          out.put(n.get("id").asText(), Double.parseDouble(v.asText()));
        } catch (NumberFormatException e) {
          throw new PlatformException(
              Kind.MALFORMED_RESPONSE, 200, what + ": " + n.get("id") + " = " + v, e);
        }
      }
    }
    return out;
  }

  /** {@code GET /jobs/:jid/resource-requirements}: per-vertex parallelism bounds. */
  public JsonNode resourceRequirements(String jobId) {
    return get("jobs/" + jobId + "/resource-requirements");
  }

  /** The state of a savepoint or stop operation ({@code GET /jobs/:jid/savepoints/:triggerId}). */
  public SavepointStatus savepointStatus(String jobId, String triggerId) {
    JsonNode n = get("jobs/" + jobId + "/savepoints/" + triggerId);
    String status = n.path("status").path("id").asText("");
    if (status.equals("IN_PROGRESS")) {
      return new SavepointStatus(false, Optional.empty(), Optional.empty());
    }
    if (!status.equals("COMPLETED")) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE,
          200,
          "savepoint status without a known status id: " + abbreviate(n.toString()),
          null);
    }
    JsonNode op = n.path("operation");
    if (op.hasNonNull("location")) {
      return new SavepointStatus(true, Optional.of(op.get("location").asText()), Optional.empty());
    }
    JsonNode cause = op.path("failure-cause");
    String failure =
        cause.hasNonNull("stack-trace")
            ? firstLine(cause.get("stack-trace").asText())
            : abbreviate(cause.toString());
    return new SavepointStatus(true, Optional.empty(), Optional.of(failure));
  }

  // ------------------------------------------------------------------------------ writes

  /**
   * {@code PUT /jobs/:jid/resource-requirements}: the parallelism upper bound of every vertex (the
   * adaptive scheduler needs all of them), lower bound 1. Declarative, so it is retried.
   */
  public void putResourceRequirements(String jobId, Map<String, Integer> parallelismByVertex) {
    ObjectNode body = json.createObjectNode();
    parallelismByVertex.forEach(
        (vid, p) -> {
          ObjectNode bounds = body.putObject(vid).putObject("parallelism");
          bounds.put("lowerBound", 1);
          bounds.put("upperBound", p);
        });
    send("PUT", "jobs/" + jobId + "/resource-requirements", body, true);
  }

  /**
   * {@code POST /jobs/:jid/savepoints} with a caller-chosen trigger id, so a repeat (ours or the
   * retrier's) answers with the same operation. Returns the trigger id to poll.
   */
  public String triggerSavepoint(String jobId, Optional<String> targetDirectory, String triggerId) {
    ObjectNode body = json.createObjectNode();
    targetDirectory.ifPresent(d -> body.put("target-directory", d));
    body.put("cancel-job", false);
    body.put("triggerId", triggerId);
    return requestId(send("POST", "jobs/" + jobId + "/savepoints", body, true), triggerId);
  }

  /**
   * {@code POST /jobs/:jid/stop}: stop-with-savepoint (no drain) under a caller-chosen trigger id.
   */
  public String stopWithSavepoint(
      String jobId, Optional<String> targetDirectory, String triggerId) {
    ObjectNode body = json.createObjectNode();
    targetDirectory.ifPresent(d -> body.put("targetDirectory", d));
    body.put("drain", false);
    body.put("triggerId", triggerId);
    return requestId(send("POST", "jobs/" + jobId + "/stop", body, true), triggerId);
  }

  /** {@code PATCH /jobs/:jid?mode=cancel}. Not retried. */
  public void cancel(String jobId) {
    send("PATCH", "jobs/" + jobId + "?mode=cancel", null, false);
  }

  // ------------------------------------------------------------------------------ transport

  private JsonNode get(String path) {
    return retrier.call("GET /" + path, () -> exchange("GET", path, null));
  }

  private JsonNode send(String method, String path, JsonNode body, boolean safe) {
    String what = method + " /" + path;
    if (!safe) {
      return exchange(method, path, body);
    }
    Predicate<PlatformException> retryOn = PlatformException::retryable;
    return retrier.call(what, retryOn, () -> exchange(method, path, body));
  }

  private JsonNode exchange(String method, String path, JsonNode body) {
    String what = method + " /" + path;
    HttpRequest.BodyPublisher publisher;
    try {
      publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode request body of " + what, e);
    }
    HttpRequest request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(settings.requestTimeout())
            .header("Accept", "application/json")
            .header("Content-Type", "application/json")
            .method(method, publisher)
            .build();
    HttpResponse<String> response = await(what, http.sendAsync(request, BODY));
    int status = response.statusCode();
    String text = response.body() == null ? "" : response.body();
    if (status >= 200 && status < 300) {
      if (text.isBlank()) {
        return json.createObjectNode();
      }
      try {
        JsonNode node = json.readTree(text);
        if (node == null || node.isMissingNode() || !(node.isObject() || node.isArray())) {
          throw new PlatformException(
              Kind.MALFORMED_RESPONSE,
              status,
              what + ": not a JSON object: " + abbreviate(text),
              null);
        }
        return node;
      } catch (JsonProcessingException e) {
        throw new PlatformException(
            Kind.MALFORMED_RESPONSE, status, what + ": unparseable JSON: " + abbreviate(text), e);
      }
    }
    throw new PlatformException(
        kindOf(status), status, what + ": HTTP " + status + errors(text), null);
  }

  /**
   * Waits for the whole answer, headers and body, at most {@code connect-timeout +
   * request-timeout}: the request timeout of {@link HttpRequest} covers only the wait for the
   * headers, so a JobManager that sends them and then stalls the body would otherwise hold the
   * caller (an actuator's platform call, a collector's observation) for as long as it stalls. A
   * late answer is cancelled, which closes its connection.
   */
  private HttpResponse<String> await(String what, CompletableFuture<HttpResponse<String>> pending) {
    Duration limit = settings.connectTimeout().plus(settings.requestTimeout());
    try {
      return pending.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new PlatformException(
          Kind.TIMEOUT, 0, what + ": no complete answer within " + settings.requestTimeout(), e);
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new PlatformException(Kind.UNAVAILABLE, 0, what + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof HttpConnectTimeoutException) {
        throw new PlatformException(Kind.UNAVAILABLE, 0, what + ": connect timed out", cause);
      }
      if (cause instanceof HttpTimeoutException) {
        throw new PlatformException(
            Kind.TIMEOUT, 0, what + ": no answer within " + settings.requestTimeout(), cause);
      }
      if (cause instanceof ConnectException) {
        throw new PlatformException(
            Kind.UNAVAILABLE, 0, what + ": cannot connect to " + settings.baseUrl(), cause);
      }
      throw new PlatformException(
          Kind.UNAVAILABLE,
          0,
          what
              + ": connection failed ("
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage()
              + ")",
          cause);
    }
  }

  /** The kind of a non-2xx HTTP status. */
  static Kind kindOf(int status) {
    if (status == 404) {
      return Kind.NOT_FOUND;
    }
    if (status == 401 || status == 403) {
      return Kind.FORBIDDEN;
    }
    if (status == 409) {
      return Kind.CONFLICT;
    }
    if (status == 408 || status == 504) {
      return Kind.TIMEOUT;
    }
    if (status >= 500 || status == 429) {
      return Kind.UNAVAILABLE;
    }
    return Kind.REJECTED;
  }

  /** Flink's error body is {@code {"errors": ["..."]}}; its first line, abbreviated. */
  private String errors(String text) {
    if (text.isBlank()) {
      return "";
    }
    try {
      JsonNode n = json.readTree(text);
      JsonNode errors = n == null ? null : n.get("errors");
      if (errors != null && errors.isArray() && !errors.isEmpty()) {
        return ": " + firstLine(errors.get(0).asText());
      }
    } catch (JsonProcessingException e) {
      // not JSON: fall through to the raw text
    }
    return ": " + abbreviate(text);
  }

  private String requestId(JsonNode answer, String triggerId) {
    JsonNode id = answer.get("request-id");
    if (id == null || id.asText().isBlank()) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE,
          200,
          "trigger answer without request-id: " + abbreviate(answer.toString()),
          null);
    }
    return id.asText(triggerId);
  }

  private static void requireArray(JsonNode n, String what) {
    if (!n.isArray()) {
      throw new PlatformException(
          Kind.MALFORMED_RESPONSE,
          200,
          what + " is not a JSON array: " + abbreviate(n.toString()),
          null);
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return abbreviate(nl < 0 ? s : s.substring(0, nl));
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= MAX_ERROR_CHARS ? t : t.substring(0, MAX_ERROR_CHARS) + "...";
  }
}
