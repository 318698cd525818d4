package dev.autopilot.agents.meta.policy;

import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision.RejectionCode;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hard constraints of DESIGN.md section 3, checked on every proposal before arbitration. Each
 * refusal carries one {@link RejectionCode} and a reason naming the offending value and its limit.
 *
 * <p>Checks run in this order, the first failing one wins: validity ({@code INVALID}), expiry,
 * cooldown (configuration changes only: recovery actions are not held, safety and recovery first),
 * predicted throughput drop, predicted latency rise, minimum parallelism, tested ranges, cluster
 * capacity. Every bound comes from {@link AdmissionSettings}.
 */
public final class AdmissionControl {

  /** No change has been made yet: the cooldown does not apply. */
  public static final long NO_CHANGE = Long.MIN_VALUE;

  /** Why a proposal was refused. */
  public record Refusal(RejectionCode code, String reason) {}

  /**
   * What admission needs to know about the pipeline.
   *
   * @param pipelineId the pipeline being decided
   * @param tick the current tick
   * @param current the running configuration
   * @param lastChangeTick tick of the last configuration change (applied or rolled back), or {@link
   *     #NO_CHANGE}
   * @param sla the pipeline's SLA, null when unknown
   * @param offeredRate the load the source takes now (records in per second), for the SLA's
   *     required throughput
   */
  public record Context(
      String pipelineId,
      long tick,
      PipelineConfig current,
      long lastChangeTick,
      SlaSpec sla,
      double offeredRate) {

    /** A context without an SLA: every relative constraint applies as it is. */
    public Context(String pipelineId, long tick, PipelineConfig current, long lastChangeTick) {
      this(pipelineId, tick, current, lastChangeTick, null, 0);
    }
  }

  private final AdmissionSettings settings;

  public AdmissionControl(AdmissionSettings settings) {
    this.settings = settings;
  }

  /** Empty when the proposal is admitted, else the first constraint it breaks. */
  public Optional<Refusal> check(Proposal p, Context ctx) {
    Optional<Refusal> invalid = validity(p, ctx);
    if (invalid.isPresent()) {
      return invalid;
    }
    if (p.expiredAt(ctx.tick())) {
      return refuse(
          RejectionCode.EXPIRED, "expired at tick " + p.expiryTick() + ", now tick " + ctx.tick());
    }
    boolean recovery = p.action() instanceof Action.RecoveryAction;
    if (!recovery && ctx.lastChangeTick() != NO_CHANGE) {
      long since = ctx.tick() - ctx.lastChangeTick();
      if (since < settings.cooldownTicks()) {
        return refuse(
            RejectionCode.COOLDOWN,
            "cooldown: last configuration change at tick "
                + ctx.lastChangeTick()
                + ", "
                + since
                + " of "
                + settings.cooldownTicks()
                + " ticks passed");
      }
    }
    ExpectedEffect e = p.expectedEffect();
    // A repair is measured from a broken present: a job that drops records shows low latency, a
    // job catching up shows a throughput burst. For a recovery action, the relative limits guard
    // the SLA itself: a predicted drop or rise is refused only when the predicted outcome falls
    // outside the SLA.
    boolean repairWithinSla = recovery && predictedWithinSla(e, ctx);
    if (e.throughputChange() < -settings.maxThroughputDrop() && !repairWithinSla) {
      return refuse(
          RejectionCode.THROUGHPUT_DROP,
          "predicted throughput change "
              + pct(e.throughputChange())
              + " exceeds the allowed drop of "
              + pct(settings.maxThroughputDrop()));
    }
    if (e.latencyChange() > settings.maxLatencyRise() && !repairWithinSla) {
      return refuse(
          RejectionCode.LATENCY_RISE,
          "predicted p99 latency change +"
              + pct(e.latencyChange())
              + " exceeds the allowed rise of "
              + pct(settings.maxLatencyRise()));
    }
    PipelineConfig target = p.action().targetConfig(ctx.current());
    for (Map.Entry<String, Integer> op : target.parallelism().entrySet()) {
      if (op.getValue() < settings.minParallelism()) {
        return refuse(
            RejectionCode.MIN_PARALLELISM,
            "parallelism of "
                + op.getKey()
                + " would be "
                + op.getValue()
                + ", minimum is "
                + settings.minParallelism());
      }
    }
    Optional<Refusal> range = ranges(target);
    if (range.isPresent()) {
      return range;
    }
    return capacity(target);
  }

