package dev.autopilot.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tunable configuration of one pipeline: what the actuator applies, verifies, keeps in its
 * history and rolls back to.
 *
 * @param parallelism per-operator parallelism, in job-graph order
 * @param networkBufferMb network buffer memory per TaskManager, MB
 * @param checkpointIntervalSeconds checkpoint interval, seconds
 * @param taskManagers number of TaskManager pods
 * @param taskManagerCpu CPU cores per TaskManager
 * @param taskManagerMemoryGb memory per TaskManager, GB
 * @param slotsPerTaskManager task slots per TaskManager
 */
public record PipelineConfig(
    Map<String, Integer> parallelism,
    int networkBufferMb,
    int checkpointIntervalSeconds,
    int taskManagers,
    double taskManagerCpu,
    double taskManagerMemoryGb,
    int slotsPerTaskManager) {

  public PipelineConfig {
    parallelism =
        parallelism == null
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(parallelism));
  }

  /** Slots the job needs with slot sharing: its largest operator parallelism. */
  public int requiredSlots() {
    return parallelism.values().stream().mapToInt(Integer::intValue).max().orElse(0);
  }

  /** Slots the TaskManagers offer. */
  public int availableSlots() {
    return taskManagers * slotsPerTaskManager;
  }

  public int parallelismOf(String operatorId) {
    Integer p = parallelism.get(operatorId);
    if (p == null) {
      throw new IllegalArgumentException("unknown operator: " + operatorId);
    }
    return p;
  }

  public PipelineConfig withParallelism(Map<String, Integer> changes) {
    Map<String, Integer> next = new LinkedHashMap<>(parallelism);
    changes.forEach(
        (op, p) -> {
          if (!next.containsKey(op)) {
            throw new IllegalArgumentException("unknown operator: " + op);
          }
          next.put(op, p);
        });
    return new PipelineConfig(
        next,
        networkBufferMb,
        checkpointIntervalSeconds,
        taskManagers,
        taskManagerCpu,
        taskManagerMemoryGb,
        slotsPerTaskManager);
  }

  public PipelineConfig withNetworkBufferMb(int mb) {
    return new PipelineConfig(
        parallelism, mb, checkpointIntervalSeconds, taskManagers, taskManagerCpu,
        taskManagerMemoryGb, slotsPerTaskManager);
  }

  public PipelineConfig withCheckpointIntervalSeconds(int seconds) {
    return new PipelineConfig(
        parallelism, networkBufferMb, seconds, taskManagers, taskManagerCpu, taskManagerMemoryGb,
        slotsPerTaskManager);
  }

  public PipelineConfig withTaskManagers(int count) {
    return new PipelineConfig(
        parallelism, networkBufferMb, checkpointIntervalSeconds, count, taskManagerCpu,
        taskManagerMemoryGb, slotsPerTaskManager);
  }

  public PipelineConfig withResources(double cpu, double memoryGb) {
    return new PipelineConfig(
        parallelism, networkBufferMb, checkpointIntervalSeconds, taskManagers, cpu, memoryGb,
        slotsPerTaskManager);
  }

  /**
   * Structural problems that make this configuration impossible to run, whatever the safety
   * policy says (non-positive sizes, more slots needed than offered). Empty when it is runnable.
   */
  public List<String> structuralErrors() {
    List<String> errors = new ArrayList<>();
    if (parallelism.isEmpty()) {
      errors.add("no operators");
    }
    parallelism.forEach(
        (op, p) -> {
          if (op == null || op.isBlank()) {
            errors.add("blank operator id");
          }
          if (p == null || p < 1) {
            errors.add("parallelism of " + op + " must be >= 1, was " + p);
          }
        });
    if (networkBufferMb <= 0) {
      errors.add("network buffer must be > 0 MB, was " + networkBufferMb);
    }
    if (checkpointIntervalSeconds <= 0) {
      errors.add("checkpoint interval must be > 0 s, was " + checkpointIntervalSeconds);
    }
    if (taskManagers < 1) {
      errors.add("taskManagers must be >= 1, was " + taskManagers);
    }
    if (!(taskManagerCpu > 0) || Double.isInfinite(taskManagerCpu)) {
      errors.add("TaskManager CPU must be > 0, was " + taskManagerCpu);
    }
    if (!(taskManagerMemoryGb > 0) || Double.isInfinite(taskManagerMemoryGb)) {
      errors.add("TaskManager memory must be > 0 GB, was " + taskManagerMemoryGb);
    }
    if (slotsPerTaskManager < 1) {
      errors.add("slotsPerTaskManager must be >= 1, was " + slotsPerTaskManager);
    }
    if (errors.isEmpty() && requiredSlots() > availableSlots()) {
      errors.add(
          "job needs " + requiredSlots() + " slots but " + taskManagers + " TaskManagers x "
              + slotsPerTaskManager + " offer " + availableSlots());
    }
    return errors;
  }

  /** A one-line human summary, used in explanations and the audit table. */
  public String summary() {
    return "p=" + parallelism.values() + " tm=" + taskManagers + "x" + taskManagerCpu + "c/"
        + taskManagerMemoryGb + "g buf=" + networkBufferMb + "mb cp=" + checkpointIntervalSeconds
        + "s";
  }
}
