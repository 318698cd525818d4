package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The control loop of one node, as seen by a driver (the simulation runner, the live telemetry
 * collector, or an integrator): submit a snapshot, get back either the gateway's rejection or the
 * meta-agent's closed tick.
 */
public final class ControlLoop {
  private final AutopilotNode node;
  private final ActorRef<ControlLoopActor.Command> actor;
  private final Duration submitTimeout;

  private ControlLoop(
      AutopilotNode node, ActorRef<ControlLoopActor.Command> actor, Duration submitTimeout) {
    this.node = node;
    this.actor = actor;
    this.submitTimeout = submitTimeout;
  }

  /**
   * Starts the loop's front on a node whose agents' sharding is registered ({@link AgentEntities}).
   *
   * @param node the node
   * @param slas the managed pipelines and their SLAs
   */
  public static ControlLoop start(AutopilotNode node, Map<String, SlaSpec> slas) {
    Config c = node.system().settings().config().getConfig("autopilot.loop");
    Duration tickTimeout = c.getDuration("tick-timeout");
    ActorRef<ControlLoopActor.Command> actor =
        AskPattern.<SpawnProtocol.Command, ActorRef<ControlLoopActor.Command>>ask(
                node.system(),
                ref ->
                    new SpawnProtocol.Spawn<>(
                        ControlLoopActor.create(slas, node.metrics(), tickTimeout),
                        "control-loop",
                        Props.empty(),
                        ref),
                Duration.ofSeconds(10),
                node.system().scheduler())
            .toCompletableFuture()
            .join();
    return new ControlLoop(node, actor, tickTimeout.plusSeconds(5));
  }

  /** Validates and runs one snapshot through the loop. */
  public CompletionStage<TelemetryGateway.IngestResult> submit(TelemetrySnapshot snapshot) {
    return AskPattern.ask(
        actor,
        (ActorRef<TelemetryGateway.IngestResult> ref) ->
            new ControlLoopActor.Submit(new TelemetryGateway.Ingest(snapshot, ref)),
        submitTimeout,
        node.system().scheduler());
  }

  /** Like {@link #submit}, waiting for the answer. */
  public TelemetryGateway.IngestResult submitAndWait(TelemetrySnapshot snapshot) {
    try {
      return submit(snapshot).toCompletableFuture().get(submitTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new LoopResult.TickFailed(snapshot.pipelineId(), snapshot.tick(), "interrupted");
    } catch (Exception e) {
      return new LoopResult.TickFailed(
          snapshot == null ? null : snapshot.pipelineId(),
          snapshot == null ? -1 : snapshot.tick(),
          e.toString());
    }
  }

  public AutopilotNode node() {
    return node;
  }
}
