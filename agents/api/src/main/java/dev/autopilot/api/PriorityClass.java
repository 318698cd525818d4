package dev.autopilot.api;

/**
 * Arbitration order of proposals (DESIGN.md section 3): safety and recovery first, then SLA
 * protection, then optimization. Lower {@link #ordinal()} wins.
 */
public enum PriorityClass {
  SAFETY,
  RECOVERY,
  SLA_PROTECTION,
  OPTIMIZATION
}
