package dev.autopilot.runtime.bench;

/**
 * How one detector of the agents did on the injected faults (event level, see {@link
 * Scorer#detectors}).
 *
 * @param detector detector name
 * @param episodes alarm episodes raised
 * @param truePositiveEpisodes episodes that overlap a fault of their pipeline (active, or resolved
 *     less than {@link Scorer#ECHO_TICKS} ticks before)
 * @param faults faults injected
 * @param faultsCaught faults with at least one vote on their pipeline while active
 * @param precisionPct true-positive episodes over episodes, percent; null without episodes
 * @param recallPct faults caught over faults, percent; null without faults
 */
public record DetectorScore(
    String detector,
    long episodes,
    long truePositiveEpisodes,
    long faults,
    long faultsCaught,
    Double precisionPct,
    Double recallPct) {}
