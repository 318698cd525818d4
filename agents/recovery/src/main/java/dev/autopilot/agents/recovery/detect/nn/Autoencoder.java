package dev.autopilot.agents.recovery.detect.nn;

import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.FitReport;
import dev.autopilot.api.model.JavaForward;
import dev.autopilot.api.model.Nets;
import dev.autopilot.api.model.Standardizer;
import dev.autopilot.api.model.TrainOptions;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import dev.autopilot.api.model.ModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;

/**
 * A dense autoencoder (DJL, PyTorch engine) for rows of {@code d} features: hidden layers 128-64-32
 * -64-128 with ReLU and a linear output of {@code d}, trained with MSE and Adam on standardized
 * rows of normal data. Its {@link #reconstructionError} is the mean squared error between a
 * standardized row and its reconstruction, so it is large for rows unlike the training data.
 *
 * <p>Fitting holds out a random validation share, stops early when the validation error stops
 * improving and keeps the best epoch's weights. It is deterministic for a seed as far as the engine
 * is (one intra-op thread, seeded generator).
 *
 * <p>Inference runs in plain Java on a copy of the weights (a row costs microseconds instead of
 * hundreds of microseconds of engine calls); DJL trains and persists the network. An instance owns
 * native memory: close it. It is <b>not thread-safe</b>: inference reuses scratch buffers; use one
 * instance per actor.
 */
public final class Autoencoder implements AutoCloseable {

  /** Hidden layer widths. */
  static final int[] HIDDEN = {128, 64, 32, 64, 128};

  private static final int MAGIC = 0x41453031; // "AE01"

  private final int dim;
  private final Standardizer standardizer;
  private final Model model;
  private final NDManager manager;
  private final ParameterStore store;
  private final float[] scratch;
  private final FitReport report;
  private final JavaForward.DenseStack forward;

  private Autoencoder(int dim, Standardizer standardizer, Model model, FitReport report) {
    this.dim = dim;
    this.standardizer = standardizer;
    this.model = model;
    this.manager = model.getNDManager();
    this.store = new ParameterStore(manager, false);
    this.scratch = new float[dim];
    this.report = report;
    this.forward = JavaForward.DenseStack.of(model.getBlock());
  }

  static SequentialBlock block(int dim) {
    SequentialBlock b = new SequentialBlock();
    for (int units : HIDDEN) {
      b.add(Linear.builder().setUnits(units).build())
          .add(LambdaBlock.singleton(Activation::relu, JavaForward.RELU));
    }
    b.add(Linear.builder().setUnits(dim).build());
    return b;
  }

  /** Fits with {@link TrainOptions#of} defaults (20 % validation, patience 5, lr 1e-3). */
  public static Autoencoder fit(
      float[][] normalRows, int epochs, int batchSize, long seed, FitProgress progress) {
    return fit(normalRows, TrainOptions.of(epochs, batchSize, seed), progress);
  }

  /**
   * Learns a standardizer and the network from rows of normal data.
   *
   * @param normalRows at least 10 rows of equal length
   */
  public static Autoencoder fit(float[][] normalRows, TrainOptions o, FitProgress progress) {
    if (normalRows.length < 10) {
      throw new IllegalArgumentException(
          "an autoencoder needs at least 10 rows, got " + normalRows.length);
    }
    int d = normalRows[0].length;
    int[] idx = permutation(normalRows.length, new Random(o.seed()));
    int nVal = Math.max(1, (int) Math.round(normalRows.length * o.validationFraction()));
    float[][] train = new float[normalRows.length - nVal][];
    float[][] val = new float[nVal][];
    for (int i = 0; i < idx.length; i++) {
      float[] r = normalRows[idx[i]];
      if (i < train.length) {
        train[i] = r;
      } else {
        val[i - train.length] = r;
      }
    }
    Standardizer std = Standardizer.fit(train);
    float[][] zTrain = std.transform(train);
    float[][] zVal = std.transform(val);
    Model model = Nets.newModel("autoencoder", block(d));
    try {
      FitReport r = Nets.fit(model, zTrain, zTrain, zVal, zVal, new long[] {d}, o, progress);
      return new Autoencoder(d, std, model, r);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  static int[] permutation(int n, Random r) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** Number of input features. */
  public int dim() {
    return dim;
  }

  public Standardizer standardizer() {
    return standardizer;
  }

  /** The fit's report, or null for a loaded model. */
  public FitReport report() {
    return report;
  }

  /**
   * Mean squared error between the standardized row and its reconstruction.
   *
   * @param row {@link #dim()} raw (not standardized) features
   */
  public double reconstructionError(float[] row) {
    standardizer.transform(row, scratch);
    float[] y = forward.forward(scratch);
    double s = 0;
    for (int j = 0; j < dim; j++) {
      double e = y[j] - scratch[j];
      s += e * e;
    }
    return s / dim;
  }

  /** {@link #reconstructionError} through the engine (to check the Java forward pass). */
  double reconstructionErrorDjl(float[] row) {
    standardizer.transform(row, scratch);
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(scratch, new Shape(1, dim));
      float[] y =
          model.getBlock().forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
      double s = 0;
      for (int j = 0; j < dim; j++) {
        double e = y[j] - scratch[j];
        s += e * e;
      }
      return s / dim;
    }
  }

  /** {@link #reconstructionError} of many rows, computed in batches. */
  public double[] reconstructionErrors(float[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = reconstructionError(rows[i]);
    }
    return out;
  }

  /** Writes the model (header, standardizer, parameters); leaves {@code out} open. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeInt(dim);
    standardizer.write(d);
    Nets.writeParameters(d, model.getBlock());
    d.flush();
  }

  /**
   * Reads a model {@link #save} wrote; reads exactly its bytes from {@code in}.
   *
   * @param source names the data in error messages (a file name)
   * @throws ModelException when the bytes are not such a model
   */
  public static Autoencoder load(InputStream in, String source) {
    DataInputStream d = new DataInputStream(in);
    Model model = null;
    try {
      Nets.expectMagic(d, MAGIC, "an autoencoder model", source);
      int dim = d.readInt();
      if (dim <= 0 || dim > 100_000) {
        throw new ModelException(source + ": implausible autoencoder input dimension " + dim);
      }
      Standardizer std = Standardizer.read(d);
      if (std.dim() != dim) {
        throw new ModelException(
            source + ": standardizer has " + std.dim() + " features, model " + dim);
      }
      byte[] params = Nets.readParameters(d, source);
      model = Nets.newModel("autoencoder", block(dim));
      Nets.initialize(model.getBlock(), model.getNDManager(), new long[] {dim});
      Nets.loadParameters(model.getBlock(), model.getNDManager(), params, source);
      return new Autoencoder(dim, std, model, null);
    } catch (IOException e) {
      if (model != null) {
        model.close();
      }
      throw new ModelException(source + ": truncated or unreadable autoencoder: " + e, e);
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      throw e;
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
