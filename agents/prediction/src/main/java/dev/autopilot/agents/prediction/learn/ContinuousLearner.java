package dev.autopilot.agents.prediction.learn;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Collects labelled ticks of one pipeline for retraining. Pure (event time only), not thread-safe:
 * one instance per entity, used on its message loop.
 *
 * <p>Labelling: a tick's feature vector waits {@code horizonTicks} ticks; its label is whether the
 * SLA was violated at any of the ticks {@code t+1 .. t+horizon} (the violated flags come from
 * {@link LiveLabeler}). A gap in the ticks (a missing or rejected snapshot) drops the vectors still
 * waiting, since their horizon is no longer fully observed.
 *
 * <p>Buffers: the most recent {@code validationTicks} labelled ticks form the validation window,
 * held out from training (every tick kept, so the window measures the model on the true class
 * balance). Older labelled ticks move to the training buffer, bounded to {@code bufferTicks} rows;
 * there every violated tick is kept and one in {@code negativeKeepEvery} quiet ticks (1 keeps all).
 * Down-sampling shifts the training class balance, which the trainer's threshold calibration on its
 * own validation rows (taken from the same buffer) and the promotion check on the untouched window
 * account for.
 *
 * <p>Retraining is due every {@code retrainIntervalTicks} ticks ({@code coldRetrainIntervalTicks}
 * while no model is in use; the first time as soon as the data suffices) when the training buffer
 * holds {@code minSamples} rows and both it and the full window hold at least {@code minPositives}
 * violated and one quiet row. Working memory: not journaled, it refills from telemetry after a
 * restart.
 */
public final class ContinuousLearner {

  /**
   * A labelled tick.
   *
   * @param tick the tick whose features these are
   * @param features the raw feature vector
   * @param violated whether the SLA was violated within the horizon after the tick
   * @param baselineAlarm the Holt baseline's binary forecast at the tick while no model is in use,
   *     null when none was given
   */
  public record Sample(long tick, float[] features, boolean violated, Boolean baselineAlarm) {

    /** A labelled tick without a baseline forecast. */
    public Sample(long tick, float[] features, boolean violated) {
      this(tick, features, violated, null);
    }
  }

  /**
   * What a training needs, copied out of the buffers (safe to hand to another thread).
   *
   * @param tick the tick the training was started at
   * @param trainFeatures training rows (oldest first)
   * @param trainLabels their labels
   * @param trainerValidationFeatures the most recent training-buffer rows, for the trainer's early
   *     stopping and threshold calibration
   * @param trainerValidationLabels their labels
   * @param windowFeatures the recent validation window, held out from both
   * @param windowLabels its labels
   * @param windowFirstTick first tick of the window
   * @param windowLastTick last tick of the window
   * @param windowBaselineAlarms the Holt baseline's forecasts on the window when every window tick
   *     has one (a cold start: the candidate competes with them), else null
   */
  public record TrainingSet(
      long tick,
      float[][] trainFeatures,
      boolean[] trainLabels,
      float[][] trainerValidationFeatures,
      boolean[] trainerValidationLabels,
      float[][] windowFeatures,
      boolean[] windowLabels,
      long windowFirstTick,
      long windowLastTick,
      boolean[] windowBaselineAlarms) {

    /** A training set without baseline forecasts. */
    public TrainingSet(
        long tick,
        float[][] trainFeatures,
        boolean[] trainLabels,
        float[][] trainerValidationFeatures,
        boolean[] trainerValidationLabels,
        float[][] windowFeatures,
        boolean[] windowLabels,
        long windowFirstTick,
        long windowLastTick) {
      this(
          tick,
          trainFeatures,
          trainLabels,
          trainerValidationFeatures,
          trainerValidationLabels,
          windowFeatures,
          windowLabels,
          windowFirstTick,
          windowLastTick,
          null);
    }

    /** Rows used to fit (training plus the trainer's validation). */
    public int samples() {
      return trainLabels.length + trainerValidationLabels.length;
    }

    /** Share of violated rows in the training rows. */
    public double trainPositiveRate() {
      int p = 0;
      for (boolean b : trainLabels) {
        p += b ? 1 : 0;
      }
      return trainLabels.length == 0 ? 0 : (double) p / trainLabels.length;
    }
  }

