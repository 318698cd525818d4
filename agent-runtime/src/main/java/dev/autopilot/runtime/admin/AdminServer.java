package dev.autopilot.runtime.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.PipelineConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP API (JSON):
 *
 * <ul>
 *   <li>{@code GET /pipelines}: every managed pipeline and its meta-agent's state;
 *   <li>{@code PUT /pipelines/{id}/mode} {@code {"mode": "autonomous|shadow|approval"}};
 *   <li>{@code POST /pipelines/{id}/approvals/{decisionOrProposalId}} {@code {"decision":
 *       "approve|reject", "reason": "..."}};
 *   <li>{@code POST /pipelines/{id}/rollback} {@code {"levels": 1..5, "reason": "..."}}.
 * </ul>
 *
 * <p>Mutating calls need {@code Authorization: Bearer <token>} with a token of {@link
 * AdminSettings#tokens()}; the token's identity is passed to the meta-agent and journaled. Without
 * tokens the API is read-only. Tokens are compared in constant time (SHA-256 digests, {@link
 * MessageDigest#isEqual}) and never logged or echoed: log lines carry the method, the path, the
 * identity and the status only, never a header or a body.
 *
 * <p>Built on the JDK's {@code com.sun.net.httpserver}: pekko-http reaches the runtime only
 * transitively through Pekko Management, and this API needs neither streaming nor routing DSL; the
 * JDK server keeps the body limit, the header handling and therefore the log guarantee in one short
 * class.
 */
public final class AdminServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LEVELS = 5;
  private static final int MAX_REASON = 500;

  private final AdminSettings settings;
  private final PipelineControl control;
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Map.Entry<String, byte[]>> digests = new ArrayList<>();

  private AdminServer(AdminSettings settings, PipelineControl control) throws IOException {
    this.settings = settings;
    this.control = control;
    settings.tokens().forEach((who, token) -> digests.add(Map.entry(who, sha256(token))));
    this.server = HttpServer.create(new InetSocketAddress(settings.iface(), settings.port()), 16);
    this.executor =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "autopilot-admin");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
  }

  /** Binds and starts the admin API; logs once when it is read-only. */
  public static AdminServer start(AdminSettings settings, PipelineControl control)
      throws IOException {
    AdminServer s = new AdminServer(settings, control);
    s.server.start();
    if (settings.readOnly()) {
      LOG.warn(
          "admin API on {}:{} is read-only: no token configured (autopilot.admin.tokens,"
              + " environment AUTOPILOT_ADMIN_TOKENS)",
          settings.iface(),
          s.port());
    } else {
      LOG.info(
          "admin API on {}:{} for identities {}",
          settings.iface(),
          s.port(),
          settings.tokens().keySet().stream().sorted().toList());
    }
    return s;
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ------------------------------------------------------------------ dispatch

  /** A reply: status and JSON body. */
  private record Reply(int status, Object body) {
    static Reply error(int status, String message) {
      return new Reply(status, Map.of("error", message));
    }
  }

  /** A refusal before the command reached a meta-agent. */
  private static final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    HttpError(int status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  private void handle(HttpExchange ex) {
    String method = ex.getRequestMethod();
    String path = ex.getRequestURI().getRawPath();
    String logged = path.length() > 200 ? path.substring(0, 200) + "..." : path;
    String who = null;
    Reply reply;
    try {
      List<String> parts = segments(path);
      if (parts.isEmpty() || !parts.get(0).equals("pipelines")) {
        reply = Reply.error(404, "no such resource; see GET /pipelines");
      } else if (parts.size() == 1) {
        reply = method.equals("GET") ? list() : notAllowed("GET");
      } else {
        String op = mutation(parts);
        if (op == null) {
          reply = Reply.error(404, "no such resource; see GET /pipelines");
        } else if (!method.equals(op.equals("mode") ? "PUT" : "POST")) {
          reply = notAllowed(op.equals("mode") ? "PUT" : "POST");
        } else {
          who = authenticate(ex);
          String pipeline = parts.get(1);
          if (!control.pipelines().contains(pipeline)) {
            throw new HttpError(404, "unknown pipeline '" + truncate(pipeline) + "'");
          }
          JsonNode body = body(ex);
          reply =
              switch (op) {
                case "mode" -> mode(pipeline, body, who);
                case "approval" -> approval(pipeline, parts.get(3), body, who);
                default -> rollback(pipeline, body, who);
              };
        }
      }
    } catch (HttpError e) {
      reply = Reply.error(e.status, e.getMessage());
    } catch (PipelineControl.Refused e) {
      reply = Reply.error(409, e.getMessage());
    } catch (TimeoutException e) {
      reply = Reply.error(504, "the meta-agent did not answer in time");
    } catch (RuntimeException | ExecutionException | InterruptedException | IOException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof PipelineControl.Refused r) {
        reply = Reply.error(409, r.getMessage());
      } else if (cause instanceof TimeoutException
          || cause instanceof java.util.concurrent.TimeoutException) {
        reply = Reply.error(504, "the meta-agent did not answer in time");
      } else {
        // The class only: a message could quote the request.
        LOG.error("admin {} {} failed: {}", method, logged, cause.getClass().getName());
        reply = Reply.error(500, "internal error");
      }
    }
    respond(ex, reply);
    if (reply.status() >= 400 && who == null) {
      LOG.warn("admin {} {} refused: {}", method, logged, reply.status());
    } else if (!method.equals("GET")) {
      LOG.info("admin {} {} by {}: {}", method, logged, who, reply.status());
    }
  }

  private static List<String> segments(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** "mode", "approval", "rollback" or null. */
  private static String mutation(List<String> p) {
    if (p.size() == 3 && p.get(2).equals("mode")) {
      return "mode";
    }
    if (p.size() == 3 && p.get(2).equals("rollback")) {
      return "rollback";
    }
    if (p.size() == 4 && p.get(2).equals("approvals")) {
      return "approval";
    }
    return null;
  }

  private static Reply notAllowed(String allowed) {
    return Reply.error(405, "method not allowed; use " + allowed);
  }

  // ------------------------------------------------------------------ auth and body

  /** The caller's identity, or an HttpError. Never logs or echoes the header. */
  private String authenticate(HttpExchange ex) {
    if (digests.isEmpty()) {
      throw new HttpError(
          403,
          "the admin API is read-only: no token is configured (autopilot.admin.tokens,"
              + " environment AUTOPILOT_ADMIN_TOKENS)");
    }
    List<String> headers = ex.getRequestHeaders().get("Authorization");
    if (headers == null || headers.isEmpty()) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new HttpError(401, "missing Authorization: Bearer <token>");
    }
    String h = headers.get(0);
    if (headers.size() != 1
        || h.length() < 8
        || !h.regionMatches(true, 0, "Bearer ", 0, 7)
        || h.substring(7).isBlank()) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      throw new HttpError(401, "malformed Authorization header; expected Bearer <token>");
    }
    byte[] given = sha256(h.substring(7).trim());
    String who = null;
    for (Map.Entry<String, byte[]> e : digests) {
      // Every entry is compared, so the time does not tell which one matched.
      if (MessageDigest.isEqual(e.getValue(), given) && who == null) {
        who = e.getKey();
      }
    }
    if (who == null) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw new HttpError(401, "invalid bearer token");
    }
    return who;
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing", e);
    }
  }

  private JsonNode body(HttpExchange ex) throws IOException {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (type == null
        || !type.toLowerCase(Locale.ROOT).split(";")[0].trim().equals("application/json")) {
      throw new HttpError(415, "Content-Type must be application/json");
    }
    String length = ex.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > settings.maxBodyBytes()) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        throw new HttpError(400, "invalid Content-Length");
      }
    }
    byte[] bytes = readAtMost(ex.getRequestBody(), settings.maxBodyBytes());
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new HttpError(
          400,
          "body is not valid JSON (line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr()
              + ")");
    }
    if (node == null || !node.isObject()) {
      throw new HttpError(400, "body must be a JSON object");
    }
    return node;
  }

  private HttpError tooLarge() {
    return new HttpError(413, "body larger than " + settings.maxBodyBytes() + " bytes");
  }

  private byte[] readAtMost(InputStream in, int max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    while ((n = in.read(buf)) != -1) {
      out.write(buf, 0, n);
      if (out.size() > max) {
        throw tooLarge();
      }
    }
    return out.toByteArray();
  }

  private static void onlyFields(JsonNode body, Set<String> allowed) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String n = names.next();
      if (!allowed.contains(n)) {
        throw new HttpError(
            400,
            "unknown field '" + truncate(n) + "'; allowed: " + allowed.stream().sorted().toList());
      }
    }
  }

  private static String truncate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }

  private static String text(JsonNode body, String field, boolean required) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (required) {
        throw new HttpError(400, "missing field '" + field + "'");
      }
      return null;
    }
    if (!n.isTextual()) {
      throw new HttpError(400, "field '" + field + "' must be a string");
    }
    if (n.asText().length() > MAX_REASON) {
      throw new HttpError(400, "field '" + field + "' longer than " + MAX_REASON + " characters");
    }
    return n.asText();
  }

  // ------------------------------------------------------------------ endpoints

  private <T> T await(java.util.concurrent.CompletionStage<T> stage)
      throws ExecutionException, InterruptedException, TimeoutException {
    try {
      return stage
          .toCompletableFuture()
          .get(settings.askTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (CompletionException e) {
      throw new ExecutionException(e.getCause());
    }
  }

  private Reply list() throws ExecutionException, InterruptedException, TimeoutException {
    // Every meta-agent is asked at once; the answers are collected in the pipelines' order.
    List<java.util.concurrent.CompletionStage<Map<String, Object>>> asked = new ArrayList<>();
    for (String id : control.pipelines()) {
      asked.add(control.view(id));
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (java.util.concurrent.CompletionStage<Map<String, Object>> a : asked) {
      out.add(await(a));
    }
    return new Reply(200, Map.of("pipelines", out));
  }

  private Reply mode(String pipeline, JsonNode body, String who)
      throws ExecutionException, InterruptedException, TimeoutException {
    onlyFields(body, Set.of("mode"));
    String m = text(body, "mode", true);
    Mode mode;
    try {
      mode = Mode.valueOf(m.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new HttpError(
          400, "unknown mode '" + truncate(m) + "'; expected autonomous, shadow or approval");
    }
    await(control.setMode(pipeline, mode, who));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pipeline", pipeline);
    out.put("mode", mode.name().toLowerCase(Locale.ROOT));
    out.put("requestedBy", who);
    return new Reply(200, out);
  }

  private Reply approval(String pipeline, String id, JsonNode body, String who)
      throws ExecutionException, InterruptedException, TimeoutException {
    onlyFields(body, Set.of("decision", "reason"));
    String decision = text(body, "decision", true);
    String reason = text(body, "reason", false);
    boolean approve;
    if (decision.equals("approve")) {
      approve = true;
    } else if (decision.equals("reject")) {
      approve = false;
    } else {
      throw new HttpError(
          400, "unknown decision '" + truncate(decision) + "'; expected approve or reject");
    }
    String decisionId = await(control.decide(pipeline, id, approve, who, reason));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pipeline", pipeline);
    out.put("decisionId", decisionId);
    out.put("decision", decision);
    out.put("by", who);
    return new Reply(200, out);
  }

  private Reply rollback(String pipeline, JsonNode body, String who)
      throws ExecutionException, InterruptedException, TimeoutException {
    onlyFields(body, Set.of("levels", "reason"));
    JsonNode l = body.get("levels");
    if (l == null || !l.isIntegralNumber() || l.asLong() < 1 || l.asLong() > MAX_LEVELS) {
      throw new HttpError(400, "field 'levels' must be an integer in 1.." + MAX_LEVELS);
    }
    String reason = text(body, "reason", false);
    PipelineConfig restored = await(control.rollback(pipeline, l.asInt(), reason, who));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("pipeline", pipeline);
    out.put("restored", restored == null ? null : restored.summary());
    out.put("requestedBy", who);
    return new Reply(200, out);
  }

  private static void respond(HttpExchange ex, Reply reply) {
    try (ex) {
      byte[] bytes;
      try {
        bytes = JSON.writeValueAsBytes(reply.body());
      } catch (JsonProcessingException e) {
        ObjectNode o = JSON.createObjectNode().put("error", "internal error");
        bytes = o.toString().getBytes(StandardCharsets.UTF_8);
      }
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.sendResponseHeaders(reply.status(), bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    } catch (IOException e) {
      LOG.debug("admin reply not sent: {}", e.getClass().getName());
    }
  }
}
