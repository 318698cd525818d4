/**
 * The learned optimizer as the agent sees it: the {@link
 * dev.autopilot.agents.optimization.learned.LearnedPolicy} seam and its offline {@link
 * dev.autopilot.agents.optimization.learned.ShadowEvaluation}.
 */
package dev.autopilot.agents.optimization.learned;
