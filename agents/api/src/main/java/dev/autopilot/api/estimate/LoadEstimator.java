package dev.autopilot.api.estimate;

import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.OperatorMetrics;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Demand and capacity of a pipeline, estimated tick by tick from telemetry alone.
 *
 * <ul>
 *   <li><b>Demand</b> (offered load, events/s): the source's {@code recordsInPerSecond} plus the
 *       change of the consumer lag over the tick, {@code Δlag / tickSeconds}, by conservation of
 *       records at the source (lag grows by what arrives and is not taken, and shrinks while a
 *       backlog drains faster than it arrives). The tick length comes from the event-time
 *       difference of consecutive snapshots.
 *   <li><b>Capacity</b> (source-equivalent events/s): per operator the DS2 true processing rate
 *       {@code recordsIn / busyRatio} (Kalavri et al., OSDI'18), divided by the operator's input
 *       ratio ({@code recordsIn / source recordsIn}); the pipeline's capacity is the minimum over
 *       operators (the bottleneck).
 * </ul>
 *
 * <p>Idle operators (busy ratio under {@code minBusyRatio}), operators without input and ticks
 * where the job is not running give no measurement: the operator keeps its last good per-subtask
 * rate and input ratio. The per-subtask rate is kept rather than the total because it survives a
 * rescale (the DS2 linearity assumption). Not thread-safe; one instance per actor.

 */
public final class LoadEstimator {

  private final double minBusyRatio;
  private final Map<String, Double> lastRatePerSubtask = new HashMap<>();
  private final Map<String, Double> lastInputRatio = new HashMap<>();
  private long lastTick = Long.MIN_VALUE;
  private long lastEventTimeMillis;
  private double lastConsumerLag;

  /**
   * @param minBusyRatio busy share (0-1) under which an operator counts as idle and its rate is not
   *     measured
   */
  public LoadEstimator(double minBusyRatio) {
    this.minBusyRatio = minBusyRatio;
  }

  /**
   * One operator's rate figures.
   *
   * @param operatorId the operator
   * @param parallelism its current parallelism
   * @param recordsInPerSecond observed input rate
   * @param busyRatio observed busy share, 0-1
   * @param ratePerSubtask true processing rate per subtask, records/s (0 when never measured)
   * @param inputRatio its input rate over the source's input rate (0 when never measured)
   * @param measured whether the rate was measured this tick (false: carried or unknown)
   */
  public record OperatorRate(
      String operatorId,
      int parallelism,
      double recordsInPerSecond,
      double busyRatio,
      double ratePerSubtask,
      double inputRatio,
      boolean measured) {

    /** Whether a rate and an input ratio are known (measured now or carried). */
    public boolean known() {
      return ratePerSubtask > 0 && inputRatio > 0;
    }

    /** True processing rate of all subtasks at a given parallelism, records/s. */
    public double trueRate(int atParallelism) {
      return ratePerSubtask * atParallelism;
    }

    /** Capacity in source-equivalent events/s at a given parallelism; 0 when not known. */
    public double sourceEquivalentCapacity(int atParallelism) {
      return known() ? trueRate(atParallelism) / inputRatio : 0;
    }
  }

  /**
   * The estimate of one tick.
   *
   * @param tick the snapshot's tick
   * @param tickSeconds event time since the previous snapshot, seconds (0 on the first)
   * @param demand estimated offered load, events/s
   * @param demandUsable whether {@code demand} is a measurement (false on a first snapshot of a job
   *     that is not running)
   * @param consumerLag records waiting at the sources
   * @param capacity pipeline capacity, source-equivalent events/s (0 when no operator is known)
   * @param bottleneck operator that bounds the capacity (null when unknown)
   * @param operators per-operator figures, in job-graph order
   */
  public record Estimate(
      long tick,
      double tickSeconds,
      double demand,
      boolean demandUsable,
      double consumerLag,
      double capacity,
      String bottleneck,
      List<OperatorRate> operators) {

    public Estimate {
      operators = List.copyOf(operators);
    }

    public boolean capacityKnown() {
      return capacity > 0;
    }
  }

  /** Tick of the last snapshot taken in, or {@code Long.MIN_VALUE}. */
  public long lastTick() {
    return lastTick;
  }

  /**
   * Takes in one validated snapshot. Its tick must be after the last one taken in.
   *
   * @throws IllegalArgumentException for a tick not after the last one
   */
  public Estimate update(TelemetrySnapshot s) {
    if (s.tick() <= lastTick) {
      throw new IllegalArgumentException(
          "tick " + s.tick() + " is not after the last estimated tick " + lastTick);
    }
    boolean first = lastTick == Long.MIN_VALUE;
    boolean running = s.job().state() == JobMetrics.JobState.RUNNING;
    double tickSeconds =
        first ? 0 : Math.max(0, (s.eventTimeMillis() - lastEventTimeMillis) / 1000.0);
    double lag = s.job().consumerLag();
    double sourceIn = s.source().recordsInPerSecond();
    double lagGrowth = tickSeconds > 0 ? (lag - lastConsumerLag) / tickSeconds : 0;
    double demand = Math.max(0, sourceIn + lagGrowth);
    boolean demandUsable = tickSeconds > 0 || running;

    List<OperatorRate> rates = new ArrayList<>();
    double capacity = Double.POSITIVE_INFINITY;
    String bottleneck = null;
    for (OperatorMetrics op : s.operators()) {
      double busy = op.busyRatio();
      boolean measured =
          running && busy >= minBusyRatio && op.recordsInPerSecond() > 0 && sourceIn > 0;
      if (measured) {
        lastRatePerSubtask.put(op.operatorId(), op.trueProcessingRate() / op.parallelism());
        lastInputRatio.put(op.operatorId(), op.recordsInPerSecond() / sourceIn);
      }
      OperatorRate rate =
          new OperatorRate(
              op.operatorId(),
              op.parallelism(),
              op.recordsInPerSecond(),
              busy,
              lastRatePerSubtask.getOrDefault(op.operatorId(), 0.0),
              lastInputRatio.getOrDefault(op.operatorId(), 0.0),
              measured);
      rates.add(rate);
      if (rate.known()) {
        double c = rate.sourceEquivalentCapacity(op.parallelism());
        if (c < capacity) {
          capacity = c;
          bottleneck = op.operatorId();
        }
      }
    }
    lastTick = s.tick();
    lastEventTimeMillis = s.eventTimeMillis();
    lastConsumerLag = lag;
    return new Estimate(
        s.tick(),
        tickSeconds,
        demand,
        demandUsable,
        lag,
        bottleneck == null ? 0 : capacity,
        bottleneck,
        rates);
  }
}
