package dev.autopilot.runtime.admin;

import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.PipelineConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * What the admin API can ask of the pipelines' meta-agents. Failures the meta-agent reports (no
 * such pending decision, nothing to roll back to) complete the stage exceptionally with a {@link
 * Refused}.
 */
public interface PipelineControl {

  /** Every pipeline the runtime manages, in a stable order. */
  List<String> pipelines();

  /** The state of one pipeline, as JSON-ready values. */
  CompletionStage<Map<String, Object>> view(String pipelineId);

  /** Changes the mode; {@code requestedBy} is journaled with the change. */
  CompletionStage<Void> setMode(String pipelineId, Mode mode, String requestedBy);

  /**
   * Approves or rejects a decision that awaits approval, named by its decision id or by its chosen
   * proposal's id. Returns the decision id.
   */
  CompletionStage<String> decide(
      String pipelineId, String id, boolean approve, String approver, String reason);

  /** Rolls back {@code levels} known-good configurations; returns the restored one. */
  CompletionStage<PipelineConfig> rollback(
      String pipelineId, int levels, String reason, String requestedBy);

  /** The meta-agent refused the command; the message says why. */
  final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message, null, false, false);
    }
  }
}
