package dev.autopilot.api;

import dev.autopilot.persistence.JsonSerializable;
import java.util.List;

/**
 * The explanation record journaled with every applied or rolled-back change: ⟨trigger, evidence,
 * cause, action, impact, verification⟩.
 *
 * @param trigger what started it (proposal id and agent, or the failed verification)
 * @param evidence observations that support it
 * @param cause diagnosed or forecast cause
 * @param action what was done, with the configuration before and after
 * @param impact expected impact (and, once verified, the observed one)
 * @param verification how the outcome is or was verified, and the verdict
 */
public record Explanation(
    String trigger,
    List<String> evidence,
    String cause,
    String action,
    String impact,
    String verification)
    implements JsonSerializable {

  public Explanation {
    evidence = evidence == null ? List.of() : List.copyOf(evidence);
  }
}
