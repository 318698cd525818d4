package dev.autopilot.runtime.loop;

import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;

/**
 * The node-local front of the control loop: owns the {@link TelemetryGateway}, opens a tick on the
 * pipeline's sharded {@link MetaAgent} for every accepted snapshot, records the tick's metrics from
 * the meta-agent's {@link MetaAgent.TickClosed}, and answers the submitter.
 */
final class ControlLoopActor extends AbstractBehavior<ControlLoopActor.Command> {

  sealed interface Command {}

  /** Submit a snapshot (through the gateway's validation). */
  record Submit(TelemetryGateway.Ingest ingest) implements Command {}

  private record Forward(TelemetryGateway.Accepted accepted) implements Command {}

  private record Closed(
      TelemetryGateway.Accepted accepted,
      MetaAgent.TickClosed closed,
      Throwable failure,
      long startNanos)
      implements Command {}

  static Behavior<Command> create(
      Map<String, SlaSpec> slas, AutopilotMetrics metrics, Duration tickTimeout) {
    return Behaviors.setup(ctx -> new ControlLoopActor(ctx, slas, metrics, tickTimeout));
  }

  private final Map<String, SlaSpec> slas;
  private final AutopilotMetrics metrics;
  private final Duration tickTimeout;
  private final ActorRef<TelemetryGateway.Command> gateway;
  private final ClusterSharding sharding;

  private ControlLoopActor(
      ActorContext<Command> ctx,
      Map<String, SlaSpec> slas,
      AutopilotMetrics metrics,
      Duration tickTimeout) {
    super(ctx);
    this.slas = Map.copyOf(slas);
    this.metrics = metrics;
    this.tickTimeout = tickTimeout;
    this.sharding = ClusterSharding.get(ctx.getSystem());
    ActorRef<TelemetryGateway.Accepted> downstream =
        ctx.messageAdapter(TelemetryGateway.Accepted.class, Forward::new);
    this.gateway =
        ctx.spawn(
            TelemetryGateway.create(Set.copyOf(slas.keySet()), downstream, metrics),
            "telemetry-gateway");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, s -> forwardToGateway(s.ingest()))
        .onMessage(Forward.class, this::onForward)
        .onMessage(Closed.class, this::onClosed)
        .build();
  }

  private Behavior<Command> forwardToGateway(TelemetryGateway.Ingest ingest) {
    gateway.tell(ingest);
    return this;
  }

  private Behavior<Command> onForward(Forward f) {
    TelemetryGateway.Accepted accepted = f.accepted();
    String pipeline = accepted.snapshot().pipelineId();
    SlaSpec sla = slas.get(pipeline);
    long start = System.nanoTime();
    getContext()
        .ask(
            MetaAgent.TickClosed.class,
            sharding.entityRefFor(MetaAgent.ENTITY_TYPE_KEY, pipeline),
            tickTimeout,
            ref ->
                new MetaAgent.OpenTick(
                    accepted.snapshot(),
                    sla,
                    ref,
                    System.currentTimeMillis() + tickTimeout.toMillis()),
            (closed, failure) -> new Closed(accepted, closed, failure, start));
    return this;
  }

  private Behavior<Command> onClosed(Closed c) {
    TelemetryGateway.Accepted accepted = c.accepted();
    if (c.failure() != null) {
      metrics.recordTickFailed();
      getContext()
          .getLog()
          .warn(
              "tick {} of {} was not closed: {}",
              accepted.snapshot().tick(),
              accepted.snapshot().pipelineId(),
              c.failure().toString());
      accepted
          .replyTo()
          .tell(
              new LoopResult.TickFailed(
                  accepted.snapshot().pipelineId(),
                  accepted.snapshot().tick(),
                  c.failure().toString()));
      return this;
    }
    record(c.closed(), Duration.ofNanos(System.nanoTime() - c.startNanos()));
    accepted.replyTo().tell(new LoopResult.TickCompleted(c.closed()));
    return this;
  }

  /** The verdict label of a proposal in {@code autopilot_proposals_total}. */
  enum ProposalVerdict {
    APPLY,
    SHADOW,
    AWAITING_APPROVAL,
    REJECTED
  }

  private static ProposalVerdict verdictOf(Decision.Verdict v) {
    return switch (v) {
      case APPLY -> ProposalVerdict.APPLY;
      case SHADOW -> ProposalVerdict.SHADOW;
      case AWAITING_APPROVAL -> ProposalVerdict.AWAITING_APPROVAL;
      case NO_ACTION -> ProposalVerdict.REJECTED;
    };
  }

  private void record(MetaAgent.TickClosed closed, Duration latency) {
    metrics.recordTick();
    metrics.observeDecisionLatency(latency);
    Decision d = closed.decision();
    for (Proposal p : closed.proposals()) {
      boolean chosen = d != null && d.chosen() != null && d.chosen().id().equals(p.id());
      metrics.recordProposal(p.agent(), chosen ? verdictOf(d.verdict()) : ProposalVerdict.REJECTED);
    }
    for (MetaAgent.ShadowProposalRecorded r : closed.shadowProposals()) {
      if (r.proposal().agent() != null) {
        metrics.recordShadowProposal(r.proposal().agent(), r.code());
      }
    }
    for (AgentKind missing : closed.missingAgents()) {
      getContext().getLog().debug("{} missed tick {}", missing, closed.tick());
    }
    for (Actuator.Report r : closed.actuations()) {
      metrics.recordActuation(r.kind());
      if (r.errorKind() != null) {
        metrics.recordActuationFailure(r.errorKind());
      }
      if (r.kind() == Actuator.Report.Kind.ROLLED_BACK) {
        metrics.recordRollback();
      }
    }
  }
}
