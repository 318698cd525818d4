/**
 * Graph-aware root-cause ranking of service incidents, pure code (no actor, no metrics, no
 * {@code Config} in the algorithm; knobs in {@link dev.autopilot.agents.recovery.rca.RcaSettings}).
 *
 * <p>{@link dev.autopilot.agents.recovery.rca.AnomalyScorer} turns each service's {@link
 * dev.autopilot.agents.recovery.rca.NodeSeries} around an {@link
 * dev.autopilot.agents.recovery.rca.IncidentWindow} into standardized latency / availability /
 * request rises against its own pre-alarm samples (issue-free history, when present, only
 * re-standardizes them); {@link dev.autopilot.agents.recovery.rca.RootCauseRanker} then ranks the
 * nodes of the {@link dev.autopilot.agents.recovery.rca.ServiceGraph}: anomalous, not explained
 * by an anomalous callee of comparable rise, and explaining many anomalous callers.
 */
package dev.autopilot.agents.recovery.rca;
