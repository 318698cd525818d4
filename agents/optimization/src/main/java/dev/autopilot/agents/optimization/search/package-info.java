/**
 * Search over configurations, pure (no Pekko, no metrics): the {@link
 * dev.autopilot.agents.optimization.search.ConfigSpace} of the optimizer's knobs and its small
 * exhaustive grid, the {@link dev.autopilot.agents.optimization.search.Objective} a search
 * minimises (the optimizer's {@link dev.autopilot.agents.optimization.search.SlaCostObjective}:
 * cost plus SLA penalties), {@link dev.autopilot.agents.optimization.search.SimulatedAnnealing} and
 * {@link dev.autopilot.agents.optimization.search.BayesianOptimization}.
 */
package dev.autopilot.agents.optimization.search;
