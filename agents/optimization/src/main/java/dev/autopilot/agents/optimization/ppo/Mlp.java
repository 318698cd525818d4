package dev.autopilot.agents.optimization.ppo;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An immutable dense network in plain Java: ReLU after every hidden layer, the last layer linear
 * (the actor applies tanh to it). Weights are input-major ({@code w[j * out + k]} from input j to
 * output k), the layout of a {@code [in, out]} tensor used as {@code x.matMul(w)}, so they copy to
 * and from the trainer's tensors as they are. Scratch buffers are allocated per call (a few hundred
 * floats against ~50k multiply-adds), so one instance may serve any number of threads.
 */
final class Mlp {

  /** One dense layer. */
  record Layer(int in, int out, float[] w, float[] b) {
    Layer {
      if (in < 1 || out < 1 || w.length != in * out || b.length != out) {
        throw new IllegalArgumentException(
            "layer " + in + "->" + out + " needs " + ((long) in * out) + " weights and " + out
                + " biases, got " + w.length + " and " + b.length);
      }
    }
  }

  private final List<Layer> layers;

  Mlp(List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a network needs at least one layer");
    }
    for (int i = 1; i < layers.size(); i++) {
      if (layers.get(i).in() != layers.get(i - 1).out()) {
        throw new IllegalArgumentException(
            "layer " + i + " takes " + layers.get(i).in() + " inputs but layer " + (i - 1)
                + " gives " + layers.get(i - 1).out());
      }
    }
    this.layers = List.copyOf(layers);
  }

  /**
   * A network with Glorot/Xavier-uniform weights, {@code U(-a, a)} with {@code a = sqrt(6 / (in +
   * out))} (Glorot and Bengio 2010), and zero biases.
   */
  static Mlp xavier(int inputs, int[] hidden, int outputs, RandomGenerator rnd) {
    List<Layer> layers = new java.util.ArrayList<>();
    int in = inputs;
    for (int i = 0; i <= hidden.length; i++) {
      int out = i < hidden.length ? hidden[i] : outputs;
      double a = Math.sqrt(6.0 / (in + out));
      float[] w = new float[in * out];
      for (int k = 0; k < w.length; k++) {
        w[k] = (float) ((rnd.nextDouble() * 2 - 1) * a);
      }
      layers.add(new Layer(in, out, w, new float[out]));
      in = out;
    }
    return new Mlp(layers);
  }

  List<Layer> layers() {
    return layers;
  }

  int inputs() {
    return layers.get(0).in();
  }

  int outputs() {
    return layers.get(layers.size() - 1).out();
  }

  /** The last layer's (linear) output for one row. */
  float[] forward(float[] x) {
    float[] in = x;
    int last = layers.size() - 1;
    for (int i = 0; i <= last; i++) {
      Layer l = layers.get(i);
      float[] y = l.b().clone();
      float[] w = l.w();
      int out = l.out();
      for (int j = 0; j < l.in(); j++) {
        float xj = in[j];
        if (xj == 0f) {
          continue;
        }
        int base = j * out;
        for (int k = 0; k < out; k++) {
          y[k] += w[base + k] * xj;
        }
      }
      if (i < last) {
        for (int k = 0; k < out; k++) {
          if (y[k] < 0f) {
            y[k] = 0f;
          }
        }
      }
      in = y;
    }
    return in;
  }
}
