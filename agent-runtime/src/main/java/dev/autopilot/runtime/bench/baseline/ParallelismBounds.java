package dev.autopilot.runtime.bench.baseline;

import dev.autopilot.agents.meta.policy.AdmissionSettings;
import dev.autopilot.agents.meta.policy.Range;
import dev.autopilot.api.PipelineConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The hard bounds the meta-agent's admission control checks on a configuration's size, for a
 * baseline that acts without the meta-agent: the minimum parallelism, the tested ranges of
 * parallelism and TaskManager count, and the share of the cluster one pipeline may request.
 *
 * <p>{@link #fit} clamps every operator's parallelism into {@code [max(min-parallelism, tested
 * min), tested max]} and sizes the TaskManagers for the slots ({@code ceil(max parallelism / slots
 * per TaskManager)}); a configuration whose TaskManagers would still leave the tested range or the
 * cluster share is refused (empty), with the reason in {@link #violation}. The relative limits of
 * admission (predicted throughput drop and latency rise) and its cooldown are not bounds on the
 * size and are not applied: a baseline keeps its own pacing.
 *
 * @param admission the meta-agent's admission settings ({@code autopilot.meta})
 */
public record ParallelismBounds(AdmissionSettings admission) {

  public ParallelismBounds {
    Objects.requireNonNull(admission, "admission");
  }

  /** Lowest parallelism an operator may have. */
  public int minParallelism() {
    return (int)
        Math.max(admission.minParallelism(), Math.ceil(admission.ranges().parallelism().min()));
  }

  /** Highest parallelism an operator may have. */
  public int maxParallelism() {
    return (int) Math.floor(admission.ranges().parallelism().max());
  }

  /**
   * {@code target} with every parallelism clamped into the bounds and the TaskManagers its slots
   * need, or empty when that configuration still breaks a bound.
   */
  public Optional<PipelineConfig> fit(PipelineConfig target) {
    Map<String, Integer> p = new LinkedHashMap<>();
    target
        .parallelism()
        .forEach(
            (op, par) -> p.put(op, Math.max(minParallelism(), Math.min(maxParallelism(), par))));
    PipelineConfig clamped = target.withParallelism(p);
    int slots = clamped.slotsPerTaskManager();
    PipelineConfig sized =
        clamped.withTaskManagers(Math.max(1, (clamped.requiredSlots() + slots - 1) / slots));
    return violation(sized).isPresent() ? Optional.empty() : Optional.of(sized);
  }

  /** The first bound {@code config} breaks, described; empty when it fits. */
  public Optional<String> violation(PipelineConfig config) {
    for (Map.Entry<String, Integer> op : config.parallelism().entrySet()) {
      if (op.getValue() < minParallelism() || op.getValue() > maxParallelism()) {
        return Optional.of(
            "parallelism of "
                + op.getKey()
                + " is "
                + op.getValue()
                + ", outside "
                + minParallelism()
                + ".."
                + maxParallelism());
      }
    }
    Range tms = admission.ranges().taskManagers();
    if (!tms.contains(config.taskManagers())) {
      return Optional.of("TaskManager count " + config.taskManagers() + " outside " + tms);
    }
    double share = admission.maxCapacityFraction();
    double cores = config.taskManagers() * config.taskManagerCpu();
    double memory = config.taskManagers() * config.taskManagerMemoryGb();
    if (cores > share * admission.cluster().totalCores()
        || memory > share * admission.cluster().totalMemoryGb()) {
      return Optional.of(
          "requests " + cores + " cores and " + memory + " GB, over " + share + " of the cluster");
    }
    return Optional.empty();
  }
}
