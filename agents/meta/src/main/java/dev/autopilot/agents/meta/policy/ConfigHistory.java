package dev.autopilot.agents.meta.policy;

import dev.autopilot.api.PipelineConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The last known-good configurations of a pipeline, newest first, at most {@code capacity}.
 * Immutable: every operation returns a new history. The actuator keeps it as event-sourced state,
 * so it survives the loss of a node.
 *
 * @param entries known-good configurations, newest first
 * @param capacity how many are kept (5)
 */
public record ConfigHistory(List<PipelineConfig> entries, int capacity) {

  public ConfigHistory {
    if (capacity < 1) {
      throw new IllegalArgumentException("history capacity must be >= 1, was " + capacity);
    }
    entries = entries == null ? List.of() : List.copyOf(entries);
    if (entries.size() > capacity) {
      entries = entries.subList(0, capacity);
    }
  }

  public static ConfigHistory empty(int capacity) {
    return new ConfigHistory(List.of(), capacity);
  }

  public int size() {
    return entries.size();
  }

  /** The newest known-good configuration, null when none is known yet. */
  public PipelineConfig newest() {
    return entries.isEmpty() ? null : entries.get(0);
  }

  /**
   * Records a verified configuration as the newest; the oldest falls off beyond capacity. A config
   * equal to the newest is not recorded twice.
   */
  public ConfigHistory push(PipelineConfig config) {
    if (config.equals(newest())) {
      return this;
    }
    List<PipelineConfig> next = new ArrayList<>(entries.size() + 1);
    next.add(config);
    next.addAll(entries);
    return new ConfigHistory(next.size() > capacity ? next.subList(0, capacity) : next, capacity);
  }

  /** Whether a rollback of that many levels has a target ({@code 1 <= levels <= size()}). */
  public boolean canRollBack(int levels) {
    return levels >= 1 && levels <= entries.size();
  }

  /**
   * The target of a rollback of {@code levels} levels: the {@code levels}-th newest known-good
   * configuration (1 = the newest).
   *
   * @throws IllegalArgumentException when there is no such entry
   */
  public PipelineConfig rollbackTarget(int levels) {
    if (!canRollBack(levels)) {
      throw new IllegalArgumentException(
          "cannot roll back "
              + levels
              + " level(s) with "
              + entries.size()
              + " known-good"
              + " configuration(s)");
    }
    return entries.get(levels - 1);
  }

  /**
   * The history after rolling back to {@link #rollbackTarget(int) rollbackTarget(levels)}: the
   * {@code levels - 1} newer entries are dropped, so the target becomes the newest.
   */
  public ConfigHistory rolledBack(int levels) {
    rollbackTarget(levels);
    return new ConfigHistory(entries.subList(levels - 1, entries.size()), capacity);
  }
}
