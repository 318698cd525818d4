package dev.autopilot.runtime.telemetry;

import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.persistence.JsonSerializable;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The door of the control loop: every telemetry snapshot enters here. It validates each one with
 * {@link SnapshotValidator} against the known pipelines and the last accepted tick of each
 * pipeline; a bad snapshot is answered with {@link IngestResult.Rejected} and counted in {@code
 * autopilot_snapshots_rejected_total{reason}}; a good one is forwarded to the downstream as {@link
 * Accepted}, and the downstream answers the original sender.
 *
 * <p>It never fails on its input: any exception while validating (a shape the validator did not
 * foresee) is a {@code MALFORMED} rejection. One gateway serves one node; its state (the last
 * accepted tick per pipeline) is transient and rebuilt from the next snapshots after a restart of
 * the node.
 */
public final class TelemetryGateway extends AbstractBehavior<TelemetryGateway.Command> {

  /** Messages of the gateway. */
  public sealed interface Command extends JsonSerializable {}

  /**
   * One snapshot to validate and forward.
   *
   * @param snapshot the snapshot (may be null or partially null)
   * @param replyTo gets a {@link IngestResult.Rejected} from the gateway, or the downstream's
   *     answer
   */
  public record Ingest(TelemetrySnapshot snapshot, ActorRef<IngestResult> replyTo)
      implements Command {}

  /** Makes a pipeline known (snapshots of unknown pipelines are rejected). */
  public record RegisterPipeline(String pipelineId) implements Command {}

  /** Asks for the gateway's counts. */
  public record GetStats(ActorRef<Stats> replyTo) implements Command {}

  /**
   * Counts since the gateway started.
   *
   * @param accepted snapshots forwarded
   * @param rejected rejections by reason (every reason present, zero included)
   * @param knownPipelines pipelines the gateway accepts snapshots of
   * @param trackedPipelines pipelines it keeps state for (a last accepted tick): never more than
   *     the known ones, whatever unknown pipelines send
   */
  public record Stats(
      long accepted,
      Map<SnapshotValidator.Reason, Long> rejected,
      int knownPipelines,
      int trackedPipelines)
      implements JsonSerializable {
    public Stats {
      rejected = Map.copyOf(rejected);
    }

    /** All rejections. */
    public long rejectedTotal() {
      return rejected.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * A validated snapshot, sent downstream (the pipeline's meta-agent, through an adapter).
   *
   * @param snapshot the snapshot, valid
   * @param replyTo the original sender, to be answered by the downstream
   */
  public record Accepted(TelemetrySnapshot snapshot, ActorRef<IngestResult> replyTo)
      implements JsonSerializable {}

  /**
   * The answer to an {@link Ingest}. The gateway itself answers only {@link Rejected}; the
   * downstream answers accepted snapshots with {@link Completed} or with its own result type.
   */
  public interface IngestResult extends JsonSerializable {

    /**
     * The snapshot was refused and went no further.
     *
     * @param reason the reason code (the label of the rejection metric)
     * @param message which field was wrong
     */
    record Rejected(SnapshotValidator.Reason reason, String message) implements IngestResult {}

    /**
     * The downstream has processed the snapshot.
     *
     * @param pipelineId the pipeline
     * @param tick the snapshot's tick
     */
    record Completed(String pipelineId, long tick) implements IngestResult {}
  }

  private final ActorRef<Accepted> downstream;
  private final AutopilotMetrics metrics;
  private final Set<String> knownPipelines;
  private final Map<String, Long> lastAcceptedTick = new HashMap<>();
  private final Map<SnapshotValidator.Reason, Long> rejected =
      new EnumMap<>(SnapshotValidator.Reason.class);
  private long accepted;

  private TelemetryGateway(
      ActorContext<Command> context,
      Set<String> knownPipelines,
      ActorRef<Accepted> downstream,
      AutopilotMetrics metrics) {
    super(context);
    this.knownPipelines = new HashSet<>(knownPipelines);
    this.downstream = downstream;
    this.metrics = metrics;
    for (SnapshotValidator.Reason reason : SnapshotValidator.Reason.values()) {
      rejected.put(reason, 0L);
    }
  }

  /**
   * @param knownPipelines pipelines managed by this runtime
   * @param downstream receives every accepted snapshot
   * @param metrics where rejections are counted
   */
  public static Behavior<Command> create(
      Set<String> knownPipelines, ActorRef<Accepted> downstream, AutopilotMetrics metrics) {
    Set<String> pipelines = Set.copyOf(knownPipelines);
    return Behaviors.setup(ctx -> new TelemetryGateway(ctx, pipelines, downstream, metrics));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Ingest.class, this::onIngest)
        .onMessage(RegisterPipeline.class, this::onRegisterPipeline)
        .onMessage(GetStats.class, this::onGetStats)
        .build();
  }

  private Behavior<Command> onIngest(Ingest ingest) {
    TelemetrySnapshot s = ingest.snapshot();
    Optional<SnapshotValidator.Rejection> rejection = validate(s);
    if (rejection.isPresent()) {
      SnapshotValidator.Rejection r = rejection.get();
      rejected.merge(r.reason(), 1L, Long::sum);
      metrics.recordRejected(r.reason());
      getContext().getLog().debug("Rejected snapshot ({}): {}", r.reason(), r.message());
      if (ingest.replyTo() != null) {
        ingest.replyTo().tell(new IngestResult.Rejected(r.reason(), r.message()));
      }
      return this;
    }
    lastAcceptedTick.put(s.pipelineId(), s.tick());
    accepted++;
    downstream.tell(new Accepted(s, ingest.replyTo()));
    return this;
  }

  private Optional<SnapshotValidator.Rejection> validate(TelemetrySnapshot s) {
    try {
      long last =
          s == null || s.pipelineId() == null
              ? Long.MIN_VALUE
              : lastAcceptedTick.getOrDefault(s.pipelineId(), Long.MIN_VALUE);
      return SnapshotValidator.validate(s, knownPipelines, last);
    } catch (RuntimeException e) {
      return Optional.of(
          new SnapshotValidator.Rejection(
              SnapshotValidator.Reason.MALFORMED,
              "snapshot could not be validated: "
                  + e.getClass().getSimpleName()
                  + (e.getMessage() == null ? "" : ": " + e.getMessage())));
    }
  }

  private Behavior<Command> onRegisterPipeline(RegisterPipeline register) {
    if (register.pipelineId() != null && !register.pipelineId().isBlank()) {
      knownPipelines.add(register.pipelineId());
    }
    return this;
  }

  private Behavior<Command> onGetStats(GetStats get) {
    if (get.replyTo() != null) {
      get.replyTo()
          .tell(new Stats(accepted, rejected, knownPipelines.size(), lastAcceptedTick.size()));
    }
    return this;
  }
}
