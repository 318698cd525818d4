package dev.autopilot.api.model;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;

/**
 * The shared DJL plumbing: engine set-up, a mini-batch training loop with early stopping,
 * inference.
 */
public final class Nets {

  /** Held by every fit: one training at a time per process (see {@link #fit}). */
  private static final Object FIT_LOCK = new Object();

  private Nets() {}

  /**
   * Runs a training step that is not a {@link #fit} (for example a PPO update with its own loss)
   * under the same process-wide lock as every fit: PyTorch allows one gradient collector at a time
   * per process.
   */
  public static <T> T exclusive(java.util.function.Supplier<T> training) {
    synchronized (FIT_LOCK) {
      return training.get();
    }
  }

  /** Configures the offline runtime and returns a fresh CPU model holding {@code block}. */
  public static Model newModel(String name, Block block) {
    ModelRuntime.configureOffline();
    Model model = Model.newInstance(name, "PyTorch");
    model.setBlock(block);
    return model;
  }

  /**
   * Two stacked LSTM layers (batch first, no state returned), the last step's output through a
   * dense head: the layout {@link JavaForward.LstmStack} runs in plain Java.
   */
  public static SequentialBlock lstmStack(int firstUnits, int secondUnits, int outputs) {
    return new SequentialBlock()
        .add(
            LSTM.builder()
                .setStateSize(firstUnits)
                .setNumLayers(1)
                .optBatchFirst(true)
                .optReturnState(false)
                .build())
        .add(
            LSTM.builder()
                .setStateSize(secondUnits)
                .setNumLayers(1)
                .optBatchFirst(true)
                .optReturnState(false)
                .build())
        .add(LambdaBlock.singleton(a -> a.get(":, -1, :"), "lastStep"))
        .add(Linear.builder().setUnits(outputs).build());
  }

  /** Seeds the engine's generator (initial weights, dropout). */
  public static void seed(long seed) {
    ModelRuntime.configureOffline();
    Engine.getEngine("PyTorch").setRandomSeed((int) (seed ^ (seed >>> 32)));
  }

  /**
   * What a fit minimises: the training loss and the validation loss computed on the network's
   * outputs for the held-out rows (in the same units, so the progress figures compare).
   *
   * @param loss the DJL training loss
   * @param trainScale factor from the DJL loss to the reported training loss (2 for {@code
   *     l2Loss}, which is half the squared error)
   * @param validation validation loss from (outputs, targets) of the held-out rows
   */
  public record Objective(
      Loss loss, double trainScale, ToDoubleBiFunction<float[][], float[][]> validation) {

    /** Mean squared error (regression, autoencoders, forecasters). */
    public static Objective meanSquaredError() {
      return new Objective(Loss.l2Loss(), 2, Nets::mse);
    }

    /**
     * Binary cross-entropy on logits: the network outputs a logit (no sigmoid block) and targets
     * are 0 or 1. The default {@code SigmoidBinaryCrossEntropyLoss} applies the sigmoid itself
     * (DESIGN §8: its fromSigmoid=true variant has the wrong sign).
     */
    public static Objective binaryCrossEntropyOnLogits() {
      return new Objective(new SigmoidBinaryCrossEntropyLoss(), 1, Nets::logitCrossEntropy);
    }
  }

  /**
   * Fits {@code model} on (x, y) with MSE loss and Adam, holding out {@code validation} rows, and
   * keeps the weights of the epoch with the lowest validation error.
   *
   * @param xShape shape of one input row (the flat row is reshaped to it)
   */
  public static FitReport fit(
      Model model,
      float[][] xTrain,
      float[][] yTrain,
      float[][] xVal,
      float[][] yVal,
      long[] xShape,
      TrainOptions o,
      FitProgress progress) {
    return fit(
        model, xTrain, yTrain, xVal, yVal, xShape, o, progress, Objective.meanSquaredError());
  }

  /**
   * Fits {@code model} on (x, y) with the objective's loss and Adam, evaluating the objective's
   * validation loss on the held-out rows after every epoch; stops after {@code o.patience()}
   * epochs without improvement and keeps the weights of the best epoch.
   *
   * @param xShape shape of one input row (the flat row is reshaped to it)
   */
  public static FitReport fit(
      Model model,
      float[][] xTrain,
      float[][] yTrain,
      float[][] xVal,
      float[][] yVal,
      long[] xShape,
      TrainOptions o,
      FitProgress progress,
      Objective objective) {
    if (xTrain.length == 0 || xVal.length == 0) {
      throw new IllegalArgumentException(
          "need training and validation rows, got " + xTrain.length + " and " + xVal.length);
    }
    // PyTorch allows one gradient collector at a time per process and has one global seed: every
    // fit of the process (any agent, any command) takes its turn here, seed and all.
    return exclusive(
        () -> fitLocked(model, xTrain, yTrain, xVal, yVal, xShape, o, progress, objective));
  }

