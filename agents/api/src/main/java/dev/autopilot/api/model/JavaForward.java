package dev.autopilot.api.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-row inference in plain Java over weights copied out of a trained or loaded DJL block. One
 * row through these small networks costs a few microseconds of arithmetic but hundreds of
 * microseconds of native calls through the engine, so inference runs here and DJL is used for
 * training and persistence only. Weights are stored input-major ({@code [in][out]}) so that the
 * inner loops are vectorizable multiply-adds. Instances hold scratch buffers: not thread-safe.
 */
public final class JavaForward {
  private JavaForward() {}

  /** A dense layer {@code y = W x + b}, optionally followed by ReLU. */
  public static final class Dense {
    final int in;
    final int out;
    final float[] wt; // [in][out]
    final float[] b;
    boolean relu;

    public Dense(int in, int out, float[] wt, float[] b) {
      this(in, out, wt, b, false);
    }

    /**
     * A layer from its weights.
     *
     * @param wt weights input-major, {@code wt[j * out + k]} from input j to output k
     * @param b biases, one per output
     * @param relu whether a ReLU follows
     */
    public Dense(int in, int out, float[] wt, float[] b, boolean relu) {
      if (in < 1 || out < 1 || wt.length != in * out || b.length != out) {
        throw new IllegalArgumentException(
            "dense layer " + in + "->" + out + " needs " + (in * out) + " weights and " + out
                + " biases, got " + wt.length + " and " + b.length);
      }
      this.in = in;
      this.out = out;
      this.wt = wt;
      this.b = b;
      this.relu = relu;
    }

    /** Number of inputs. */
    public int in() {
      return in;
    }

    /** Number of outputs. */
    public int out() {
      return out;
    }

    /** Whether a ReLU follows. */
    public boolean relu() {
      return relu;
    }

    /** A copy of the weights, input-major ({@code [in][out]}). */
    public float[] weights() {
      return wt.clone();
    }

    /** A copy of the biases. */
    public float[] bias() {
      return b.clone();
    }

    public static Dense of(Block linear) {
      NDArray w = param(linear, "weight");
      NDArray b = param(linear, "bias");
      int out = (int) w.getShape().get(0);
      int in = (int) w.getShape().get(1);
      return new Dense(in, out, transpose(w.toFloatArray(), out, in), b.toFloatArray());
    }

    public void forward(float[] x, float[] y) {
      System.arraycopy(b, 0, y, 0, out);
      for (int j = 0; j < in; j++) {
        float xj = x[j];
        if (xj == 0f) {
          continue;
        }
        int base = j * out;
        for (int k = 0; k < out; k++) {
          y[k] += wt[base + k] * xj;
        }
      }
      if (relu) {
        for (int k = 0; k < out; k++) {
          if (y[k] < 0f) {
            y[k] = 0f;
          }
        }
      }
    }
  }

  /** Name of the ReLU blocks of a dense stack. */
  public static final String RELU = "relu";

  /**
   * A stack of dense layers with ReLU blocks between them (the autoencoder, the violation MLP).
   * Dropout blocks are skipped: they are the identity at inference.
   */
  public static final class DenseStack {
    private final List<Dense> layers;
    private final float[][] buffers;

    public DenseStack(List<Dense> layers) {
      this.layers = layers;
      this.buffers = new float[layers.size()][];
      for (int i = 0; i < layers.size(); i++) {
        buffers[i] = new float[layers.get(i).out];
      }
    }

    public static DenseStack of(Block sequential) {
      List<Dense> layers = new ArrayList<>();
      for (Pair<String, Block> child : sequential.getChildren()) {
        Block c = child.getValue();
        if (c instanceof Linear) {
          layers.add(Dense.of(c));
        } else if (c instanceof LambdaBlock l && RELU.equals(l.getName()) && !layers.isEmpty()) {
          layers.get(layers.size() - 1).relu = true;
        } else if (c instanceof Dropout) {
          // identity at inference
        } else {
          throw new IllegalArgumentException(
              "unsupported block in a dense stack: " + child.getKey());
        }
      }
      return new DenseStack(layers);
    }

    /** The layers, in order. */
    public List<Dense> layers() {
      return List.copyOf(layers);
    }

    /** The output for one row; the returned array is reused by the next call. */
    public float[] forward(float[] x) {
      float[] in = x;
      for (int i = 0; i < layers.size(); i++) {
        layers.get(i).forward(in, buffers[i]);
        in = buffers[i];
      }
      return in;
    }
  }

