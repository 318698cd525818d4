package dev.autopilot.runtime.metrics;

import com.typesafe.config.Config;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SnapshotValidator;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * The runtime's Prometheus metrics, all prefixed {@code autopilot_}, with bounded labels (enum
 * names only, never ids):
 *
 * <ul>
 *   <li>{@code autopilot_ticks_total}: ticks closed by the meta-agents;
 *   <li>{@code autopilot_ticks_failed_total}: ticks the control loop gave up on (the meta-agent did
 *       not close them in time, e.g. while the journal is down);
 *   <li>{@code autopilot_journal_up}: 1 while the journal database answers, 0 while it does not
 *       (the node's {@code JournalHealth});
 *   <li>{@code autopilot_journal_check_failures_total}: journal health checks that failed;
 *   <li>{@code autopilot_snapshots_rejected_total{reason}}: snapshots refused by the gateway;
 *   <li>{@code autopilot_proposals_total{agent,verdict}}: proposals by agent and what became of
 *       them (a decision verdict or a rejection code);
 *   <li>{@code autopilot_actuations_total{kind}}: actuator reports by kind;
 *   <li>{@code autopilot_actuation_failures_total{kind}}: changes (decisions and rollbacks) the
 *       actuator could not execute, by error kind: a platform failure ({@code unavailable}, {@code
 *       timeout}, {@code forbidden}, {@code malformed_response}, {@code rejected}, {@code
 *       conflict}, {@code not_found}, {@code unknown_pipeline}: the {@code PlatformException}
 *       kinds, every one exposed from the start), {@code invalid} or {@code actuation_in_progress}
 *       (the actuator refused the decision), {@code error} (any other failure of the platform
 *       call). Each is a journaled {@code ChangeFailed} whose explanation records the action and
 *       the error; the platform kinds are the alert on platform faults;
 *   <li>{@code autopilot_rollbacks_total}: configuration rollbacks;
 *   <li>{@code autopilot_decision_latency_seconds}: histogram of tick-open to decision latency;
 *   <li>{@code autopilot_collections_total}: collections of the live telemetry collector (every
 *       pipeline observed and submitted once);
 *   <li>{@code autopilot_collections_skipped_total}: collector timer ticks skipped because the
 *       previous collection was still running;
 *   <li>{@code autopilot_collection_failures_total{kind}}: pipelines the collector could not get
 *       through the loop ({@code platform}: the platform call failed, {@code tick_failed}: the
 *       meta-agent did not close the tick; rejected snapshots are counted by the gateway);
 *   <li>{@code autopilot_journal_recovery_failures_total{entity_type}}: entities whose journal
 *       could not be replayed (each failed attempt; the entity retries with backoff), by entity
 *       type ({@code meta}, {@code actuator}, {@code prediction}, {@code recovery}, {@code
 *       optimization}); see the README's "Corrupt journal";
 *   <li>{@code autopilot_build_info{version}}: the running version.
 * </ul>
 *
 * <p>Each instance has its own registry, so several nodes (or tests) in one JVM do not share
 * counts. {@link #serve(int)} exposes the registry over HTTP at {@code /metrics}.
 */
public final class AutopilotMetrics implements AutoCloseable {
  /** The error kinds of decisions the actuator itself refused (see {@code Actuator}). */
  private static final Set<String> ACTUATOR_REFUSALS = Set.of("INVALID", "ACTUATION_IN_PROGRESS");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Counter ticks;
  private final Counter ticksFailed;
  private final Gauge journalUp;
  private final Counter journalCheckFailures;
  private final Counter rejected;
  private final Counter proposals;
  private final Counter shadowProposals;
  private final Counter actuations;
  private final Counter actuationFailures;
  private final Counter rollbacks;
  private final Histogram decisionLatency;
  private final Counter collections;
  private final Counter collectionsSkipped;
  private final Counter collectionFailures;
  private final Counter journalRecoveryFailures;
  private HTTPServer server;

  /**
   * @param version the version reported by {@code autopilot_build_info}
   * @param latencyBuckets upper bounds (seconds) of the decision-latency buckets
   */
  public AutopilotMetrics(String version, double[] latencyBuckets) {
    ticks =
        Counter.builder()
            .name("autopilot_ticks_total")
            .help("Ticks closed by the meta-agents")
            .register(registry);
    ticksFailed =
        Counter.builder()
            .name("autopilot_ticks_failed_total")
            .help("Ticks the control loop gave up on (not closed in time)")
            .register(registry);
    journalUp =
        Gauge.builder()
            .name("autopilot_journal_up")
            .help("1 while the journal database answers the node's health check, else 0")
            .register(registry);
    journalCheckFailures =
        Counter.builder()
            .name("autopilot_journal_check_failures_total")
            .help("Journal health checks that failed")
            .register(registry);
    rejected =
        Counter.builder()
            .name("autopilot_snapshots_rejected_total")
            .help("Telemetry snapshots rejected by validation, by reason")
            .labelNames("reason")
            .register(registry);
    for (SnapshotValidator.Reason reason : SnapshotValidator.Reason.values()) {
      rejected.labelValues(label(reason)).inc(0);
    }
    proposals =
        Counter.builder()
            .name("autopilot_proposals_total")
            .help("Proposals by agent and verdict (decision verdict or rejection code)")
            .labelNames("agent", "verdict")
            .register(registry);
    shadowProposals =
        Counter.builder()
            .name("autopilot_shadow_proposals_total")
            .help(
                "Shadow proposals of a learned policy not yet promoted, by agent and admission"
                    + " verdict (admitted or the rejection code); never applied")
            .labelNames("agent", "verdict")
            .register(registry);
    actuations =
        Counter.builder()
            .name("autopilot_actuations_total")
            .help("Actuator reports by kind")
            .labelNames("kind")
            .register(registry);
    actuationFailures =
        Counter.builder()
            .name("autopilot_actuation_failures_total")
            .help(
                "Changes the actuator could not execute, by error kind (a platform failure kind,"
                    + " invalid, actuation_in_progress or error)")
            .labelNames("kind")
            .register(registry);
    for (PlatformException.Kind kind : PlatformException.Kind.values()) {
      actuationFailures.labelValues(label(kind)).inc(0);
    }
    rollbacks =
        Counter.builder()
            .name("autopilot_rollbacks_total")
            .help("Configuration rollbacks")
            .register(registry);
    decisionLatency =
        Histogram.builder()
            .name("autopilot_decision_latency_seconds")
            .help("Time from opening a tick to its decision")
            .classicOnly()
            .classicUpperBounds(latencyBuckets)
            .register(registry);
    collections =
        Counter.builder()
            .name("autopilot_collections_total")
            .help("Collections of the telemetry collector (every pipeline observed once)")
            .register(registry);
    collectionsSkipped =
        Counter.builder()
            .name("autopilot_collections_skipped_total")
            .help("Collector timer ticks skipped while the previous collection was running")
            .register(registry);
    collectionFailures =
        Counter.builder()
            .name("autopilot_collection_failures_total")
            .help("Pipelines the collector could not get through the loop, by kind")
            .labelNames("kind")
            .register(registry);
    journalRecoveryFailures =
        Counter.builder()
            .name("autopilot_journal_recovery_failures_total")
            .help("Failed journal replays of entities (each attempt), by entity type")
            .labelNames("entity_type")
            .register(registry);
    for (AgentKind kind : AgentKind.values()) {
      journalRecoveryFailures.labelValues(kind.entityTypeName()).inc(0);
    }
    Info.builder()
        .name("autopilot_build_info")
        .help("Autopilot build")
        .labelNames("version")
        .register(registry)
        .addLabelValues(version);
  }

  /**
   * Metrics configured by {@code autopilot.metrics}, with the build's version; the HTTP exporter is
   * not started (see {@link #serve(int)}).
   */
  public static AutopilotMetrics create(Config config) {
    double[] buckets =
        config.getDoubleList("autopilot.metrics.decision-latency-buckets").stream()
            .mapToDouble(Double::doubleValue)
            .toArray();
    return new AutopilotMetrics(buildVersion(), buckets);
  }

  /** The version Maven wrote into {@code build.properties}. */
  public static String buildVersion() {
    try (InputStream in =
        AutopilotMetrics.class.getResourceAsStream("/dev/autopilot/runtime/build.properties")) {
      if (in == null) {
        throw new IllegalStateException("dev/autopilot/runtime/build.properties is missing");
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The registry (for other exporters and tests). */
  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Starts the HTTP exporter ({@code /metrics}) on {@code port}; 0 leaves it off.
   *
   * @return the bound port, or 0 when disabled
   */
  public synchronized int serve(int port) {
    if (port == 0) {
      return 0;
    }
    if (server != null) {
      throw new IllegalStateException("metrics server already running on " + server.getPort());
    }
    try {
      server = HTTPServer.builder().port(port).registry(registry).buildAndStart();
      return server.getPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the metrics server on port " + port, e);
    }
  }

  /** A tick closed. */
  public void recordTick() {
    ticks.inc();
  }

  /** The control loop gave a tick up (not closed in time). */
  public void recordTickFailed() {
    ticksFailed.inc();
  }

  /** The result of one journal health check. */
  public void recordJournalCheck(boolean up) {
    journalUp.set(up ? 1 : 0);
    if (!up) {
      journalCheckFailures.inc();
    }
  }

  /** Whether the last journal health check succeeded. */
  public boolean journalUp() {
    return journalUp.get() == 1;
  }

  /** Current count of failed journal health checks. */
  public long journalCheckFailureCount() {
    return journalCheckFailures.getLongValue();
  }

  /** Current count of ticks given up. */
  public long tickFailedCount() {
    return ticksFailed.getLongValue();
  }

  /** A snapshot was rejected. */
  public void recordRejected(SnapshotValidator.Reason reason) {
    rejected.labelValues(label(reason)).inc();
  }

  /**
   * A proposal's fate.
   *
   * @param agent the proposing agent
   * @param verdict a bounded enum: {@code Decision.Verdict} for the chosen proposal, {@code
   *     Decision.RejectionCode} for the others
   */
  public void recordProposal(AgentKind agent, Enum<?> verdict) {
    proposals.labelValues(label(agent), label(verdict)).inc();
  }

  /**
   * A shadow proposal's admission verdict.
   *
   * @param agent the proposing agent
   * @param refusal the rejection code ({@code Decision.RejectionCode}), null when admitted
   */
  public void recordShadowProposal(AgentKind agent, Enum<?> refusal) {
    shadowProposals.labelValues(label(agent), refusal == null ? "admitted" : label(refusal)).inc();
  }

  /** An actuator report ({@code Actuator.Report.Kind}: applied, verified, rolled back, failed). */
  public void recordActuation(Enum<?> kind) {
    actuations.labelValues(label(kind)).inc();
  }

  /**
   * A change the actuator could not execute.
   *
   * @param errorKind the {@code ChangeFailed}'s error kind ({@code Actuator.Report.errorKind()})
   */
  public void recordActuationFailure(String errorKind) {
    actuationFailures.labelValues(failureLabel(errorKind)).inc();
  }

  /** Current count of actuation failures of one error kind (as {@link #recordActuationFailure}). */
  public long actuationFailureCount(String errorKind) {
    return actuationFailures.labelValues(failureLabel(errorKind)).getLongValue();
  }

  /** A configuration rollback. */
  public void recordRollback() {
    rollbacks.inc();
  }

  /** The latency of one decision. */
  public void observeDecisionLatency(Duration latency) {
    decisionLatency.observe(latency.toNanos() / 1e9);
  }

  /** The collector finished a collection. */
  public void recordCollection() {
    collections.inc();
  }

  /** The collector skipped a timer tick (the previous collection was still running). */
  public void recordCollectionSkipped() {
    collectionsSkipped.inc();
  }

  /** The collector could not get one pipeline through the loop ({@code kind}: a bounded enum). */
  public void recordCollectionFailure(Enum<?> kind) {
    collectionFailures.labelValues(label(kind)).inc();
  }

  /**
   * An entity's journal could not be replayed ({@code entityType}: the entity type name of an
   * {@link AgentKind}; other names count as {@code other}, so the label stays bounded).
   */
  public void recordJournalRecoveryFailure(String entityType) {
    journalRecoveryFailures.labelValues(entityTypeLabel(entityType)).inc();
  }

  /** Current count of failed journal replays of one entity type. */
  public long journalRecoveryFailureCount(String entityType) {
    return journalRecoveryFailures.labelValues(entityTypeLabel(entityType)).getLongValue();
  }

  private static String entityTypeLabel(String entityType) {
    for (AgentKind kind : AgentKind.values()) {
      if (kind.entityTypeName().equals(entityType)) {
        return entityType;
      }
    }
    return "other";
  }

  /** Current count of finished collections. */
  public long collectionCount() {
    return collections.getLongValue();
  }

  /** Current count of collection failures of one kind. */
  public long collectionFailureCount(Enum<?> kind) {
    return collectionFailures.labelValues(label(kind)).getLongValue();
  }

  /** Current count of rejections for one reason. */
  public long rejectedCount(SnapshotValidator.Reason reason) {
    return rejected.labelValues(label(reason)).getLongValue();
  }

  /** Current count of closed ticks. */
  public long tickCount() {
    return ticks.getLongValue();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Bounded: the platform kinds and the actuator's own refusals by name, anything else "error". */
  private static String failureLabel(String errorKind) {
    if (errorKind != null) {
      for (PlatformException.Kind kind : PlatformException.Kind.values()) {
        if (kind.name().equals(errorKind)) {
          return label(kind);
        }
      }
      if (ACTUATOR_REFUSALS.contains(errorKind)) {
        return errorKind.toLowerCase(Locale.ROOT);
      }
    }
    return "error";
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