  private Optional<Refusal> validity(Proposal p, Context ctx) {
    if (p == null) {
      return refuse(RejectionCode.INVALID, "null proposal");
    }
    if (p.action() == null
        || p.expectedEffect() == null
        || p.agent() == null
        || p.priority() == null
        || p.id() == null) {
      return refuse(RejectionCode.INVALID, "proposal lacks id, agent, priority, action or effect");
    }
    if (p.agent() != AgentKind.PREDICTION
        && p.agent() != AgentKind.RECOVERY
        && p.agent() != AgentKind.OPTIMIZATION) {
      return refuse(RejectionCode.INVALID, p.agent() + " does not propose actions");
    }
    if (!ctx.pipelineId().equals(p.pipelineId())) {
      return refuse(
          RejectionCode.INVALID,
          "proposal targets pipeline '"
              + p.pipelineId()
              + "', deciding '"
              + ctx.pipelineId()
              + "'");
    }
    ExpectedEffect e = p.expectedEffect();
    if (!Double.isFinite(e.throughputChange())
        || !Double.isFinite(e.latencyChange())
        || !Double.isFinite(e.netBenefit())
        || !Double.isFinite(e.predictedThroughput())
        || !Double.isFinite(e.predictedLatencyP99Ms())
        || !Double.isFinite(p.confidence())) {
      return refuse(RejectionCode.INVALID, "expected effect or confidence is not a finite number");
    }
    PipelineConfig target;
    try {
      target = p.action().targetConfig(ctx.current());
    } catch (IllegalArgumentException | NullPointerException ex) {
      return refuse(
          RejectionCode.INVALID, "action does not fit the running job: " + ex.getMessage());
    }
    if (target == null) {
      return refuse(RejectionCode.INVALID, "action names no target configuration");
    }
    List<String> errors = target.structuralErrors();
    if (!errors.isEmpty()) {
      return refuse(RejectionCode.INVALID, "target configuration is not runnable: " + errors);
    }
    if (p.action() instanceof Action.ConfigChange && target.equals(ctx.current())) {
      return refuse(RejectionCode.INVALID, "target configuration equals the running one");
    }
    return Optional.empty();
  }

  private Optional<Refusal> ranges(PipelineConfig t) {
    TestedRanges r = settings.ranges();
    for (Map.Entry<String, Integer> op : t.parallelism().entrySet()) {
      if (!r.parallelism().contains(op.getValue())) {
        return outOfRange("parallelism of " + op.getKey(), op.getValue(), r.parallelism());
      }
    }
    if (!r.networkBufferMb().contains(t.networkBufferMb())) {
      return outOfRange("network buffer MB", t.networkBufferMb(), r.networkBufferMb());
    }
    if (!r.checkpointIntervalSeconds().contains(t.checkpointIntervalSeconds())) {
      return outOfRange(
          "checkpoint interval s", t.checkpointIntervalSeconds(), r.checkpointIntervalSeconds());
    }
    if (!r.taskManagerMemoryGb().contains(t.taskManagerMemoryGb())) {
      return outOfRange("TaskManager memory GB", t.taskManagerMemoryGb(), r.taskManagerMemoryGb());
    }
    if (!r.taskManagerCpu().contains(t.taskManagerCpu())) {
      return outOfRange("TaskManager CPU", t.taskManagerCpu(), r.taskManagerCpu());
    }
    if (!r.taskManagers().contains(t.taskManagers())) {
      return outOfRange("TaskManager count", t.taskManagers(), r.taskManagers());
    }
    return Optional.empty();
  }

  private Optional<Refusal> capacity(PipelineConfig t) {
    ClusterCapacity c = settings.cluster();
    double frac = settings.maxCapacityFraction();
    double cores = t.taskManagers() * t.taskManagerCpu();
    double coreLimit = c.totalCores() * frac;
    if (cores > coreLimit) {
      return refuse(
          RejectionCode.CAPACITY,
          "requests "
              + Range.fmt(cores)
              + " cores, limit is "
              + pct(frac)
              + " of "
              + Range.fmt(c.totalCores())
              + " = "
              + Range.fmt(coreLimit));
    }
    double mem = t.taskManagers() * t.taskManagerMemoryGb();
    double memLimit = c.totalMemoryGb() * frac;
    if (mem > memLimit) {
      return refuse(
          RejectionCode.CAPACITY,
          "requests "
              + Range.fmt(mem)
              + " GB memory, limit is "
              + pct(frac)
              + " of "
              + Range.fmt(c.totalMemoryGb())
              + " GB = "
              + Range.fmt(memLimit));
    }
    return Optional.empty();
  }

  private static Optional<Refusal> outOfRange(String what, double value, Range range) {
    return refuse(
        RejectionCode.OUT_OF_TESTED_RANGE,
        what + " " + Range.fmt(value) + " is outside the tested range " + range);
  }

  /**
   * Whether a recovery action's predicted outcome keeps the SLA: predicted p99 within the bound,
   * and predicted throughput at least what the SLA requires of the current load.
   */
  private static boolean predictedWithinSla(ExpectedEffect e, Context ctx) {
    SlaSpec sla = ctx.sla();
    if (sla == null || !(e.predictedLatencyP99Ms() > 0) || !(e.predictedThroughput() > 0)) {
      return false;
    }
    return !sla.latencyViolated(e.predictedLatencyP99Ms())
        && !sla.throughputViolated(e.predictedThroughput(), ctx.offeredRate());
  }

  private static Optional<Refusal> refuse(RejectionCode code, String reason) {
    return Optional.of(new Refusal(code, reason));
  }

  static String pct(double fraction) {
    return String.format(java.util.Locale.ROOT, "%.1f %%", fraction * 100);
  }
}
