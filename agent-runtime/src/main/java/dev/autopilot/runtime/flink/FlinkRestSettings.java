package dev.autopilot.runtime.flink;

import com.typesafe.config.Config;
import dev.autopilot.api.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the {@link FlinkRestPlatform}, from {@code autopilot.flink-rest} (agent-runtime's
 * {@code reference.conf}).
 *
 * @param baseUrl the JobManager's REST endpoint, for example {@code http://localhost:8081}
 * @param connectTimeout longest wait for a TCP connection
 * @param requestTimeout longest wait for one HTTP answer
 * @param retry how failed safe calls (GETs, idempotent PUTs, triggers with a trigger id) are
 *     retried, and the per-minute bound across all calls
 * @param pollInterval wait between two polls of an asynchronous operation (savepoint, stop)
 * @param operationTimeout longest wait for an asynchronous operation to complete
 * @param savepointDirectory where savepoints go; empty for the cluster's {@code
 *     state.savepoints.dir}
 * @param rememberedActions recovery action ids remembered to acknowledge repeats (the oldest are
 *     forgotten first)
 * @param rescaleSettleTicks ticks a rescale through the adaptive scheduler takes to show
 * @param restartSettleTicks ticks a stop-and-resubmit or restart from a checkpoint takes to show
 * @param metricsFetchWait wait between the observation's first metrics request, which makes Flink's
 *     on-demand metric fetcher refresh its store, and the reads of that store (zero: read at once
 *     and accept values up to one observation old)
 * @param exceptionHistoryEntries failure-history entries read per observation ({@code
 *     maxExceptions} of {@code GET /jobs/:jid/exceptions}); failures beyond this many between two
 *     observations are not counted
 */
public record FlinkRestSettings(
    URI baseUrl,
    Duration connectTimeout,
    Duration requestTimeout,
    RetryPolicy retry,
    Duration pollInterval,
    Duration operationTimeout,
    Optional<String> savepointDirectory,
    int rememberedActions,
    int rescaleSettleTicks,
    int restartSettleTicks,
    Duration metricsFetchWait,
    int exceptionHistoryEntries) {

  /** Config path of these settings. */
  public static final String ROOT = "autopilot.flink-rest";

  public FlinkRestSettings {
    if (baseUrl == null
        || baseUrl.getScheme() == null
        || !(baseUrl.getScheme().equals("http") || baseUrl.getScheme().equals("https"))
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          ROOT + ".base-url must be an http(s) URL with a host, was " + baseUrl);
    }
    requirePositive("connect-timeout", connectTimeout);
    requirePositive("request-timeout", requestTimeout);
    requirePositive("poll-interval", pollInterval);
    requirePositive("operation-timeout", operationTimeout);
    if (retry == null) {
      throw new IllegalArgumentException(ROOT + ".retry is required");
    }
    savepointDirectory =
        savepointDirectory == null
            ? Optional.empty()
            : savepointDirectory.filter(s -> !s.isBlank());
    if (rememberedActions < 1) {
      throw new IllegalArgumentException(
          ROOT + ".remembered-actions must be >= 1, was " + rememberedActions);
    }
    if (rescaleSettleTicks < 0 || restartSettleTicks < 0) {
      throw new IllegalArgumentException(
          ROOT + ".rescale-settle-ticks and restart-settle-ticks must be >= 0");
    }
    if (metricsFetchWait == null || metricsFetchWait.isNegative()) {
      throw new IllegalArgumentException(
          ROOT + ".metrics-fetch-wait must be >= 0, was " + metricsFetchWait);
    }
    if (exceptionHistoryEntries < 1) {
      throw new IllegalArgumentException(
          ROOT + ".exception-history-entries must be >= 1, was " + exceptionHistoryEntries);
    }
  }

  /** Reads {@code autopilot.flink-rest} from the application config. */
  public static FlinkRestSettings create(Config root) {
    Config c = root.getConfig(ROOT);
    Config r = c.getConfig("retry");
    RetryPolicy retry;
    try {
      retry =
          new RetryPolicy(
              r.getInt("max-attempts"),
              r.getDuration("initial-backoff"),
              r.getDuration("max-backoff"),
              r.getDouble("multiplier"),
              r.getDouble("jitter"),
              r.getInt("max-retries-per-minute"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(ROOT + ".retry: " + e.getMessage(), e);
    }
    URI url;
    try {
      url = URI.create(c.getString("base-url"));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          ROOT + ".base-url is not a URL: " + c.getString("base-url"), e);
    }
    return new FlinkRestSettings(
        url,
        c.getDuration("connect-timeout"),
        c.getDuration("request-timeout"),
        retry,
        c.getDuration("poll-interval"),
        c.getDuration("operation-timeout"),
        Optional.of(c.getString("savepoint-directory")),
        c.getInt("remembered-actions"),
        c.getInt("rescale-settle-ticks"),
        c.getInt("restart-settle-ticks"),
        c.getDuration("metrics-fetch-wait"),
        c.getInt("exception-history-entries"));
  }

  /** The same settings against another REST endpoint (an embedded cluster's bound port). */
  public FlinkRestSettings withBaseUrl(URI url) {
    return new FlinkRestSettings(
        url,
        connectTimeout,
        requestTimeout,
        retry,
        pollInterval,
        operationTimeout,
        savepointDirectory,
        rememberedActions,
        rescaleSettleTicks,
        restartSettleTicks,
        metricsFetchWait,
        exceptionHistoryEntries);
  }

  /** The same settings with another retry policy. */
  public FlinkRestSettings withRetry(RetryPolicy policy) {
    return new FlinkRestSettings(
        baseUrl,
        connectTimeout,
        requestTimeout,
        policy,
        pollInterval,
        operationTimeout,
        savepointDirectory,
        rememberedActions,
        rescaleSettleTicks,
        restartSettleTicks,
        metricsFetchWait,
        exceptionHistoryEntries);
  }

  /** The same settings with another request timeout. */
  public FlinkRestSettings withRequestTimeout(Duration timeout) {
    return new FlinkRestSettings(
        baseUrl,
        connectTimeout,
        timeout,
        retry,
        pollInterval,
        operationTimeout,
        savepointDirectory,
        rememberedActions,
        rescaleSettleTicks,
        restartSettleTicks,
        metricsFetchWait,
        exceptionHistoryEntries);
  }

  private static void requirePositive(String key, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(ROOT + "." + key + " must be > 0, was " + d);
    }
  }
}
