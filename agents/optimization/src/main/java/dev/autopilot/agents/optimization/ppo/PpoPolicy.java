package dev.autopilot.agents.optimization.ppo;

import dev.autopilot.api.model.ModelException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.zip.CRC32;

/**
 * A trained PPO policy, self-contained and immutable: the state normalisation (running mean and
 * variance frozen at the last update), the actor (hidden ReLU layers, tanh means), its learned
 * state-independent log standard deviations, and the critic. Inference is plain Java (no DJL, no
 * native calls: one row costs ~50k multiply-adds per network, far less than the engine's per-call
 * overhead), with per-call scratch buffers, so one instance can be shared between threads.
 *
 * <p>Every state is normalised as {@code clamp((s - mean) / sqrt(var + 1e-8), +-10)} before the
 * networks. {@link #act} is the deterministic action (the tanh mean, in [-1, 1]); {@link #sample}
 * adds Gaussian exploration noise and is not clamped (the environment clamps; the trainer needs the
 * raw sample for its log-probability).
 *
 * <p>{@link #toBytes} writes a versioned binary format (magic {@code PPO1}, sizes, normalisation,
 * log-std, both networks as float32, a CRC-32 of all of it); {@link #fromBytes} rejects anything
 * truncated, corrupt or inconsistent with a {@link ModelException} naming the source.
 */
public final class PpoPolicy {

  /** "PPO1". */
  private static final int MAGIC = 0x50504F31;

  private static final int FORMAT_VERSION = 1;
  private static final int MAX_SIZE = 1 << 16;
  private static final int MAX_LAYERS = 32;

  private final int stateSize;
  private final int actionSize;
  private final double[] obsMean;
  private final double[] obsVar;
  private final float[] logStd;
  private final Mlp actor;
  private final Mlp critic;

  PpoPolicy(double[] obsMean, double[] obsVar, float[] logStd, Mlp actor, Mlp critic) {
    this.stateSize = actor.inputs();
    this.actionSize = actor.outputs();
    if (obsMean.length != stateSize || obsVar.length != stateSize) {
      throw new IllegalArgumentException(
          "normalisation has " + obsMean.length + "/" + obsVar.length + " dims, the actor takes "
              + stateSize);
    }
    if (logStd.length != actionSize) {
      throw new IllegalArgumentException(
          "log-std has " + logStd.length + " dims, the actor gives " + actionSize);
    }
    if (critic.inputs() != stateSize || critic.outputs() != 1) {
      throw new IllegalArgumentException(
          "the critic must map " + stateSize + " inputs to 1 value, not " + critic.inputs()
              + " to " + critic.outputs());
    }
    this.obsMean = obsMean.clone();
    this.obsVar = obsVar.clone();
    this.logStd = logStd.clone();
    this.actor = actor;
    this.critic = critic;
  }

  /** Length of a state vector. */
  public int stateSize() {
    return stateSize;
  }

  /** Length of an action vector. */
  public int actionSize() {
    return actionSize;
  }

  /** Hidden layer widths of the actor (the critic has the same). */
  public List<Integer> hidden() {
    List<Integer> h = new ArrayList<>();
    List<Mlp.Layer> layers = actor.layers();
    for (int i = 0; i < layers.size() - 1; i++) {
      h.add(layers.get(i).out());
    }
    return List.copyOf(h);
  }

  /** The learned log standard deviation of each action dimension. */
  public double[] logStd() {
    double[] l = new double[actionSize];
    for (int i = 0; i < actionSize; i++) {
      l[i] = logStd[i];
    }
    return l;
  }

  /**
   * The deterministic action: the actor's tanh means, each in [-1, 1].
   *
   * @throws IllegalArgumentException when the state has the wrong length or a non-finite value
   */
  public double[] act(double[] state) {
    float[] out = actor.forward(normalize(state));
    double[] a = new double[actionSize];
    for (int i = 0; i < actionSize; i++) {
      a[i] = Math.tanh(out[i]);
    }
    return a;
  }

  /**
   * An exploring action: {@code mean + exp(logStd) * N(0, 1)} per dimension, not clamped.
   *
   * @throws IllegalArgumentException when the state has the wrong length or a non-finite value
   */
  public double[] sample(double[] state, RandomGenerator rnd) {
    double[] a = act(state);
    for (int i = 0; i < actionSize; i++) {
      a[i] += Math.exp(logStd[i]) * rnd.nextGaussian();
    }
    return a;
  }

  /**
   * The critic's value of a state (expected discounted return).
   *
   * @throws IllegalArgumentException when the state has the wrong length or a non-finite value
   */
  public double value(double[] state) {
    return critic.forward(normalize(state))[0];
  }

  /**
   * The log-probability of an action under the policy in a state ({@link Gaussian#logProb}).
   *
   * @throws IllegalArgumentException when the state or the action has the wrong length
   */
  public double logProb(double[] state, double[] action) {
    return Gaussian.logProb(action, act(state), logStd());
  }

  /** The normalised state the networks see. */
  float[] normalize(double[] state) {
    if (state == null || state.length != stateSize) {
      throw new IllegalArgumentException(
          "state must have " + stateSize + " values, got "
              + (state == null ? "null" : state.length));
    }
    for (int i = 0; i < stateSize; i++) {
      if (!Double.isFinite(state[i])) {
        throw new IllegalArgumentException("state[" + i + "] is not finite: " + state[i]);
      }
    }
    return RunningStats.normalize(state, obsMean, obsVar);
  }

  Mlp actor() {
    return actor;
  }

