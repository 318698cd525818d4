package dev.autopilot.runtime.bench;

/**
 * The node-pool figures of a run ({@link Scorer#cluster}).
 *
 * @param clusterUtilizationPct mean over ticks of the pool's dominant-resource utilisation, percent
 * @param fragmentationMean mean over ticks of the pool's fragmentation (0-1)
 * @param highUtilizationTicksPct ticks with utilisation >= 70 % over all ticks, percent
 * @param lowFragmentationAtHighUtilizationPct of the ticks with utilisation >= 70 %, those with
 *     fragmentation < 0.25, percent; null when no tick reached 70 %
 * @param spotSharePct mean over ticks of the TaskManager pods on spot nodes over all pods, percent
 * @param spotWithdrawals spot reclaims during the run
 * @param podsMigrated TaskManagers those reclaims moved to on-demand nodes
 * @param cost all pipelines' cost by part at the end
 */
public record ClusterScore(
    double clusterUtilizationPct,
    double fragmentationMean,
    double highUtilizationTicksPct,
    Double lowFragmentationAtHighUtilizationPct,
    double spotSharePct,
    long spotWithdrawals,
    long podsMigrated,
    CostParts cost) {}
