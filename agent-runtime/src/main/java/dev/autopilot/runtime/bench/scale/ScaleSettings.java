package dev.autopilot.runtime.bench.scale;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.List;

/**
 * Settings of {@code bench scale}, read once from {@code autopilot.bench.scale} (agent-runtime's
 * {@code reference.conf}).
 *
 * @param pipelines pipeline counts of the default one-node runs
 * @param clusterPipelines pipelines of the default cluster run
 * @param clusterNodes nodes of the default cluster run
 * @param journal journal of the default runs: {@code h2} or {@code postgres}
 * @param ticks measured ticks of every pipeline in a run
 * @param warmupTicks ticks run before the measured ones, not measured
 * @param inFlight largest number of snapshots in the loop at once (0: every pipeline of a tick at
 *     once, as the telemetry collector submits them)
 * @param seed seed of the simulated workload and faults
 * @param postgresUrl JDBC URL of the PostgreSQL server (its database is the one connected to for
 *     creating the runs' scratch databases)
 * @param postgresUser PostgreSQL user
 * @param postgresPassword PostgreSQL password
 * @param heapSampleInterval interval of the heap sampler (peak heap)
 * @param simulatedNodesPerPipeline nodes of the simulated Kubernetes cluster per pipeline: its
 *     {@code max-nodes} becomes the larger of the configured one and this times the pipelines, so
 *     that every pipeline can run as it would alone (0: the configured cluster, shared)
 */
public record ScaleSettings(
    List<Integer> pipelines,
    int clusterPipelines,
    int clusterNodes,
    String journal,
    int ticks,
    int warmupTicks,
    int inFlight,
    long seed,
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    Duration heapSampleInterval,
    double simulatedNodesPerPipeline) {

  /** Config path of the settings. */
  public static final String ROOT = "autopilot.bench.scale";

  /** Journals a run may use. */
  public static final List<String> JOURNALS = List.of("h2", "postgres");

  public ScaleSettings {
    pipelines = List.copyOf(pipelines);
    if (pipelines.isEmpty() || pipelines.stream().anyMatch(p -> p < 1)) {
      throw new IllegalArgumentException(
          ROOT + ".pipelines must be a non-empty list of counts >= 1, was " + pipelines);
    }
    if (clusterPipelines < 1) {
      throw new IllegalArgumentException(
          ROOT + ".cluster-pipelines must be >= 1, was " + clusterPipelines);
    }
    if (clusterNodes < 1) {
      throw new IllegalArgumentException(ROOT + ".cluster-nodes must be >= 1, was " + clusterNodes);
    }
    if (!JOURNALS.contains(journal)) {
      throw new IllegalArgumentException(
          ROOT + ".journal must be one of " + JOURNALS + ", was '" + journal + "'");
    }
    if (ticks < 1) {
      throw new IllegalArgumentException(ROOT + ".ticks must be >= 1, was " + ticks);
    }
    if (warmupTicks < 0) {
      throw new IllegalArgumentException(ROOT + ".warmup-ticks must be >= 0, was " + warmupTicks);
    }
    if (inFlight < 0) {
      throw new IllegalArgumentException(ROOT + ".in-flight must be >= 0, was " + inFlight);
    }
    if (postgresUrl == null || !postgresUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          ROOT + ".postgres.url must be a jdbc:postgresql: URL, was '" + postgresUrl + "'");
    }
    if (heapSampleInterval == null
        || heapSampleInterval.isZero()
        || heapSampleInterval.isNegative()) {
      throw new IllegalArgumentException(
          ROOT + ".heap-sample-interval must be > 0, was " + heapSampleInterval);
    }
    if (!(simulatedNodesPerPipeline >= 0) || Double.isInfinite(simulatedNodesPerPipeline)) {
      throw new IllegalArgumentException(
          ROOT
              + ".simulated-nodes-per-pipeline must be a number >= 0, was "
              + simulatedNodesPerPipeline);
    }
  }

  /** The same settings with another simulated cluster size per pipeline. */
  public ScaleSettings withSimulatedNodesPerPipeline(double nodesPerPipeline) {
    return new ScaleSettings(
        pipelines,
        clusterPipelines,
        clusterNodes,
        journal,
        ticks,
        warmupTicks,
        inFlight,
        seed,
        postgresUrl,
        postgresUser,
        postgresPassword,
        heapSampleInterval,
        nodesPerPipeline);
  }

  /** Reads {@code autopilot.bench.scale}. */
  public static ScaleSettings create(Config root) {
    Config c = root.getConfig(ROOT);
    return new ScaleSettings(
        c.getIntList("pipelines"),
        c.getInt("cluster-pipelines"),
        c.getInt("cluster-nodes"),
        c.getString("journal"),
        c.getInt("ticks"),
        c.getInt("warmup-ticks"),
        c.getInt("in-flight"),
        c.getLong("seed"),
        c.getString("postgres.url"),
        c.getString("postgres.user"),
        c.getString("postgres.password"),
        c.getDuration("heap-sample-interval"),
        c.getDouble("simulated-nodes-per-pipeline"));
  }
}
