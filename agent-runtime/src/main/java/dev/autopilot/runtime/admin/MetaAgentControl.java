package dev.autopilot.runtime.admin;

import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.pattern.StatusReply;

/**
 * {@link PipelineControl} through the meta-agents' own commands ({@link MetaAgent.GetState}, {@link
 * MetaAgent.SetMode}, {@link MetaAgent.Approve}, {@link MetaAgent.Deny}, {@link
 * MetaAgent.RequestRollback}); the policy stays in the meta-agent.
 */
public final class MetaAgentControl implements PipelineControl {

  private final ActorSystem<?> system;
  private final List<String> pipelines;
  private final Function<String, RecipientRef<MetaAgent.Command>> meta;
  private final Duration timeout;

  /**
   * @param system the actor system (for asks)
   * @param pipelines the managed pipelines
   * @param meta the meta-agent of a pipeline
   * @param timeout longest wait for one answer
   */
  public MetaAgentControl(
      ActorSystem<?> system,
      List<String> pipelines,
      Function<String, RecipientRef<MetaAgent.Command>> meta,
      Duration timeout) {
    this.system = system;
    this.pipelines = List.copyOf(pipelines);
    this.meta = meta;
    this.timeout = timeout;
  }

  /** The sharded meta-agents of {@code pipelines}. */
  public static MetaAgentControl sharded(
      ActorSystem<?> system, List<String> pipelines, Duration timeout) {
    ClusterSharding sharding = ClusterSharding.get(system);
    return new MetaAgentControl(
        system, pipelines, id -> sharding.entityRefFor(MetaAgent.ENTITY_TYPE_KEY, id), timeout);
  }

  @Override
  public List<String> pipelines() {
    return pipelines;
  }

  @Override
  public CompletionStage<Map<String, Object>> view(String pipelineId) {
    CompletionStage<MetaAgent.State> state = state(pipelineId);
    CompletionStage<Actuator.State> actuator =
        AskPattern.ask(
            meta.apply(pipelineId), MetaAgent.GetActuatorState::new, timeout, system.scheduler());
    return state.thenCombine(actuator, (s, a) -> render(pipelineId, s, a));
  }

  private CompletionStage<MetaAgent.State> state(String pipelineId) {
    return AskPattern.ask(
        meta.apply(pipelineId), MetaAgent.GetState::new, timeout, system.scheduler());
  }

  private static Map<String, Object> render(String id, MetaAgent.State s, Actuator.State a) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", id);
    out.put("mode", s.mode().name().toLowerCase(java.util.Locale.ROOT));
    out.put("decisions", s.decisions());
    out.put(
        "lastDecisionTick", s.lastDecisionTick() == Long.MIN_VALUE ? null : s.lastDecisionTick());
    List<Map<String, Object>> pending = new ArrayList<>();
    s.awaitingApproval().forEach((decisionId, p) -> pending.add(proposal(decisionId, p)));
    out.put("pendingApprovals", pending);
    List<Map<String, Object>> approved = new ArrayList<>();
    s.approved().forEach((decisionId, p) -> approved.add(proposal(decisionId, p)));
    out.put("approved", approved);
    PipelineConfig running = a.running() != null ? a.running() : a.history().newest();
    out.put("runningConfig", running == null ? null : running.summary());
    out.put("knownGoodConfigs", a.history().size());
    out.put("verificationOpen", a.verificationOpen());
    out.put("lastChangeTick", a.lastChangeTick() == Long.MIN_VALUE ? null : a.lastChangeTick());
    out.put("applied", a.applied());
    out.put("verified", a.verified());
    out.put("rolledBack", a.rolledBack());
    out.put("failed", a.failed());
    return out;
  }

  private static Map<String, Object> proposal(String decisionId, Proposal p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("decisionId", decisionId);
    m.put("proposalId", p.id());
    m.put("agent", p.agent() == null ? null : p.agent().name());
    m.put("action", p.action() == null ? null : p.action().describe());
    return m;
  }

  @Override
  public CompletionStage<Void> setMode(String pipelineId, Mode mode, String requestedBy) {
    return AskPattern.<MetaAgent.Command, org.apache.pekko.Done>askWithStatus(
            meta.apply(pipelineId),
            r -> new MetaAgent.SetMode(mode, requestedBy, r),
            timeout,
            system.scheduler())
        .exceptionally(MetaAgentControl::refused)
        .thenApply(d -> null);
  }

  @Override
  public CompletionStage<String> decide(
      String pipelineId, String id, boolean approve, String approver, String reason) {
    return state(pipelineId)
        .thenCompose(
            s -> {
              String decisionId = decisionIdOf(s, id);
              if (decisionId == null) {
                return CompletableFuture.failedFuture(
                    new Refused("no decision or proposal " + id + " awaits approval"));
              }
              CompletionStage<org.apache.pekko.Done> done =
                  AskPattern.askWithStatus(
                      meta.apply(pipelineId),
                      r ->
                          approve
                              ? new MetaAgent.Approve(decisionId, approver, r)
                              : new MetaAgent.Deny(decisionId, approver, reason, r),
                      timeout,
                      system.scheduler());
              return done.exceptionally(MetaAgentControl::refused).thenApply(d -> decisionId);
            });
  }

  private static String decisionIdOf(MetaAgent.State s, String id) {
    if (s.awaitingApproval().containsKey(id)) {
      return id;
    }
    for (Map.Entry<String, Proposal> e : s.awaitingApproval().entrySet()) {
      if (id.equals(e.getValue().id())) {
        return e.getKey();
      }
    }
    return null;
  }

  @Override
  public CompletionStage<PipelineConfig> rollback(
      String pipelineId, int levels, String reason, String requestedBy) {
    CompletionStage<PipelineConfig> restored =
        AskPattern.askWithStatus(
            meta.apply(pipelineId),
            r -> new MetaAgent.RequestRollback(levels, reason, requestedBy, r),
            timeout,
            system.scheduler());
    return restored.exceptionally(MetaAgentControl::refused);
  }

  /** A {@link StatusReply} error becomes a {@link Refused}; anything else is rethrown. */
  private static <T> T refused(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    if (cause instanceof StatusReply.ErrorMessage e) {
      throw new Refused(e.getMessage());
    }
    throw t instanceof CompletionException c ? c : new CompletionException(cause);
  }
}
