package dev.autopilot.runtime.bench;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run measured of the shared node pool: one {@link ClusterTick} per tick, the spot
 * withdrawals, and each pipeline's cost by part at its last tick. Empty for runners that do not
 * measure it.
 *
 * @param ticks one record per tick, in tick order
 * @param spotWithdrawals spot reclaims, in order
 * @param costs each pipeline's cost by part at the end of the run
 */
public record ClusterRun(
    List<ClusterTick> ticks,
    List<SpotWithdrawalRecord> spotWithdrawals,
    Map<String, CostParts> costs) {

  /** Nothing measured. */
  public static final ClusterRun EMPTY = new ClusterRun(List.of(), List.of(), Map.of());

  public ClusterRun {
    ticks = ticks == null ? List.of() : List.copyOf(ticks);
    spotWithdrawals = spotWithdrawals == null ? List.of() : List.copyOf(spotWithdrawals);
    costs = costs == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(costs));
  }
}
