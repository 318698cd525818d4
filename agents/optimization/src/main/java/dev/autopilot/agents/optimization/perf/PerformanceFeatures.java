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
 *       total-cores} (TaskManagers × cores), {@code rate-per-core} (offered rate / total cores) and
 *       {@code rate-per-min-key-subtask} (offered rate / the smallest key-operator parallelism),
 *       and {@code heap-gb-per-state-gb} (TaskManagers × memory / (state + 1 GB)).
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
            "rate-per-core",
            "rate-per-min-key-subtask",
            "heap-gb-per-state-gb"));
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
    double minP = Double.POSITIVE_INFINITY;
    for (String op : keyOperators) {
      int p = c.parallelismOf(op);
      v[i++] = p;
      minP = Math.min(minP, p);
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
    v[i++] = w.offeredRate() / Math.max(minP, 1);
    v[i++] = c.taskManagers() * c.taskManagerMemoryGb() / (w.stateGb() + 1);
    return v;
  }
}
