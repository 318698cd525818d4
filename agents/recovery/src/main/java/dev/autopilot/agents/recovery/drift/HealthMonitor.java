package dev.autopilot.agents.recovery.drift;

import dev.autopilot.agents.recovery.policy.DetectorBank;
import dev.autopilot.agents.recovery.policy.HealthModel;
import dev.autopilot.agents.recovery.policy.Signal;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One pipeline's streaming change and drift detectors, fused each tick into the {@link
 * HealthIndex}. Pure and single-threaded: the recovery policy feeds it after updating its detector
 * bank.
 *
 * <ul>
 *   <li>infrastructure: {@code cusum-infra}, the highest CUSUM score of the bank's CPU, heap, GC,
 *       network, disk and node charts; {@code adwin-cpu}, ADWIN on the largest CPU load;
 *   <li>data: {@code cusum-data}, the highest CUSUM score of throughput, lag growth and
 *       backpressure; {@code adwin-throughput}, ADWIN on the source rate; {@code psi-input} and
 *       {@code kl-input}, the distribution of the source rate over the last {@code window} ticks
 *       against the {@code window} ticks before them (the reference moves on every {@code window}
 *       ticks, so a slow daily cycle is not a drift);
 *   <li>model: {@code adwin-ensemble}, ADWIN on the learned ensemble's score; {@code
 *       eddm-ensemble}, EDDM on its anomaly flags (a rising alarm rate is a model out of its
 *       training distribution). Without a learned ensemble the model subsystem gets no report.
 * </ul>
 */
public final class HealthMonitor implements HealthModel {

  /** Ticks of the current and of the reference window of KL / PSI. */
  public static final int WINDOW = 60;

  private static final Set<Signal> INFRA =
      EnumSet.of(
          Signal.CPU_LOAD,
          Signal.HEAP_USED_RATIO,
          Signal.GC_TIME_RATIO,
          Signal.NET_LATENCY,
          Signal.NET_RETRANSMITS,
          Signal.NET_CONNECTION_FAILURES,
          Signal.DISK_USED_RATIO,
          Signal.RUNNING_TASKMANAGERS,
          Signal.NODE_READY);
  private static final Set<Signal> DATA =
      EnumSet.of(Signal.THROUGHPUT, Signal.LAG_GROWTH, Signal.BACKPRESSURE);

  private final HealthSettings settings;
  private final double cusumH;
  private final HealthIndex index;
  private final Adwin cpu;
  private final Adwin throughput;
  private final Adwin ensembleScore;
  private final Eddm ensembleFlags;
  private final Deque<Double> rates = new ArrayDeque<>();
  private DistributionShift reference;
  private int sinceReference;
  private final Map<String, Double> last = new LinkedHashMap<>();

  /**
   * @param settings health settings
   * @param cusumH the detector bank's CUSUM decision threshold, in standard deviations
   */
  public HealthMonitor(HealthSettings settings, double cusumH) {
    this.settings = settings;
    this.cusumH = cusumH;
    this.index =
        new HealthIndex(settings)
            .register("cusum-infra", Subsystem.INFRASTRUCTURE)
            .register("adwin-cpu", Subsystem.INFRASTRUCTURE)
            .register("cusum-data", Subsystem.DATA)
            .register("adwin-throughput", Subsystem.DATA)
            .register("psi-input", Subsystem.DATA)
            .register("kl-input", Subsystem.DATA)
            .register("adwin-ensemble", Subsystem.MODEL)
            .register("eddm-ensemble", Subsystem.MODEL);
    this.cpu = settings.newAdwin();
    this.throughput = settings.newAdwin();
    this.ensembleScore = settings.newAdwin();
    this.ensembleFlags = settings.newEddm();
  }

  /**
   * Advances one tick.
   *
   * @param bank the detector bank, already updated with this tick
   * @param ensembleScore the learned ensemble's fused score, or NaN without one
   * @param ensembleAnomaly the learned ensemble's verdict (ignored without one)
   */
  @Override
  public void update(DetectorBank bank, double ensembleScore, boolean ensembleAnomaly) {
    Map<String, Double> scores = new LinkedHashMap<>();
    if (bank.warmedUp()) {
      scores.put("cusum-infra", cusumMax(bank, INFRA));
      scores.put("cusum-data", cusumMax(bank, DATA));
    }
    cpu.update(bank.value(Signal.CPU_LOAD));
    scores.put("adwin-cpu", cpu.score());
    double rate = bank.value(Signal.THROUGHPUT);
    throughput.update(rate);
    scores.put("adwin-throughput", throughput.score());
    driftOfInput(rate, scores);
    if (!Double.isNaN(ensembleScore)) {
      this.ensembleScore.update(ensembleScore);
      ensembleFlags.update(ensembleAnomaly);
      scores.put("adwin-ensemble", this.ensembleScore.score());
      scores.put("eddm-ensemble", ensembleFlags.score());
    }
    for (Map.Entry<String, Double> e : scores.entrySet()) {
      double v = e.getValue();
      e.setValue(Double.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0);
    }
    last.clear();
    last.putAll(scores);
    index.update(scores);
  }

  private void driftOfInput(double rate, Map<String, Double> scores) {
    if (!Double.isFinite(rate)) {
      return;
    }
    rates.addLast(rate);
    if (rates.size() > 2 * WINDOW) {
      rates.removeFirst();
    }
    if (rates.size() < 2 * WINDOW) {
      return;
    }
    double[] all = rates.stream().mapToDouble(Double::doubleValue).toArray();
    double[] current = java.util.Arrays.copyOfRange(all, WINDOW, 2 * WINDOW);
    if (reference == null || ++sinceReference >= WINDOW) {
      reference = settings.shiftFrom(java.util.Arrays.copyOfRange(all, 0, WINDOW));
      sinceReference = 0;
    }
    scores.put("psi-input", DistributionShift.psiScore(reference.psi(current), settings.psiSignificant()));
    scores.put("kl-input", DistributionShift.klScore(reference.kl(current)));
  }

  private double cusumMax(DetectorBank bank, Set<Signal> signals) {
    double max = 0;
    for (Signal s : signals) {
      max = Math.max(max, CusumScore.read(bank.cusum(s), cusumH, bank.alarmedWithin(s, 1)));
    }
    return max;
  }

  /** The indices: {@code global}, {@code infrastructure}, {@code data}, {@code model}. */
  @Override
  public Map<String, Double> indices() {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("global", index.global());
    for (Subsystem s : Subsystem.values()) {
      out.put(s.name().toLowerCase(java.util.Locale.ROOT), index.index(s));
    }
    return out;
  }

  /** The detector scores of the last tick. */
  public Map<String, Double> lastScores() {
    return Map.copyOf(last);
  }

  public HealthIndex index() {
    return index;
  }
}