  private static final class Pending {
    final long tick;
    final float[] features;
    final Boolean baselineAlarm;
    boolean violated;

    Pending(long tick, float[] features, Boolean baselineAlarm) {
      this.tick = tick;
      this.features = features;
      this.baselineAlarm = baselineAlarm;
    }
  }

  private final LearningSettings settings;
  private final int horizonTicks;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final ArrayDeque<Sample> window = new ArrayDeque<>();
  private final ArrayDeque<Sample> training = new ArrayDeque<>();
  private int windowPositives;
  private int trainingPositives;
  private long negativesSeen;
  private long lastTick = Long.MIN_VALUE;
  private long lastTrainingTick = Long.MIN_VALUE;
  private long labelledTotal;

  /**
   * @param settings the learning settings
   * @param horizonTicks the forecast horizon (autopilot.prediction.horizon-ticks)
   */
  public ContinuousLearner(LearningSettings settings, int horizonTicks) {
    if (horizonTicks < 1) {
      throw new IllegalArgumentException("horizonTicks must be >= 1, got " + horizonTicks);
    }
    this.settings = settings;
    this.horizonTicks = horizonTicks;
  }

  /**
   * Takes in one tick: its violated flag labels the waiting vectors, vectors whose horizon is now
   * complete move to the buffers, and this tick's vector (when not null) starts waiting.
   *
   * @param tick the tick, after the last one taken in
   * @param features the tick's raw feature vector (copied), or null when there is none
   * @param violated whether the SLA was violated at this tick
   * @throws IllegalArgumentException for a tick not after the last one
   */
  public void observe(long tick, float[] features, boolean violated) {
    observe(tick, features, violated, null);
  }

  /**
   * As {@link #observe(long, float[], boolean)}, with the Holt baseline's binary forecast at this
   * tick (null when none): while no model is in use, a candidate is judged against these forecasts.
   */
  public void observe(long tick, float[] features, boolean violated, Boolean baselineAlarm) {
    if (lastTick != Long.MIN_VALUE && tick <= lastTick) {
      throw new IllegalArgumentException(
          "tick " + tick + " is not after the last observed tick " + lastTick);
    }
    if (lastTick != Long.MIN_VALUE && tick > lastTick + 1) {
      pending.clear();
    }
    lastTick = tick;
    for (Pending p : pending) {
      if (violated && tick > p.tick && tick <= p.tick + horizonTicks) {
        p.violated = true;
      }
    }
    while (!pending.isEmpty() && pending.peekFirst().tick + horizonTicks <= tick) {
      Pending p = pending.removeFirst();
      add(new Sample(p.tick, p.features, p.violated, p.baselineAlarm));
    }
    if (features != null) {
      pending.addLast(new Pending(tick, features.clone(), baselineAlarm));
    }
  }

  private void add(Sample s) {
    labelledTotal++;
    window.addLast(s);
    windowPositives += s.violated() ? 1 : 0;
    if (window.size() <= settings.validationTicks()) {
      return;
    }
    Sample old = window.removeFirst();
    windowPositives -= old.violated() ? 1 : 0;
    if (!old.violated() && negativesSeen++ % settings.negativeKeepEvery() != 0) {
      return;
    }
    training.addLast(old);
    trainingPositives += old.violated() ? 1 : 0;
    if (training.size() > settings.bufferTicks()) {
      Sample dropped = training.removeFirst();
      trainingPositives -= dropped.violated() ? 1 : 0;
    }
  }

  /** Ticks labelled since creation. */
  public long labelledTotal() {
    return labelledTotal;
  }