  Mlp critic() {
    return critic;
  }

  double[] obsMean() {
    return obsMean.clone();
  }

  double[] obsVar() {
    return obsVar.clone();
  }

  /** The policy in its binary format (see the class comment). */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream d = new DataOutputStream(bytes)) {
      d.writeInt(MAGIC);
      d.writeInt(FORMAT_VERSION);
      d.writeInt(stateSize);
      d.writeInt(actionSize);
      for (double v : obsMean) {
        d.writeDouble(v);
      }
      for (double v : obsVar) {
        d.writeDouble(v);
      }
      for (float v : logStd) {
        d.writeFloat(v);
      }
      writeNet(d, actor);
      writeNet(d, critic);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail
    }
    byte[] payload = bytes.toByteArray();
    CRC32 crc = new CRC32();
    crc.update(payload);
    byte[] out = Arrays.copyOf(payload, payload.length + 8);
    long c = crc.getValue();
    for (int i = 0; i < 8; i++) {
      out[payload.length + i] = (byte) (c >>> (56 - 8 * i));
    }
    return out;
  }

  /**
   * Reads a policy {@link #toBytes} wrote.
   *
   * @param source where the bytes come from, for the error message (a file, a bundle component)
   * @throws ModelException when the bytes are truncated, corrupt, of another format or
   *     inconsistent
   */
  public static PpoPolicy fromBytes(byte[] bytes, String source) {
    if (bytes == null) {
      throw new ModelException(source + ": no PPO policy bytes");
    }
    try (DataInputStream d = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int magic = d.readInt();
      if (magic != MAGIC) {
        throw new ModelException(
            source + ": not a PPO policy (magic " + Integer.toHexString(magic) + ")");
      }
      int version = d.readInt();
      if (version != FORMAT_VERSION) {
        throw new ModelException(
            source + ": PPO policy format " + version + " is not supported (this reads "
                + FORMAT_VERSION + ")");
      }
      int stateSize = size(d.readInt(), "state size", source);
      int actionSize = size(d.readInt(), "action size", source);
      double[] mean = new double[stateSize];
      double[] var = new double[stateSize];
      for (int i = 0; i < stateSize; i++) {
        mean[i] = finite(d.readDouble(), "normalisation mean", source);
      }
      for (int i = 0; i < stateSize; i++) {
        var[i] = finite(d.readDouble(), "normalisation variance", source);
        if (var[i] < 0) {
          throw new ModelException(source + ": negative normalisation variance " + var[i]);
        }
      }
      float[] logStd = new float[actionSize];
      for (int i = 0; i < actionSize; i++) {
        logStd[i] = (float) finite(d.readFloat(), "log-std", source);
      }
      Mlp actor = readNet(d, "actor", source);
      Mlp critic = readNet(d, "critic", source);
      int payload = bytes.length - d.available();
      long stored = d.readLong();
      if (d.available() > 0) {
        throw new ModelException(
            source + ": " + d.available() + " unexpected bytes after the PPO policy");
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, payload);
      if (crc.getValue() != stored) {
        throw new ModelException(source + ": corrupt PPO policy (checksum mismatch)");
      }
      try {
        return new PpoPolicy(mean, var, logStd, actor, critic);
      } catch (IllegalArgumentException e) {
        throw new ModelException(source + ": inconsistent PPO policy: " + e.getMessage(), e);
      }
    } catch (EOFException e) {
      throw new ModelException(
          source + ": truncated PPO policy (" + bytes.length + " bytes)", e);
    } catch (IOException e) {
      throw new ModelException(source + ": unreadable PPO policy: " + e.getMessage(), e);
    }
  }

  private static void writeNet(DataOutputStream d, Mlp net) throws IOException {
    List<Mlp.Layer> layers = net.layers();
    d.writeInt(layers.size());
    for (Mlp.Layer l : layers) {
      d.writeInt(l.in());
      d.writeInt(l.out());
      for (float v : l.w()) {
        d.writeFloat(v);
      }
      for (float v : l.b()) {
        d.writeFloat(v);
      }
    }
  }

  private static Mlp readNet(DataInputStream d, String what, String source) throws IOException {
    int n = d.readInt();
    if (n < 1 || n > MAX_LAYERS) {
      throw new ModelException(source + ": implausible number of " + what + " layers " + n);
    }
    List<Mlp.Layer> layers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int in = size(d.readInt(), what + " layer inputs", source);
      int out = size(d.readInt(), what + " layer outputs", source);
      if ((long) in * out > d.available()) {
        throw new EOFException(); // the weights cannot all be there
      }
      float[] w = new float[in * out];
      for (int k = 0; k < w.length; k++) {
        w[k] = (float) finite(d.readFloat(), what + " weight", source);
      }
      float[] b = new float[out];
      for (int k = 0; k < out; k++) {
        b[k] = (float) finite(d.readFloat(), what + " bias", source);
      }
      layers.add(new Mlp.Layer(in, out, w, b));
    }
    try {
      return new Mlp(layers);
    } catch (IllegalArgumentException e) {
      throw new ModelException(source + ": inconsistent " + what + ": " + e.getMessage(), e);
    }
  }

  private static int size(int n, String what, String source) {
    if (n < 1 || n > MAX_SIZE) {
      throw new ModelException(source + ": implausible " + what + " " + n);
    }
    return n;
  }

  private static double finite(double v, String what, String source) {
    if (!Double.isFinite(v)) {
      throw new ModelException(source + ": non-finite " + what + " " + v);
    }
    return v;
  }
}
