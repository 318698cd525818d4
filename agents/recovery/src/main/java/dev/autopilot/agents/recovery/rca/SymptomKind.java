package dev.autopilot.agents.recovery.rca;

/** The kinds of anomaly a service can show, each propagating from callee to caller. */
public enum SymptomKind {
  /** Requests take longer. */
  LATENCY,
  /** More requests fail. */
  AVAILABILITY,
  /** More requests arrive (a flood). */
  REQUESTS
}
