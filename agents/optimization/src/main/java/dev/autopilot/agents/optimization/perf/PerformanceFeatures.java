package dev.autopilot.agents.optimization.perf;

import dev.autopilot.api.PipelineConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The performance model's feature vector (schema {@value #SCHEMA}), in this order:
 *
 * <ol>
 *   <li>{@code p.<op>}: parallelism of each key operator (4 by default: parse, enrich, transform,
 *       window-agg), in the order given;
 *   <li>{@code network-buffer-mb}, {@code checkpoint-interval-seconds}, {@code task-manager-cpu},
 *       {@code task-manager-memory-gb}, {@code task-managers}: the rest of the configuration;
 *   <li>{@code offered-rate} (events/s) and {@code state-gb}: the workload;
 *   <li>derived, because trees split one feature at a time and the physics is in ratios: {@code
 *       total-cores} (TaskManagers × cores), {@code rate-per-core} (offered rate / total cores),
 *       {@code rate-per-subtask.<op>} (offered rate / the operator's parallelism, per key operator:
 *       each operator saturates at its own per-subtask rate, so one feature per operator lets a
 *       split find each threshold; a single "smallest parallelism" feature could not, and the model
 *       then missed that parse at parallelism 8 saturates at 2 M events/s), and {@code
 *       heap-gb-per-state-gb} (TaskManagers × memory / (state + 1 GB)).
 * </ol>
 *
 * The non-key operators' parallelism is not an input: the searches never change it.
 */
public final class PerformanceFeatures {

  /** Feature schema name and version, recorded in the model bundle's manifest. */
  public static final String SCHEMA = "optimization-performance/1";

  private final List<String> keyOperators;
  private final List<String> names;

  public PerformanceFeatures(List<String> keyOperators) {
    if (keyOperators == null || keyOperators.isEmpty()) {
      throw new IllegalArgumentException("the performance features need key operators");
    }
    this.keyOperators = List.copyOf(keyOperators);
    List<String> n = new ArrayList<>();
    for (String op : keyOperators) {
      n.add("p." + op);
    }
    n.addAll(
        List.of(
            "network-buffer-mb",
            "checkpoint-interval-seconds",
            "task-manager-cpu",
            "task-manager-memory-gb",
            "task-managers",
            "offered-rate",
            "state-gb",
            "total-cores",
            "rate-per-core"));
    for (String op : keyOperators) {
      n.add("rate-per-subtask." + op);
    }
    n.add("heap-gb-per-state-gb");
    this.names = List.copyOf(n);
  }

  public List<String> keyOperators() {
    return keyOperators;
  }

  /** Feature names, in vector order. */
  public List<String> names() {
    return names;
  }

  public int size() {
    return names.size();
  }

  /**
   * The feature vector of a configuration under a workload.
   *
   * @throws IllegalArgumentException when the configuration lacks a key operator
   */
  public double[] vector(PipelineConfig c, WorkloadFeatures w) {
    double[] v = new double[names.size()];
    int i = 0;
    for (String op : keyOperators) {
      v[i++] = c.parallelismOf(op);
    }
    double cores = c.taskManagers() * c.taskManagerCpu();
    v[i++] = c.networkBufferMb();
    v[i++] = c.checkpointIntervalSeconds();
    v[i++] = c.taskManagerCpu();
    v[i++] = c.taskManagerMemoryGb();
    v[i++] = c.taskManagers();
    v[i++] = w.offeredRate();
    v[i++] = w.stateGb();
    v[i++] = cores;
    v[i++] = w.offeredRate() / Math.max(cores, 1e-9);
    for (int k = 0; k < keyOperators.size(); k++) {
      v[i++] = w.offeredRate() / Math.max(v[k], 1);
    }
    v[i++] = c.taskManagers() * c.taskManagerMemoryGb() / (w.stateGb() + 1);
    return v;
  }
}
