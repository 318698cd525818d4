package dev.autopilot.runtime.bench.baseline.fko;

import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.runtime.bench.baseline.ParallelismBounds;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.realizer.ScalingRealizer;
import org.apache.flink.autoscaler.tuning.ConfigChanges;
import org.apache.flink.runtime.jobgraph.JobVertexID;

/**
 * The FKO autoscaler's scaling realizer on the simulated platform: it turns the library's
 * parallelism overrides (vertex id → parallelism) into the configuration the pipeline should run,
 * as the operator's {@code KubernetesScalingRealizer} turns them into a {@code FlinkDeployment}
 * spec.
 *
 * <p>Declarative and idempotent, like that realizer: the library hands it the full overrides on
 * every run, and it compares the desired parallelism with the pipeline's configuration (set with
 * {@link #begin} each tick). Only a difference becomes an action: one {@link Action.Reconfigure}
 * with every overridden operator's parallelism and the TaskManagers the slots need ({@code ceil(max
 * parallelism / slots per TaskManager)}, as a native Kubernetes deployment gets them); the {@code
 * fko} controller hands it to the platform. As in the operator, the overrides win over a
 * parallelism set by someone else: a repair that redeploys an operator at another parallelism is
 * rescaled back to the override at the autoscaler's next run. An override for an unknown vertex, or
 * a configuration outside the platform's {@link ParallelismBounds}, is refused with an exception
 * (the library reports it as an autoscaler error). Memory tuning is off by default and not
 * simulated: non-empty config overrides are refused the same way.
 */
public final class SimulatorScalingRealizer
    implements ScalingRealizer<String, JobAutoScalerContext<String>> {

  private final Map<String, String> operatorOfVertex = new HashMap<>();
  private final ParallelismBounds bounds;
  private PipelineConfig current;
  private Action.Reconfigure pending;

  /**
   * @param vertexIds the vertex id of each operator
   * @param bounds the platform's hard bounds on a configuration's size
   */
  public SimulatorScalingRealizer(Map<String, JobVertexID> vertexIds, ParallelismBounds bounds) {
    vertexIds.forEach((op, id) -> operatorOfVertex.put(id.toHexString(), op));
    this.bounds = Objects.requireNonNull(bounds, "bounds");
  }

  /** Starts a tick: the pipeline runs {@code running}; nothing is pending. */
  public void begin(PipelineConfig running) {
    this.current = Objects.requireNonNull(running, "running");
    this.pending = null;
  }

  /** The change realized this tick, if the overrides differ from the running configuration. */
  public Optional<Action.Reconfigure> pending() {
    return Optional.ofNullable(pending);
  }

  @Override
  public void realizeParallelismOverrides(
      JobAutoScalerContext<String> context, Map<String, String> parallelismOverrides) {
    if (current == null) {
      throw new IllegalStateException("realizer used before begin()");
    }
    Map<String, Integer> parallelism = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(parallelismOverrides).entrySet()) {
      String op = operatorOfVertex.get(e.getKey());
      if (op == null) {
        throw new IllegalArgumentException("parallelism override for unknown vertex " + e.getKey());
      }
      int p;
      try {
        p = Integer.parseInt(e.getValue().trim());
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            "parallelism override of " + op + " is not a number: '" + e.getValue() + "'");
      }
      parallelism.put(op, p);
    }
    PipelineConfig withP = current.withParallelism(parallelism);
    if (withP.parallelism().equals(current.parallelism())) {
      // Nothing to rescale. The TaskManager count is not the autoscaler's: it is left as it is
      // (for example a human's extra TaskManager), and follows the slots only with a rescale.
      pending = null;
      return;
    }
    int slots = withP.slotsPerTaskManager();
    PipelineConfig target =
        withP.withTaskManagers(Math.max(1, (withP.requiredSlots() + slots - 1) / slots));
    List<String> errors = target.structuralErrors();
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("overrides give an unrunnable configuration: " + errors);
    }
    Optional<String> violation = bounds.violation(target);
    if (violation.isPresent()) {
      throw new IllegalArgumentException(
          "overrides leave the platform's bounds: " + violation.get());
    }
    pending =
        new Action.Reconfigure(
            target, "fko: parallelism overrides " + new TreeMap<>(parallelismOf(target)));
  }

  private Map<String, Integer> parallelismOf(PipelineConfig target) {
    Map<String, Integer> changed = new LinkedHashMap<>();
    target
        .parallelism()
        .forEach(
            (op, p) -> {
              if (!p.equals(current.parallelism().get(op))) {
                changed.put(op, p);
              }
            });
    return changed;
  }

  @Override
  public void realizeConfigOverrides(
      JobAutoScalerContext<String> context, ConfigChanges configChanges) {
    if (!configChanges.getOverrides().isEmpty() || !configChanges.getRemovals().isEmpty()) {
      throw new UnsupportedOperationException(
          "memory tuning is not simulated: config overrides " + configChanges.getOverrides());
    }
  }
}
