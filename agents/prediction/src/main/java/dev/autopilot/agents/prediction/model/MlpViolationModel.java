package dev.autopilot.agents.prediction.model;

import dev.autopilot.api.model.JavaForward;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.model.Standardizer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The violation forecaster as trained by {@link MlpTrainer}: the persisted {@link Standardizer},
 * then dense layers with ReLU (150-256-128-64-1; dropout is the identity at inference) ending in
 * one logit, and a sigmoid. Inference is plain Java ({@link JavaForward}), a few tens of
 * microseconds per row, with no engine and no native memory: a loaded model needs no DJL and no
 * closing.
 *
 * <p>Saved form ({@link #save}): magic {@code VML1}, version, feature schema, threshold, metrics,
 * the standardizer, then per layer its sizes, ReLU flag, input-major weights and biases.
 *
 * <p>Not thread-safe (scratch buffers); each owner keeps its own instance ({@link #copy()}).
 */
public final class MlpViolationModel implements ViolationModel {

  /** Component name of the forecaster in the {@code prediction} bundle. */
  public static final String COMPONENT = "violation";

  /** File name of the component. */
  public static final String FILE = "violation-mlp.bin";

  private static final int MAGIC = 0x564D4C31; // "VML1"

  private final int version;
  private final String featureSchema;
  private final double threshold;
  private final Map<String, Double> metrics;
  private final Standardizer standardizer;
  private final List<JavaForward.Dense> layers;
  private final JavaForward.DenseStack forward;
  private final float[] scratch;

  /**
   * @param layers dense layers, the first reading {@code standardizer.dim()} inputs, the last
   *     giving one logit
   */
  public MlpViolationModel(
      int version,
      String featureSchema,
      double threshold,
      Map<String, Double> metrics,
      Standardizer standardizer,
      List<JavaForward.Dense> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer");
    }
    if (layers.get(0).in() != standardizer.dim()) {
      throw new IllegalArgumentException(
          "first layer reads " + layers.get(0).in() + " inputs, standardizer has "
              + standardizer.dim());
    }
    for (int k = 1; k < layers.size(); k++) {
      if (layers.get(k).in() != layers.get(k - 1).out()) {
        throw new IllegalArgumentException("layer " + k + " does not fit the one before");
      }
    }
    if (layers.get(layers.size() - 1).out() != 1) {
      throw new IllegalArgumentException("the last layer must give one logit");
    }
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be in [0, 1]: " + threshold);
    }
    this.version = version;
    this.featureSchema = featureSchema;
    this.threshold = threshold;
    this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    this.standardizer = standardizer;
    this.layers = List.copyOf(layers);
    this.forward = new JavaForward.DenseStack(this.layers);
    this.scratch = new float[standardizer.dim()];
  }

  @Override
  public int version() {
    return version;
  }

  @Override
  public String featureSchema() {
    return featureSchema;
  }

  @Override
  public double threshold() {
    return threshold;
  }

  @Override
  public Map<String, Double> metrics() {
    return metrics;
  }

  /** Number of input features. */
  public int inputs() {
    return standardizer.dim();
  }

  public Standardizer standardizer() {
    return standardizer;
  }

  /** The network's logit for a raw feature vector. */
  public double logit(float[] features) {
    if (features.length != scratch.length) {
      throw new IllegalArgumentException(
          "expected " + scratch.length + " features, got " + features.length);
    }
    standardizer.transform(features, scratch);
    return forward.forward(scratch)[0];
  }

  @Override
  public double probability(float[] features) {
    return 1.0 / (1.0 + Math.exp(-logit(features)));
  }

  /** Probabilities of many rows. */
  public double[] probabilities(float[][] rows) {
    double[] out = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      out[i] = probability(rows[i]);
    }
    return out;
  }

  /** The same model with other metrics (for example those measured on test data). */
  public MlpViolationModel withMetrics(Map<String, Double> newMetrics) {
    return new MlpViolationModel(
        version, featureSchema, threshold, newMetrics, standardizer, layers);
  }

  /** The same model with another version (a promotion renumbers it). */
  public MlpViolationModel withVersion(int newVersion) {
    return new MlpViolationModel(
        newVersion, featureSchema, threshold, metrics, standardizer, layers);
  }

  /** An independent instance with its own scratch buffers (weights are shared, read-only). */
  public MlpViolationModel copy() {
    return new MlpViolationModel(version, featureSchema, threshold, metrics, standardizer, layers);
  }

  /** Writes the model; leaves {@code out} open. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeInt(version);
    d.writeUTF(featureSchema);
    d.writeDouble(threshold);
    d.writeInt(metrics.size());
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      d.writeUTF(e.getKey());
      d.writeDouble(e.getValue() == null ? Double.NaN : e.getValue());
    }
    standardizer.write(d);
    d.writeInt(layers.size());
    for (JavaForward.Dense l : layers) {
      d.writeInt(l.in());
      d.writeInt(l.out());
      d.writeBoolean(l.relu());
      for (float w : l.weights()) {
        d.writeFloat(w);
      }
      for (float b : l.bias()) {
        d.writeFloat(b);
      }
    }
    d.flush();
  }

  /** The saved bytes. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      save(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * Reads a model {@link #save} wrote.
   *
   * @param source names the data in error messages
   * @throws ModelException when the bytes are not such a model
   */
  public static MlpViolationModel load(InputStream in, String source) {
    DataInputStream d = new DataInputStream(in);
    try {
      int magic = d.readInt();
      if (magic != MAGIC) {
        throw new ModelException(
            source + ": not a violation forecaster (magic " + Integer.toHexString(magic) + ")");
      }
      int version = d.readInt();
      String schema = d.readUTF();
      double threshold = d.readDouble();
      int nm = d.readInt();
      if (nm < 0 || nm > 10_000) {
        throw new ModelException(source + ": implausible metric count " + nm);
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      for (int i = 0; i < nm; i++) {
        metrics.put(d.readUTF(), d.readDouble());
      }
      Standardizer std = Standardizer.read(d);
      int nl = d.readInt();
      if (nl < 1 || nl > 64) {
        throw new ModelException(source + ": implausible layer count " + nl);
      }
      List<JavaForward.Dense> layers = new ArrayList<>();
      for (int k = 0; k < nl; k++) {
        int lin = d.readInt();
        int lout = d.readInt();
        if (lin < 1 || lout < 1 || (long) lin * lout > 50_000_000L) {
          throw new ModelException(source + ": implausible layer " + k + " " + lin + "x" + lout);
        }
        boolean relu = d.readBoolean();
        float[] w = new float[lin * lout];
        for (int j = 0; j < w.length; j++) {
          w[j] = d.readFloat();
        }
        float[] b = new float[lout];
        for (int j = 0; j < b.length; j++) {
          b[j] = d.readFloat();
        }
        layers.add(new JavaForward.Dense(lin, lout, w, b, relu));
      }
      return new MlpViolationModel(version, schema, threshold, metrics, std, layers);
    } catch (IOException e) {
      throw new ModelException(source + ": truncated or unreadable violation forecaster: " + e, e);
    } catch (IllegalArgumentException e) {
      throw new ModelException(
          source + ": inconsistent violation forecaster: " + e.getMessage(), e);
    }
  }

  /** Reads a model from its saved bytes. */
  public static MlpViolationModel fromBytes(byte[] bytes, String source) {
    return load(new ByteArrayInputStream(bytes), source);
  }

  /**
   * Reads the {@code component} of a bundle (checked against its digest).
   *
   * @throws ModelException when the component is missing, corrupt, or of another feature schema
   *     than the manifest records
   */
  public static MlpViolationModel load(ModelBundle bundle, String component) {
    String source = bundle.location() + "/" + component;
    MlpViolationModel m = fromBytes(bundle.read(component), source);
    String recorded = bundle.component(component).featureSchema();
    if (recorded != null && !recorded.equals(m.featureSchema())) {
      throw new ModelException(
          source + ": manifest says feature schema " + recorded + ", model says "
              + m.featureSchema());
    }
    return m;
  }

  /** Writes this model as a bundle component with its metrics. */
  public void put(
      ModelBundle.Writer writer, String component, Map<String, Object> manifestMetrics) {
    writer.put(component, FILE, featureSchema, manifestMetrics, this::save);
  }
}
