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
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import dev.autopilot.api.model.ModelException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Multi-step forecaster of {@code k} metrics (DJL, PyTorch engine): from a window of the last
 * {@link #WINDOW} standardized steps, two stacked LSTM layers (64 then 32 units, batch first, no
 * state returned) read the sequence, the last step's output goes through a dense head that predicts
 * the next {@link #HORIZON} steps of all {@code k} metrics at once.
 *
 * <p>Fitting cuts windows out of normal series, holds out the last share of each series' windows
 * (chronological split) for validation and early stopping, and then estimates the residual standard
 * deviation of each metric at each horizon step on the validation windows. Those σ are kept with
 * the model, in the metric's own unit, so a detector can tell a surprising observation.
 *
 * <p>Inference runs in plain Java on a copy of the weights (no engine calls per step); DJL trains
 * and persists the network. An instance owns native memory: close it. It is <b>not thread-safe</b>:
 * inference reuses scratch buffers; use one instance per actor.
 */
public final class LstmForecaster implements AutoCloseable {

  /** Steps of history read. */
  public static final int WINDOW = 60;

  /** Steps forecast. */
  public static final int HORIZON = 30;

  private static final int MAGIC = 0x4C463031; // "LF01"

  private final int k;
  private final Standardizer standardizer;
  private final float[][] sigma; // [HORIZON][k], original units
  private final Model model;
  private final NDManager manager;
  private final ParameterStore store;
  private final float[] scratch;
  private final FitReport report;
  private final JavaForward.LstmStack forward;

  private LstmForecaster(
      int k, Standardizer standardizer, float[][] sigma, Model model, FitReport report) {
    this.k = k;
    this.standardizer = standardizer;
    this.sigma = sigma;
    this.model = model;
    this.manager = model.getNDManager();
    this.store = new ParameterStore(manager, false);
    this.scratch = new float[WINDOW * k];
    this.report = report;
    this.forward = new JavaForward.LstmStack(model.getBlock());
  }

  static SequentialBlock block(int k) {
    return Nets.lstmStack(64, 32, HORIZON * k);
  }

  /**
   * Fits on normal series.
   *
   * @param series each {@code [T][k]}, T ≥ WINDOW + HORIZON; all with the same k
   * @param stride steps between the starts of consecutive training windows (≥ 1)
   */
  public static LstmForecaster fit(
      List<float[][]> series, int stride, TrainOptions o, FitProgress progress) {
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no series to fit the forecaster on");
    }
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be >= 1: " + stride);
    }
    int k = -1;
    List<float[]> allRows = new ArrayList<>();
    for (int s = 0; s < series.size(); s++) {
      float[][] ser = series.get(s);
      if (ser.length < WINDOW + HORIZON) {
        throw new IllegalArgumentException(
            "series " + s + " has " + ser.length + " steps, need " + (WINDOW + HORIZON));
      }
      for (float[] row : ser) {
        if (k < 0) {
          k = row.length;
        } else if (row.length != k) {
          throw new IllegalArgumentException(
              "series " + s + " has rows of " + row.length + " metrics, expected " + k);
        }
        allRows.add(row);
      }
    }
    Standardizer std = Standardizer.fit(allRows.toArray(new float[0][]));
    List<float[]> xt = new ArrayList<>();
    List<float[]> yt = new ArrayList<>();
    List<float[]> xv = new ArrayList<>();
    List<float[]> yv = new ArrayList<>();
    for (float[][] ser : series) {
      float[][] z = std.transform(ser);
      List<Integer> starts = new ArrayList<>();
      for (int t = WINDOW; t + HORIZON <= z.length; t += stride) {
        starts.add(t);
      }
      int nVal = Math.max(1, (int) Math.round(starts.size() * o.validationFraction()));
      if (starts.size() - nVal < 1) {
        nVal = 0; // too short to split: all its windows train
      }
      for (int i = 0; i < starts.size(); i++) {
        int t = starts.get(i);
        boolean val = i >= starts.size() - nVal;
        (val ? xv : xt).add(flatten(z, t - WINDOW, WINDOW, k));
        (val ? yv : yt).add(flatten(z, t, HORIZON, k));
      }
    }
    if (xv.isEmpty()) { // every series was too short to split: hold out the last windows
      int nVal = Math.max(1, (int) Math.round(xt.size() * o.validationFraction()));
      for (int i = 0; i < nVal && xt.size() > 1; i++) {
        xv.add(0, xt.remove(xt.size() - 1));
        yv.add(0, yt.remove(yt.size() - 1));
      }
    }
    float[][] xTrain = xt.toArray(new float[0][]);
    float[][] yTrain = yt.toArray(new float[0][]);
    float[][] xVal = xv.toArray(new float[0][]);
    float[][] yVal = yv.toArray(new float[0][]);
    long[] xShape = {WINDOW, k};
    Model model = Nets.newModel("lstm-forecaster", block(k));
    try {
      FitReport r = Nets.fit(model, xTrain, yTrain, xVal, yVal, xShape, o, progress);
      float[][] pred = Nets.predict(model.getBlock(), model.getNDManager(), xVal, xShape, 256);
      float[][] sigma = new float[HORIZON][k];
      for (int h = 0; h < HORIZON; h++) {
        for (int m = 0; m < k; m++) {
          double s = 0;
          for (int i = 0; i < xVal.length; i++) {
            double e = pred[i][h * k + m] - yVal[i][h * k + m];
            s += e * e;
          }
          sigma[h][m] = (float) (Math.sqrt(s / xVal.length) * std.std(m));
        }
      }
      return new LstmForecaster(k, std, sigma, model, r);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static float[] flatten(float[][] z, int from, int steps, int k) {
    float[] out = new float[steps * k];
    for (int i = 0; i < steps; i++) {
      System.arraycopy(z[from + i], 0, out, i * k, k);
    }
    return out;
  }

  /** Number of metrics. */
  public int metrics() {
    return k;
  }

  public Standardizer standardizer() {
    return standardizer;
  }

  /** The fit's report, or null for a loaded model. */
  public FitReport report() {
    return report;
  }

  /**
   * Residual standard deviation of a metric's forecast {@code h + 1} steps ahead, in the metric's
   * unit, measured on validation windows.
   */
  public double sigma(int h, int metric) {
    return sigma[h][metric];
  }

  /** Residual σ of a metric averaged over the horizon. */
  public double sigma(int metric) {
    double s = 0;
    for (int h = 0; h < HORIZON; h++) {
      s += sigma[h][metric];
    }
    return s / HORIZON;
  }

  /**
   * Forecasts the next {@link #HORIZON} steps.
   *
   * @param window {@code [WINDOW][k]}, oldest first, raw units
   * @return {@code [HORIZON][k]}, raw units
   */
  public float[][] forecast(float[][] window) {
    standardize(window);
    return unstandardize(forward.forward(scratch, WINDOW, k));
  }

  /** {@link #forecast} through the engine (to check the Java forward pass). */
  float[][] forecastDjl(float[][] window) {
    standardize(window);
    float[] y;
    try (NDManager m = manager.newSubManager()) {
      NDArray x = m.create(scratch, new Shape(1, WINDOW, k));
      y = model.getBlock().forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
    }
    return unstandardize(y);
  }

  private void standardize(float[][] window) {
    if (window.length != WINDOW) {
      throw new IllegalArgumentException(
          "window must have " + WINDOW + " steps, got " + window.length);
    }
    for (int t = 0; t < WINDOW; t++) {
      if (window[t].length != k) {
        throw new IllegalArgumentException(
            "window step " + t + " has " + window[t].length + " metrics, expected " + k);
      }
      for (int m = 0; m < k; m++) {
        scratch[t * k + m] = (window[t][m] - standardizer.mean(m)) / standardizer.std(m);
      }
    }
  }

  private float[][] unstandardize(float[] y) {
    float[][] out = new float[HORIZON][k];
    for (int h = 0; h < HORIZON; h++) {
      for (int j = 0; j < k; j++) {
        out[h][j] = standardizer.inverse(j, y[h * k + j]);
      }
    }
    return out;
  }

  /** Writes the model (header, standardizer, σ, parameters); leaves {@code out} open. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeInt(WINDOW);
    d.writeInt(HORIZON);
    d.writeInt(k);
    standardizer.write(d);
    for (float[] row : sigma) {
      for (float s : row) {
        d.writeFloat(s);
      }
    }
    Nets.writeParameters(d, model.getBlock());
    d.flush();
  }

  /**
   * Reads a model {@link #save} wrote; reads exactly its bytes from {@code in}.
   *
   * @param source names the data in error messages (a file name)
   * @throws ModelException when the bytes are not such a model
   */
  public static LstmForecaster load(InputStream in, String source) {
    DataInputStream d = new DataInputStream(in);
    Model model = null;
    try {
      Nets.expectMagic(d, MAGIC, "an LSTM forecaster", source);
      int window = d.readInt();
      int horizon = d.readInt();
      int k = d.readInt();
      if (window != WINDOW || horizon != HORIZON || k <= 0 || k > 10_000) {
        throw new ModelException(
            source
                + ": forecaster shape window "
                + window
                + ", horizon "
                + horizon
                + ", metrics "
                + k
                + " does not match window "
                + WINDOW
                + ", horizon "
                + HORIZON);
      }
      Standardizer std = Standardizer.read(d);
      if (std.dim() != k) {
        throw new ModelException(
            source + ": standardizer has " + std.dim() + " metrics, model " + k);
      }
      float[][] sigma = new float[HORIZON][k];
      for (int h = 0; h < HORIZON; h++) {
        for (int m = 0; m < k; m++) {
          sigma[h][m] = d.readFloat();
          if (!(sigma[h][m] >= 0) || !Float.isFinite(sigma[h][m])) {
            throw new ModelException(
                source + ": residual sigma [" + h + "][" + m + "] is " + sigma[h][m]);
          }
        }
      }
      byte[] params = Nets.readParameters(d, source);
      model = Nets.newModel("lstm-forecaster", block(k));
      Nets.initialize(model.getBlock(), model.getNDManager(), new long[] {WINDOW, k});
      Nets.loadParameters(model.getBlock(), model.getNDManager(), params, source);
      return new LstmForecaster(k, std, sigma, model, null);
    } catch (IOException e) {
      if (model != null) {
        model.close();
      }
      throw new ModelException(source + ": truncated or unreadable LSTM forecaster: " + e, e);
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
