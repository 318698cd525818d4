package dev.autopilot.agents.meta.policy;

/** How the meta-agent acts on its decisions (DESIGN.md section 3). */
public enum Mode {
  /** Admitted decisions are applied. */
  AUTONOMOUS,
  /** Decide and journal, never apply. */
  SHADOW,
  /** Actions at or above the configured risk wait for an approval message. */
  APPROVAL
}
