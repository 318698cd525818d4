package dev.autopilot.runtime.loop;

import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.runtime.telemetry.TelemetryGateway;

/** What the control loop answers for an accepted snapshot (rejections are the gateway's own). */
public final class LoopResult {
  private LoopResult() {}

  /**
   * The meta-agent closed the tick.
   *
   * @param closed its decision, the proposals, and what the actuator did
   */
  public record TickCompleted(MetaAgent.TickClosed closed) implements TelemetryGateway.IngestResult {}

  /**
   * The tick could not be closed (the meta-agent did not answer in time, or failed). The
   * snapshot is lost for the agents; the next tick goes on.
   *
   * @param pipelineId the pipeline
   * @param tick the tick
   * @param message why
   */
  public record TickFailed(String pipelineId, long tick, String message)
      implements TelemetryGateway.IngestResult {}
}