  /** Rows in the training buffer. */
  public int trainingSize() {
    return training.size();
  }

  /** Violated rows in the training buffer. */
  public int trainingPositives() {
    return trainingPositives;
  }

  /** Rows in the validation window. */
  public int windowSize() {
    return window.size();
  }

  /** Violated rows in the validation window. */
  public int windowPositives() {
    return windowPositives;
  }

  /** Vectors waiting for their label. */
  public int pendingSize() {
    return pending.size();
  }

  /** Tick the last training was started at, {@code Long.MIN_VALUE} when never. */
  public long lastTrainingTick() {
    return lastTrainingTick;
  }

  /** Whether a training is due at this tick (interval elapsed, enough rows of both classes). */
  public boolean retrainDue(long tick) {
    return whyNotDue(tick) == null;
  }

  /**
   * Whether a training is due at this tick; while no model is in use the interval is {@code
   * cold-retrain-interval-ticks}.
   */
  public boolean retrainDue(long tick, boolean modelInUse) {
    return whyNotDue(tick, modelInUse) == null;
  }

  /** Why no training is due at this tick, or null when one is. */
  public String whyNotDue(long tick) {
    return whyNotDue(tick, true);
  }

  /** Why no training is due at this tick (with or without a model in use), or null when one is. */
  public String whyNotDue(long tick, boolean modelInUse) {
    if (lastTrainingTick != Long.MIN_VALUE
        && tick - lastTrainingTick < settings.retrainIntervalTicks(modelInUse)) {
      return "last training at tick " + lastTrainingTick;
    }
    if (training.size() < settings.minSamples()) {
      return "training buffer holds " + training.size() + " of " + settings.minSamples() + " rows";
    }
    if (window.size() < settings.validationTicks()) {
      return "validation window holds " + window.size() + " of " + settings.validationTicks();
    }
    if (trainingPositives < settings.minPositives() || trainingPositives == training.size()) {
      return "training buffer holds " + trainingPositives + " violated of " + training.size();
    }
    if (windowPositives < settings.minPositives() || windowPositives == window.size()) {
      return "validation window holds " + windowPositives + " violated of " + window.size();
    }
    return null;
  }

  /**
   * Copies the rows of a training started at this tick and restarts the interval. The training rows
   * are split chronologically: the most recent {@code trainerValidationShare} go to the trainer's
   * own validation.
   */
  public TrainingSet startTraining(long tick) {
    lastTrainingTick = tick;
    List<Sample> rows = new ArrayList<>(training);
    int validation = Math.max(1, (int) Math.round(rows.size() * settings.trainerValidationShare()));
    int fit = rows.size() - validation;
    float[][] x = new float[fit][];
    boolean[] y = new boolean[fit];
    float[][] vx = new float[validation][];
    boolean[] vy = new boolean[validation];
    for (int i = 0; i < rows.size(); i++) {
      Sample s = rows.get(i);
      if (i < fit) {
        x[i] = s.features();
        y[i] = s.violated();
      } else {
        vx[i - fit] = s.features();
        vy[i - fit] = s.violated();
      }
    }
    float[][] wx = new float[window.size()][];
    boolean[] wy = new boolean[window.size()];
    boolean[] wb = new boolean[window.size()];
    boolean allBaseline = !window.isEmpty();
    Iterator<Sample> it = window.iterator();
    for (int i = 0; it.hasNext(); i++) {
      Sample s = it.next();
      wx[i] = s.features();
      wy[i] = s.violated();
      allBaseline &= s.baselineAlarm() != null;
      wb[i] = s.baselineAlarm() != null && s.baselineAlarm();
    }
    return new TrainingSet(
        tick,
        x,
        y,
        vx,
        vy,
        wx,
        wy,
        window.isEmpty() ? tick : window.peekFirst().tick(),
        window.isEmpty() ? tick : window.peekLast().tick(),
        allBaseline ? wb : null);
  }
}
