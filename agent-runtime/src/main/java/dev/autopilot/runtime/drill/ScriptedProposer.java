package dev.autopilot.runtime.drill;

import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * A stateless stand-in for a proposing agent (drills, tests): it proposes the configuration its
 * script gives for a tick (none when the script returns null), so the caller controls exactly what
 * the real meta-agent and actuator apply, wherever the entity runs. The script must be a pure
 * function of the snapshot (every node runs its own copy). Predictions are left at 0, which the
 * actuator's verification does not check, so every scripted change verifies once its window passes.
 */
public final class ScriptedProposer {
  private ScriptedProposer() {}

  /**
   * Registers a scripted stand-in for every agent the meta-agent may ask ({@link
   * MetaAgent#PROPOSERS}) on this node: {@code proposer} proposes what {@code script} gives, the
   * others propose nothing.
   */
  public static void initSharding(
      ActorSystem<?> system,
      AgentKind proposer,
      Function<TelemetrySnapshot, PipelineConfig> script) {
    ClusterSharding sharding = ClusterSharding.get(system);
    for (AgentKind kind : MetaAgent.PROPOSERS) {
      sharding.init(
          Entity.of(
              MetaAgent.agentKey(kind),
              ctx -> create(kind, kind == proposer ? script : s -> null)));
    }
  }

  /**
   * The proposer's behavior.
   *
   * @param kind the agent it stands in for (its proposals carry this kind)
   * @param script the configuration to propose for a snapshot, null for none
   */
  public static Behavior<AgentProtocol.Command> create(
      AgentKind kind, Function<TelemetrySnapshot, PipelineConfig> script) {
    return Behaviors.receive(AgentProtocol.Command.class)
        .onMessage(
            AgentProtocol.Evaluate.class,
            e -> {
              TelemetrySnapshot s = e.snapshot();
              PipelineConfig target = script.apply(s);
              List<Proposal> proposals =
                  target == null
                      ? List.of()
                      : List.of(
                          new Proposal(
                              kind.entityTypeName() + "-" + s.pipelineId() + "-" + s.tick() + "-0",
                              s.pipelineId(),
                              kind,
                              PriorityClass.OPTIMIZATION,
                              new Action.Reconfigure(target, "scripted"),
                              0.9,
                              new ExpectedEffect(0, 0, 0, 0, 1),
                              List.of("scripted by the test"),
                              "scripted",
                              s.tick(),
                              s.tick() + 3));
              e.replyTo()
                  .tell(new AgentProtocol.Proposals(s.pipelineId(), s.tick(), kind, proposals));
              return Behaviors.same();
            })
        .onMessage(AgentProtocol.Outcome.class, o -> Behaviors.same())
        .build();
  }
}
