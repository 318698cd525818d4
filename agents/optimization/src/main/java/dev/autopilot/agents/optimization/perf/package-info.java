/**
 * The optimizer's performance model, pure (no Pekko, no metrics): gradient-boosted trees (Smile)
 * that predict a configuration's steady-state throughput and p99 latency from the configuration
 * plus workload features ({@link dev.autopilot.agents.optimization.perf.PerformanceFeatures}), its
 * training ({@link dev.autopilot.agents.optimization.perf.PerformanceModelTrainer}) and its
 * versioned persistence in a model bundle.
 */
package dev.autopilot.agents.optimization.perf;