  private static FitReport fitLocked(
      Model model,
      float[][] xTrain,
      float[][] yTrain,
      float[][] xVal,
      float[][] yVal,
      long[] xShape,
      TrainOptions o,
      FitProgress progress,
      Objective objective) {
    seed(o.seed());
    Random shuffle = new Random(o.seed());
    DefaultTrainingConfig config =
        new DefaultTrainingConfig(objective.loss())
            .optOptimizer(
                Optimizer.adam().optLearningRateTracker(Tracker.fixed(o.learningRate())).build());
    double bestVal = Double.POSITIVE_INFINITY;
    double bestTrain = Double.NaN;
    int bestEpoch = 0;
    int epochsRun = 0;
    byte[] best = null;
    try (Trainer trainer = model.newTrainer(config)) {
      trainer.initialize(shape(1, xShape));
      int n = xTrain.length;
      int[] order = new int[n];
      for (int i = 0; i < n; i++) {
        order[i] = i;
      }
      for (int epoch = 1; epoch <= o.epochs(); epoch++) {
        shuffle(order, shuffle);
        double lossSum = 0;
        int batches = 0;
        for (int start = 0; start < n; start += o.batchSize()) {
          int b = Math.min(o.batchSize(), n - start);
          try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray x = batch(m, xTrain, order, start, b, xShape);
            NDArray y = batch(m, yTrain, order, start, b, new long[] {yTrain[0].length});
            try (GradientCollector gc = trainer.newGradientCollector()) {
              NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
              NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(pred));
              lossSum += loss.getFloat();
              gc.backward(loss);
            }
            trainer.step();
          }
          batches++;
        }
        epochsRun = epoch;
        double val =
            objective
                .validation()
                .applyAsDouble(
                    predict(model.getBlock(), model.getNDManager(), xVal, xShape, 256), yVal);
        double train = objective.trainScale() * lossSum / batches;
        progress.onEpoch(epoch, o.epochs(), train, val);
        if (val < bestVal) {
          bestVal = val;
          bestTrain = train;
          bestEpoch = epoch;
          best = saveParameters(model.getBlock());
        } else if (epoch - bestEpoch >= o.patience()) {
          break;
        }
      }
    }
    loadParameters(model.getBlock(), model.getNDManager(), best, "best epoch");
    return new FitReport(epochsRun, bestEpoch, bestTrain, bestVal, xTrain.length, xVal.length);
  }

  /** Runs the block in inference mode over rows, in chunks; one output row per input row. */
  public static float[][] predict(Block block, NDManager parent, float[][] x, long[] xShape, int chunk) {
    float[][] out = new float[x.length][];
    for (int start = 0; start < x.length; start += chunk) {
      int b = Math.min(chunk, x.length - start);
      try (NDManager m = parent.newSubManager()) {
        NDArray in = batch(m, x, null, start, b, xShape);
        NDArray pred =
            block.forward(new ParameterStore(m, false), new NDList(in), false).singletonOrThrow();
        float[] flat = pred.toFloatArray();
        int w = flat.length / b;
        for (int i = 0; i < b; i++) {
          out[start + i] = new float[w];
          System.arraycopy(flat, i * w, out[start + i], 0, w);
        }
      }
    }
    return out;
  }

  public static double mse(float[][] a, float[][] b) {
    double s = 0;
    long n = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        double e = a[i][j] - b[i][j];
        s += e * e;
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  /**
   * Mean binary cross-entropy of logits against 0/1 targets, computed stably as {@code max(z, 0) -
   * z y + log(1 + exp(-|z|))}.
   */
  public static double logitCrossEntropy(float[][] logits, float[][] targets) {
    double s = 0;
    long n = 0;
    for (int i = 0; i < logits.length; i++) {
      for (int j = 0; j < logits[i].length; j++) {
        double z = logits[i][j];
        s += Math.max(z, 0) - z * targets[i][j] + Math.log1p(Math.exp(-Math.abs(z)));
        n++;
      }
    }
    return n == 0 ? Double.NaN : s / n;
  }

  public static Shape shape(long batch, long[] rowShape) {
    long[] dims = new long[rowShape.length + 1];
    dims[0] = batch;
    System.arraycopy(rowShape, 0, dims, 1, rowShape.length);
    return new Shape(dims);
  }

  private static NDArray batch(
      NDManager m, float[][] rows, int[] order, int start, int b, long[] rowShape) {
    int w = rows[order == null ? start : order[start]].length;
    float[] buf = new float[b * w];
    for (int i = 0; i < b; i++) {
      float[] r = rows[order == null ? start + i : order[start + i]];
      System.arraycopy(r, 0, buf, i * w, w);
    }
    return m.create(buf, shape(b, rowShape));
  }

  private static void shuffle(int[] a, Random r) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /** Writes a block's parameters as a length-prefixed blob (read back by {@link #readParameters}). */
  public static void writeParameters(DataOutputStream d, Block block) throws IOException {
    byte[] params = saveParameters(block);
    d.writeInt(params.length);
    d.write(params);
  }

  /** Reads a blob {@link #writeParameters} wrote. */
  public static byte[] readParameters(DataInputStream d, String source) throws IOException {
    int n = d.readInt();
    if (n <= 0 || n > 512 * 1024 * 1024) {
      throw new ModelException(source + ": implausible parameter block length " + n);
    }
    byte[] b = new byte[n];
    d.readFully(b);
    return b;
  }

  /** Reads the leading magic number of a saved model and checks it. */
  public static void expectMagic(DataInputStream d, int magic, String what, String source)
      throws IOException {
    int found = d.readInt();
    if (found != magic) {
      throw new ModelException(
          source + ": not " + what + " (magic " + Integer.toHexString(found) + ")");
    }
  }

  public static byte[] saveParameters(Block block) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.saveParameters(out);
    } catch (IOException e) {
      throw new ModelException("cannot serialize network parameters: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  public static void loadParameters(Block block, NDManager m, byte[] params, String what) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
      block.loadParameters(m, in);
    } catch (IOException | RuntimeException | ai.djl.MalformedModelException e) {
      throw new ModelException("cannot load network parameters of " + what + ": " + e, e);
    }
  }

  /** Initializes a fresh block's parameters for rows of {@code rowShape}. */
  public static void initialize(Block block, NDManager m, long[] rowShape) {
    block.initialize(m, DataType.FLOAT32, shape(1, rowShape));
  }
}
