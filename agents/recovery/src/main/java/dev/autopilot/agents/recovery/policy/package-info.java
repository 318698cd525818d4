/**
 * The recovery agent's pure policy: no actor, no metrics library, event time (ticks) only, every
 * threshold from {@link dev.autopilot.agents.recovery.policy.RecoverySettings}.
 *
 * <p>Per tick: {@link dev.autopilot.agents.recovery.policy.DetectorBank} feeds each key {@link
 * dev.autopilot.agents.recovery.policy.Signal} to a {@link
 * dev.autopilot.agents.recovery.policy.Cusum} and an {@link
 * dev.autopilot.agents.recovery.policy.Ewma} chart and keeps short histories; {@link
 * dev.autopilot.agents.recovery.policy.SymptomExtractor} turns the snapshot and the detector states
 * into named {@link dev.autopilot.agents.recovery.policy.Symptoms} (with the operator or node they
 * point at); {@link dev.autopilot.agents.recovery.policy.RuleTable} ranks the 15 failure modes;
 * {@link dev.autopilot.agents.recovery.policy.RecoveryLadder} gives each cause its L1 -> L2 -> L3
 * actions; {@link dev.autopilot.agents.recovery.policy.RecoveryPolicy} runs the incident lifecycle
 * (open, propose, escalate, close) over an {@link dev.autopilot.agents.recovery.policy.Incident}.
 */
package dev.autopilot.agents.recovery.policy;
