package dev.autopilot.agents.prediction.model;

import ai.djl.Model;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.FitReport;
import dev.autopilot.api.model.JavaForward;
import dev.autopilot.api.model.Nets;
import dev.autopilot.api.model.Standardizer;
import dev.autopilot.api.model.TrainOptions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trains the violation forecaster: an MLP (DJL, PyTorch engine) with hidden layers 256-128-64,
 * ReLU and dropout 0.3 after each, and one output logit; binary cross-entropy on the logit (DJL's
 * default {@code SigmoidBinaryCrossEntropyLoss}, DESIGN §8), Adam at the configured rate (1e-3),
 * at most {@link Options#epochs()} epochs with early stopping on the validation loss after {@link
 * Options#patience()} epochs without improvement, keeping the best epoch's weights.
 *
 * <p>The standardization is fitted on the training rows and persisted with the model. The decision
 * threshold is calibrated on the validation rows: the probability that maximises F1 among those
 * whose false-positive rate is at most {@link Options#maxFalsePositiveRate()} (1: no bound).
 * Class imbalance is not re-weighted in the loss: the loss stays a calibrated log-loss and the
 * threshold calibration moves the operating point instead. The returned model's metrics are its
 * validation metrics plus training facts (epochs, positive rate).
 *
 * <p>Blocking and CPU-heavy: call it off any actor's message loop. Trainings in one process are
 * serialised (PyTorch allows one gradient collector at a time).
 */
public final class MlpTrainer implements ViolationTrainer {

  /** Hidden layer widths. */
  public static final int[] HIDDEN = {256, 128, 64};

  /** Dropout rate after each hidden layer. */
  public static final float DROPOUT = 0.3f;

  /**
   * How the forecaster is trained.
   *
   * @param epochs most epochs (at least 1)
   * @param batchSize rows per gradient step (at least 1)
   * @param patience epochs without a better validation loss before stopping (at least 1)
   * @param learningRate Adam learning rate (positive)
   * @param maxFalsePositiveRate bound on the validation false-positive rate of the calibrated
   *     threshold, in (0, 1]; 1 for none
   */
  public record Options(
      int epochs, int batchSize, int patience, float learningRate, double maxFalsePositiveRate) {

    public Options {
      if (epochs < 1 || batchSize < 1 || patience < 1) {
        throw new IllegalArgumentException(
            "epochs, batch size and patience must be >= 1: " + epochs + ", " + batchSize + ", "
                + patience);
      }
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learning rate must be > 0: " + learningRate);
      }
      if (!(maxFalsePositiveRate > 0 && maxFalsePositiveRate <= 1)) {
        throw new IllegalArgumentException(
            "max false-positive rate must be in (0, 1]: " + maxFalsePositiveRate);
      }
    }

    /** 50 epochs, batch 256, patience 5, Adam 1e-3, threshold maximising F1 (no FPR bound). */
    public static Options defaults() {
      return new Options(50, 256, 5, 1e-3f, 1.0);
    }

    public Options withEpochs(int e) {
      return new Options(e, batchSize, patience, learningRate, maxFalsePositiveRate);
    }

    public Options withBatchSize(int b) {
      return new Options(epochs, b, patience, learningRate, maxFalsePositiveRate);
    }
  }

  private final String featureSchema;
  private final int inputs;
  private final Options options;
  private final FitProgress progress;
  private volatile FitReport lastReport;

  /**
   * @param featureSchema schema of the feature vectors (recorded with the model)
   * @param inputs width of every feature vector
   * @param progress receives one call per epoch
   */
  public MlpTrainer(String featureSchema, int inputs, Options options, FitProgress progress) {
    if (inputs < 1) {
      throw new IllegalArgumentException("inputs must be >= 1: " + inputs);
    }
    this.featureSchema = featureSchema;
    this.inputs = inputs;
    this.options = options;
    this.progress = progress;
  }

  /** A trainer for the vectors of a feature pipeline. */
  public static MlpTrainer forPipeline(FeaturePipeline p, Options options, FitProgress progress) {
    return new MlpTrainer(p.schema(), p.size(), options, progress);
  }

  /** The report of the last finished training, or null. */
  public FitReport lastReport() {
    return lastReport;
  }

  /** The network, without trained weights. */
  static SequentialBlock block() {
    SequentialBlock b = new SequentialBlock();
    for (int units : HIDDEN) {
      b.add(Linear.builder().setUnits(units).build())
          .add(LambdaBlock.singleton(Activation::relu, JavaForward.RELU))
          .add(Dropout.builder().optRate(DROPOUT).build());
    }
    b.add(Linear.builder().setUnits(1).build());
    return b;
  }

  @Override
  public MlpViolationModel train(
      float[][] features,
      boolean[] labels,
      float[][] validationFeatures,
      boolean[] validationLabels,
      int version,
      long seed) {
    Fitted f = fit(features, labels, validationFeatures, validationLabels, version, seed, false);
    return f.model();
  }

  /** A fit's model and, when kept, the DJL network it came from (the caller closes it). */
  record Fitted(MlpViolationModel model, FitReport report, Model network) {}

  Fitted fit(
      float[][] x,
      boolean[] y,
      float[][] xVal,
      boolean[] yVal,
      int version,
      long seed,
      boolean keepNetwork) {
    check(x, y, "training");
    check(xVal, yVal, "validation");
    Standardizer std = Standardizer.fit(x);
    float[][] zTrain = std.transform(x);
    float[][] zVal = std.transform(xVal);
    float[][] tTrain = targets(y);
    float[][] tVal = targets(yVal);
    TrainOptions o =
        new TrainOptions(
            options.epochs(), options.batchSize(), seed, 0.2, options.patience(),
            options.learningRate());
    Model model = Nets.newModel("violation-mlp", block());
    try {
      // Nets.fit serialises the process's trainings (PyTorch allows one at a time).
      FitReport report =
          Nets.fit(
              model,
              zTrain,
              tTrain,
              zVal,
              tVal,
              new long[] {inputs},
              o,
              progress,
              Nets.Objective.binaryCrossEntropyOnLogits());
      zTrain = null; // large: let it go before the validation pass
      JavaForward.DenseStack stack = JavaForward.DenseStack.of(model.getBlock());
      MlpViolationModel uncalibrated =
          new MlpViolationModel(version, featureSchema, 0.5, Map.of(), std, stack.layers());
      double[] p = uncalibrated.probabilities(xVal);
      double threshold = BinaryMetrics.bestF1Threshold(p, yVal, options.maxFalsePositiveRate());
      Map<String, Double> metrics = new LinkedHashMap<>();
      BinaryMetrics.summary(p, yVal, threshold)
          .forEach((k, v) -> metrics.put("validation." + k, v));
      metrics.put("trainSamples", (double) x.length);
      metrics.put("trainPositiveRate", positiveRate(y));
      metrics.put("epochsRun", (double) report.epochsRun());
      metrics.put("bestEpoch", (double) report.bestEpoch());
      metrics.put("validationLoss", report.validationLoss());
      MlpViolationModel trained =
          new MlpViolationModel(version, featureSchema, threshold, metrics, std, stack.layers());
      lastReport = report;
      if (keepNetwork) {
        return new Fitted(trained, report, model);
      }
      model.close();
      return new Fitted(trained, report, null);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private void check(float[][] x, boolean[] y, String what) {
    if (x == null || y == null || x.length == 0) {
      throw new IllegalArgumentException("no " + what + " rows");
    }
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          what + ": " + x.length + " rows but " + y.length + " labels");
    }
    boolean pos = false;
    boolean neg = false;
    for (int i = 0; i < x.length; i++) {
      if (x[i] == null || x[i].length != inputs) {
        throw new IllegalArgumentException(
            what + " row " + i + " has " + (x[i] == null ? 0 : x[i].length)
                + " features, expected " + inputs);
      }
      pos |= y[i];
      neg |= !y[i];
    }
    if (!pos || !neg) {
      throw new IllegalArgumentException(
          what + " rows are all " + (pos ? "positive" : "negative") + ": need both classes");
    }
  }

  private static float[][] targets(boolean[] y) {
    float[][] t = new float[y.length][1];
    for (int i = 0; i < y.length; i++) {
      t[i][0] = y[i] ? 1f : 0f;
    }
    return t;
  }

  static double positiveRate(boolean[] y) {
    long n = 0;
    for (boolean b : y) {
      if (b) {
        n++;
      }
    }
    return y.length == 0 ? 0 : n / (double) y.length;
  }
}