  /** One LSTM layer (PyTorch gate order i, f, g, o), stepped one input at a time. */
  public static final class LstmLayer {
    final int in;
    final int hidden;
    private final float[] wih; // [in][4H]
    private final float[] whh; // [H][4H]
    private final float[] bias; // b_ih + b_hh
    final float[] h;
    private final float[] c;
    private final float[] gates;

    public LstmLayer(Block lstm) {
      NDArray wi = param(lstm, "l_0_i2h_WEIGHT");
      NDArray wh = param(lstm, "l_0_h2h_WEIGHT");
      int g4 = (int) wi.getShape().get(0);
      this.in = (int) wi.getShape().get(1);
      this.hidden = g4 / 4;
      this.wih = transpose(wi.toFloatArray(), g4, in);
      this.whh = transpose(wh.toFloatArray(), g4, hidden);
      float[] bi = param(lstm, "l_0_i2h_BIAS").toFloatArray();
      float[] bh = param(lstm, "l_0_h2h_BIAS").toFloatArray();
      this.bias = new float[g4];
      for (int k = 0; k < g4; k++) {
        bias[k] = bi[k] + bh[k];
      }
      this.h = new float[hidden];
      this.c = new float[hidden];
      this.gates = new float[g4];
    }

    public void reset() {
      java.util.Arrays.fill(h, 0f);
      java.util.Arrays.fill(c, 0f);
    }

    public void step(float[] x) {
      int g4 = gates.length;
      System.arraycopy(bias, 0, gates, 0, g4);
      for (int j = 0; j < in; j++) {
        float xj = x[j];
        int base = j * g4;
        for (int k = 0; k < g4; k++) {
          gates[k] += wih[base + k] * xj;
        }
      }
      for (int j = 0; j < hidden; j++) {
        float hj = h[j];
        int base = j * g4;
        for (int k = 0; k < g4; k++) {
          gates[k] += whh[base + k] * hj;
        }
      }
      int hs = hidden;
      for (int k = 0; k < hs; k++) {
        float i = sigmoid(gates[k]);
        float f = sigmoid(gates[hs + k]);
        float g = tanh(gates[2 * hs + k]);
        float o = sigmoid(gates[3 * hs + k]);
        c[k] = f * c[k] + i * g;
        h[k] = o * tanh(c[k]);
      }
    }

    private static float sigmoid(float v) {
      return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** tanh through the intrinsic {@code exp} ({@code Math.tanh} is not intrinsified). */
    private static float tanh(float v) {
      return (float) (2.0 / (1.0 + Math.exp(-2.0 * v)) - 1.0);
    }
  }

  /** Two stacked LSTM layers, the last step's output through a dense head (the forecaster). */
  public static final class LstmStack {
    private final LstmLayer first;
    private final LstmLayer second;
    private final Dense head;
    private final float[] out;

    public LstmStack(Block sequential) {
      List<Pair<String, Block>> children = sequential.getChildren().stream().toList();
      if (children.size() != 4
          || !(children.get(0).getValue() instanceof LSTM)
          || !(children.get(1).getValue() instanceof LSTM)
          || !(children.get(3).getValue() instanceof Linear)) {
        throw new IllegalArgumentException("not an LSTM-LSTM-last-dense stack: " + children);
      }
      this.first = new LstmLayer(children.get(0).getValue());
      this.second = new LstmLayer(children.get(1).getValue());
      this.head = Dense.of(children.get(3).getValue());
      this.out = new float[head.out];
    }

    /**
     * Runs a window of {@code steps} rows of {@code k} values (row-major) from a zero state.
     *
     * @return the head's output, reused by the next call
     */
    public float[] forward(float[] window, int steps, int k) {
      first.reset();
      second.reset();
      float[] x = new float[k];
      for (int t = 0; t < steps; t++) {
        System.arraycopy(window, t * k, x, 0, k);
        first.step(x);
        second.step(first.h);
      }
      head.forward(second.h, out);
      return out;
    }
  }

  private static NDArray param(Block b, String name) {
    for (Pair<String, Parameter> p : b.getParameters()) {
      if (p.getKey().equals(name)) {
        return p.getValue().getArray();
      }
    }
    throw new IllegalArgumentException("block has no parameter " + name + ": " + b);
  }

  /** Row-major {@code [rows][cols]} to {@code [cols][rows]}. */
  private static float[] transpose(float[] a, int rows, int cols) {
    float[] t = new float[a.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = a[r * cols + c];
      }
    }
    return t;
  }
}
