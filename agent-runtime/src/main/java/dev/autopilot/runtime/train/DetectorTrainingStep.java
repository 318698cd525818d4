package dev.autopilot.runtime.train;

import com.typesafe.config.Config;
import dev.autopilot.agents.recovery.detect.AutoencoderDetector;
import dev.autopilot.agents.recovery.detect.DetectorEnsemble;
import dev.autopilot.agents.recovery.detect.DetectorModels;
import dev.autopilot.agents.recovery.detect.EnsembleSettings;
import dev.autopilot.agents.recovery.detect.EnsembleVerdict;
import dev.autopilot.agents.recovery.detect.IsolationForestDetector;
import dev.autopilot.agents.recovery.detect.SnapshotFeatures;
import dev.autopilot.api.model.FitReport;
import dev.autopilot.agents.recovery.detect.nn.LstmForecaster;
import dev.autopilot.api.model.TrainOptions;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ProgressBar;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Trains the learned anomaly detectors of the recovery agent (isolation forest, autoencoder, LSTM
 * forecaster) on simulator telemetry and writes them as the bundle components {@code iforest},
 * {@code autoencoder} and {@code lstm}.
 *
 * <p>Data ({@link DetectorData}): one simulated day per episode with configuration changes and
 * surges, one fault per episode repaired as in the loop, labels from the simulator's ground truth;
 * "normal" rows are the settled-normal ticks (no fault now or in the last {@value
 * DetectorData#RESOLUTION_GRACE_TICKS} ticks), before the fault and after its repair. Three disjoint seed streams derive from the base seed: training
 * episodes (7 per week), calibration episodes and validation episodes. The autoencoder learns from
 * normal training ticks only, the isolation forest from all training ticks (mostly normal; its
 * threshold is the 95 % quantile of its training scores), the LSTM from the normal stretches of the
 * training episodes. The autoencoder's threshold is calibrated as the 99 % quantile of its error on
 * the normal ticks of the calibration episodes. Precision, recall and F1 of every detector and of
 * the ensemble are measured tick by tick on the validation episodes, which no model saw.
 */
public final class DetectorTrainingStep implements TrainingStep {

  /** Quantile of normal calibration error used as the autoencoder threshold. */
  static final double AE_CALIBRATION_QUANTILE = 0.99;

  /** Ticks at the start of every episode left out of training and scoring (start-up). */
  static final int WARMUP_TICKS = 90;

  /**
   * How much data and training one run gets.
   *
   * @param trainEpisodes simulated days for training
   * @param calibrationEpisodes days for threshold calibration
   * @param validationEpisodes days for validation metrics
   * @param faultTicks ticks simulated after each fault's injection
   * @param aeMaxRows most normal rows the autoencoder trains on (random subsample)
   * @param aeEpochs most autoencoder epochs
   * @param iforestMaxRows most rows the isolation forest is fitted and thresholded on
   * @param lstmMaxWindows most training windows of the forecaster (sets the stride)
   * @param lstmEpochs most forecaster epochs
   */
  record Budget(
      int trainEpisodes,
      int calibrationEpisodes,
      int validationEpisodes,
      int faultTicks,
      int aeMaxRows,
      int aeEpochs,
      int iforestMaxRows,
      int lstmMaxWindows,
      int lstmEpochs) {

    static Budget forWeeks(int weeks) {
      int days = 7 * weeks;
      return new Budget(
          days, Math.max(2, days / 4), Math.max(3, days / 4), 360, 40_000, 60, 50_000, 8_000, 20);
    }
  }

  private final Function<Integer, Budget> budget;
  private final Config config;

  public DetectorTrainingStep() {
    this(Budget::forWeeks, null);
  }

  DetectorTrainingStep(Function<Integer, Budget> budget, Config config) {
    this.budget = budget;
    this.config = config;
  }

  @Override
  public String name() {
    return "detectors";
  }

  /** The fitted models and what the fits reported. */
  record Trained(
      DetectorModels models,
      Map<String, Object> iforestMetrics,
      Map<String, Object> autoencoderMetrics,
      Map<String, Object> lstmMetrics,
      Map<String, Object> training) {}

  @Override
  public Map<String, Object> train(TrainingContext ctx) throws Exception {
    Config c = config != null ? config : RuntimeConfig.load();
    SimSettings sim = SimSettings.create(c);
    EnsembleSettings ensemble = EnsembleSettings.create(c);
    Budget b = budget.apply(ctx.weeks());
    SplittableRandom seeds = new SplittableRandom(ctx.seed());
    long trainSeed = seeds.nextLong();
    long calibrationSeed = seeds.nextLong();
    long validationSeed = seeds.nextLong();

    Trained t = fit(sim, b, trainSeed, calibrationSeed, ctx.seed(), ctx::progress);
    try (DetectorModels models = t.models()) {
      ProgressListener p = ctx.progress("detectors: validate");
      List<DetectorData.Episode> val =
          DetectorData.episodes(sim, validationSeed, b.validationEpisodes(), b.faultTicks(), p);
      Evaluation ev = evaluate(models, ensemble, val, p);
      finish(p);
      t.iforestMetrics().putAll(ev.detector(IsolationForestDetector.NAME));
      t.autoencoderMetrics().putAll(ev.detector(AutoencoderDetector.NAME));
      t.lstmMetrics().putAll(ev.detector(DetectorModels.LSTM));
      models.put(ctx.bundle(), t.iforestMetrics(), t.autoencoderMetrics(), t.lstmMetrics());
      Map<String, Object> training = new LinkedHashMap<>(t.training());
      training.put("validationSeed", validationSeed);
      training.put("validationEpisodes", val.size());
      training.put("validationTicks", ev.ticks);
      training.put("ensemble", ev.ensembleMetrics());
      training.put("ensembleRuleSweepF1", ev.ruleSweep());
      training.put("ensembleSettings", ensemble.toString());
      ctx.bundle().training("detectors", training);

      Map<String, Object> headline = new LinkedHashMap<>();
      headline.put("ensemble", ev.ensembleMetrics());
      headline.put("iforestF1", ev.detector(IsolationForestDetector.NAME).get("f1"));
      headline.put("autoencoderF1", ev.detector(AutoencoderDetector.NAME).get("f1"));
      headline.put("lstmF1", ev.detector(DetectorModels.LSTM).get("f1"));
      headline.put("aeThreshold", t.autoencoderMetrics().get("calibratedThreshold"));
      headline.put("iforestThreshold", t.iforestMetrics().get("threshold"));
      headline.put("trainTicks", t.training().get("trainTicks"));
      headline.put("validationTicks", ev.ticks);
      return headline;
    }
  }

  /** Generates training and calibration data and fits the three models. */
  static Trained fit(
      SimSettings sim,
      Budget b,
      long trainSeed,
      long calibrationSeed,
      long fitSeed,
      Function<String, ProgressListener> progress) {
    ProgressListener p = progress.apply("detectors: simulate training days");
    List<DetectorData.Episode> train =
        DetectorData.episodes(sim, trainSeed, b.trainEpisodes(), b.faultTicks(), p);
    finish(p);
    p = progress.apply("detectors: simulate calibration days");
    List<DetectorData.Episode> cal =
        DetectorData.episodes(sim, calibrationSeed, b.calibrationEpisodes(), b.faultTicks(), p);
    finish(p);

    List<float[]> normal = new ArrayList<>();
    List<float[]> all = new ArrayList<>();
    List<float[][]> sequences = new ArrayList<>();
    int faultyTrain = 0;
    for (DetectorData.Episode e : train) {
      boolean[] settled = e.settledNormal();
      for (int t = WARMUP_TICKS; t < e.length(); t++) {
        all.add(e.features()[t]);
        if (e.faulty()[t]) {
          faultyTrain++;
        } else if (settled[t]) {
          normal.add(e.features()[t]);
        }
      }
      // every settled-normal stretch long enough for a window and its horizon (the one before the
      // fault and the one after its repair)
      int start = -1;
      for (int t = WARMUP_TICKS; t <= e.length(); t++) {
        boolean ok = t < e.length() && settled[t];
        if (ok && start < 0) {
          start = t;
        } else if (!ok && start >= 0) {
          if (t - start >= LstmForecaster.WINDOW + LstmForecaster.HORIZON + 10) {
            float[][] seq = new float[t - start][];
            for (int u = start; u < t; u++) {
              seq[u - start] = SnapshotFeatures.select(e.features()[u], SnapshotFeatures.LSTM);
            }
            sequences.add(seq);
          }
          start = -1;
        }
      }
    }
    List<float[]> calNormal = new ArrayList<>();
    for (DetectorData.Episode e : cal) {
      boolean[] settled = e.settledNormal();
      for (int t = WARMUP_TICKS; t < e.length(); t++) {
        if (settled[t]) {
          calNormal.add(e.features()[t]);
        }
      }
    }
    SplittableRandom rnd = new SplittableRandom(fitSeed ^ 0x9E3779B97F4A7C15L);

    // Isolation forest on (mostly normal) training ticks.
    p = progress.apply("detectors: iforest");
    IsolationForestDetector.Params ifp = IsolationForestDetector.Params.defaults();
    float[][] ifRows = sample(all, b.iforestMaxRows(), rnd);
    p.onProgress(0, 1);
    IsolationForestDetector iforest = IsolationForestDetector.fit(ifRows, ifp, fitSeed);
    p.onProgress(1, 1);
    finish(p);
    Map<String, Object> ifm = new LinkedHashMap<>();
    ifm.put("smileVersion", IsolationForestDetector.smileVersion());
    ifm.put(
        "features",
        List.of(
            SnapshotFeatures.NAMES.get(SnapshotFeatures.IFOREST[0]),
            SnapshotFeatures.NAMES.get(SnapshotFeatures.IFOREST[1]),
            SnapshotFeatures.NAMES.get(SnapshotFeatures.IFOREST[2]),
            SnapshotFeatures.NAMES.get(SnapshotFeatures.IFOREST[3]),
            SnapshotFeatures.NAMES.get(SnapshotFeatures.IFOREST[4])));
    ifm.put("trees", ifp.trees());
    ifm.put("subsample", ifp.subsample());
    ifm.put("maxDepth", ifp.maxDepth());
    ifm.put("contamination", ifp.contamination());
    ifm.put("threshold", round(iforest.threshold()));
    ifm.put("trainRows", ifRows.length);

    // Autoencoder on normal ticks only, threshold calibrated on other seeds' normal ticks.
    p = progress.apply("detectors: autoencoder");
    float[][] aeRows = sample(normal, b.aeMaxRows(), rnd);
    ProgressListener aeBar = p;
    AutoencoderDetector ae =
        AutoencoderDetector.fit(
            aeRows,
            new TrainOptions(b.aeEpochs(), 256, fitSeed, 0.2, 5, 1e-3f),
            (epoch, epochs, tl, vl) -> aeBar.onProgress(epoch, epochs));
    finish(p);
    double calibrated = ae.calibrate(calNormal.toArray(new float[0][]), AE_CALIBRATION_QUANTILE);
    FitReport aer = ae.autoencoder().report();
    Map<String, Object> aem = new LinkedHashMap<>();
    aem.put("calibratedThreshold", round(calibrated));
    aem.put("defaultThreshold", AutoencoderDetector.DEFAULT_THRESHOLD);
    aem.put("calibrationQuantile", AE_CALIBRATION_QUANTILE);
    aem.put("calibrationRows", calNormal.size());
    aem.put("hidden", "128-64-32-64-128");
    aem.put("trainRows", aer.trainSamples());
    aem.put("heldOutRows", aer.validationSamples());
    aem.put("epochsRun", aer.epochsRun());
    aem.put("bestEpoch", aer.bestEpoch());
    aem.put("validationMse", round(aer.validationLoss()));

    // LSTM forecaster on the normal stretches.
    p = progress.apply("detectors: lstm");
    long windows = 0;
    for (float[][] s : sequences) {
      windows += Math.max(0, s.length - LstmForecaster.WINDOW - LstmForecaster.HORIZON + 1);
    }
    int stride = (int) Math.max(1, (windows + b.lstmMaxWindows() - 1) / b.lstmMaxWindows());
    ProgressListener lstmBar = p;
    LstmForecaster lstm =
        LstmForecaster.fit(
            sequences,
            stride,
            new TrainOptions(b.lstmEpochs(), 64, fitSeed, 0.2, 4, 2e-3f),
            (epoch, epochs, tl, vl) -> lstmBar.onProgress(epoch, epochs));
    finish(p);
    FitReport lr = lstm.report();
    Map<String, Object> lm = new LinkedHashMap<>();
    Map<String, Object> sigma = new LinkedHashMap<>();
    for (int m = 0; m < lstm.metrics(); m++) {
      sigma.put(SnapshotFeatures.NAMES.get(SnapshotFeatures.LSTM[m]), round(lstm.sigma(m)));
    }
    lm.put("window", LstmForecaster.WINDOW);
    lm.put("horizon", LstmForecaster.HORIZON);
    lm.put("layers", "LSTM64-LSTM32-dense");
    lm.put("sequences", sequences.size());
    lm.put("stride", stride);
    lm.put("trainWindows", lr.trainSamples());
    lm.put("heldOutWindows", lr.validationSamples());
    lm.put("epochsRun", lr.epochsRun());
    lm.put("bestEpoch", lr.bestEpoch());
    lm.put("validationMse", round(lr.validationLoss()));
    lm.put("residualSigma", sigma);

    Map<String, Object> training = new LinkedHashMap<>();
    training.put("featureSchema", SnapshotFeatures.SCHEMA);
    training.put("trainSeed", trainSeed);
    training.put("calibrationSeed", calibrationSeed);
    training.put("trainEpisodes", train.size());
    training.put("calibrationEpisodes", cal.size());
    training.put("trainTicks", all.size());
    training.put("trainFaultyTicks", faultyTrain);
    training.put("trainNormalTicks", normal.size());
    training.put("warmupTicks", WARMUP_TICKS);
    training.put("iforestContamination", ifp.contamination());
    training.put("faultTicks", b.faultTicks());
    return new Trained(new DetectorModels(iforest, ae, lstm), ifm, aem, lm, training);
  }

  /** Tick-level confusion counts. */
  static final class Confusion {
    long tp;
    long fp;
    long fn;
    long tn;

    void add(boolean predicted, boolean actual) {
      if (predicted) {
        if (actual) {
          tp++;
        } else {
          fp++;
        }
      } else if (actual) {
        fn++;
      } else {
        tn++;
      }
    }

    double precision() {
      return tp + fp == 0 ? 0 : tp / (double) (tp + fp);
    }

    double recall() {
      return tp + fn == 0 ? 0 : tp / (double) (tp + fn);
    }

    double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    Map<String, Object> metrics() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("precision", round(precision()));
      m.put("recall", round(recall()));
      m.put("f1", round(f1()));
      m.put("falsePositiveRate", round(fp + tn == 0 ? 0 : fp / (double) (fp + tn)));
      m.put("tp", tp);
      m.put("fp", fp);
      m.put("fn", fn);
      m.put("tn", tn);
      return m;
    }
  }

  /** Validation results. */
  static final class Evaluation {
    final Map<String, Confusion> detectors = new LinkedHashMap<>();
    final Confusion ensemble = new Confusion();
    long ticks;
    int faults;
    int faultsDetected;
    long delaySum;

    /** Per scored tick: votes, weighted score, label; for the rule sweep. */
    final List<int[]> voteCounts = new ArrayList<>();

    final List<double[]> weighted = new ArrayList<>();

    /**
     * Tick-level F1 of other voting rules on the same votes (min votes 1-3 × score threshold
     * 0.5-0.8), to show how far the configured rule is from the alternatives.
     */
    Map<String, Object> ruleSweep() {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int minVotes = 1; minVotes <= 3; minVotes++) {
        for (double thr : new double[] {0.5, 0.6, 0.7, 0.8}) {
          Confusion c = new Confusion();
          for (int i = 0; i < voteCounts.size(); i++) {
            boolean label = voteCounts.get(i)[1] == 1;
            c.add(voteCounts.get(i)[0] >= minVotes && weighted.get(i)[0] > thr, label);
          }
          out.put("votes>=" + minVotes + ",score>" + thr, round(c.f1()));
        }
      }
      return out;
    }

    Map<String, Object> detector(String name) {
      return detectors.get(name).metrics();
    }

    Map<String, Object> ensembleMetrics() {
      Map<String, Object> m = ensemble.metrics();
      m.put("faults", faults);
      m.put("faultsDetected", faultsDetected);
      m.put(
          "meanDetectionDelayTicks",
          faultsDetected == 0 ? null : round(delaySum / (double) faultsDetected));
      return m;
    }
  }

  /** Runs a fresh ensemble over each episode and scores every tick after the warm-up. */
  static Evaluation evaluate(
      DetectorModels models,
      EnsembleSettings settings,
      List<DetectorData.Episode> episodes,
      ProgressListener progress) {
    Evaluation ev = new Evaluation();
    for (String d :
        List.of(IsolationForestDetector.NAME, AutoencoderDetector.NAME, DetectorModels.LSTM)) {
      ev.detectors.put(d, new Confusion());
    }
    int done = 0;
    for (DetectorData.Episode e : episodes) {
      DetectorEnsemble ens = models.newEnsemble(settings);
      int firstFaulty = e.normalPrefix();
      boolean hasFault = firstFaulty < e.length();
      long detectedAt = -1;
      for (int t = 0; t < e.length(); t++) {
        EnsembleVerdict v = ens.evaluate(t, e.features()[t]);
        if (t < WARMUP_TICKS) {
          continue;
        }
        boolean label = e.faulty()[t];
        ev.ticks++;
        ev.ensemble.add(v.anomaly(), label);
        ev.voteCounts.add(new int[] {v.voteCount(), label ? 1 : 0});
        ev.weighted.add(new double[] {v.weightedScore()});
        for (var vote : v.votes()) {
          ev.detectors.get(vote.detector()).add(vote.vote(), label);
        }
        if (hasFault && detectedAt < 0 && t >= firstFaulty && v.anomaly()) {
          detectedAt = t;
        }
      }
      if (hasFault) {
        ev.faults++;
        if (detectedAt >= 0) {
          ev.faultsDetected++;
          ev.delaySum += detectedAt - firstFaulty;
        }
      }
      progress.onProgress(++done, episodes.size());
    }
    return ev;
  }

  private static float[][] sample(List<float[]> rows, int max, SplittableRandom rnd) {
    if (rows.size() <= max) {
      return rows.toArray(new float[0][]);
    }
    // partial Fisher-Yates on a copy
    List<float[]> copy = new ArrayList<>(rows);
    float[][] out = new float[max][];
    for (int i = 0; i < max; i++) {
      int j = i + rnd.nextInt(copy.size() - i);
      float[] tmp = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, tmp);
      out[i] = copy.get(i);
    }
    return out;
  }

  static double round(double v) {
    return Math.round(v * 1e5) / 1e5;
  }

  static void finish(ProgressListener p) {
    if (p instanceof ProgressBar bar) {
      bar.finish();
    }
  }
}
