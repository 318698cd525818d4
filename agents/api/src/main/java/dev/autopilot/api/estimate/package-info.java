/**
 * Pure estimates from telemetry shared by the agents that size a pipeline (prediction and
 * optimization), which may not depend on each other: offered load by conservation of records at
 * the source, DS2 true processing rates and the bottleneck capacity ({@link
 * dev.autopilot.api.estimate.LoadEstimator}), and the expected latency and benefit of a capacity
 * change ({@link dev.autopilot.api.estimate.EffectModel}). No Pekko, no metrics, no wall clock.
 */
package dev.autopilot.api.estimate;
