/**
 * The recovery agent's actor shell: {@link dev.autopilot.agents.recovery.RecoveryAgent}, an
 * event-sourced entity sharded per pipeline that runs the pure policy of {@code
 * dev.autopilot.agents.recovery.policy} and journals the incident lifecycle.
 */
package dev.autopilot.agents.recovery;
