package dev.autopilot.agents.optimization.perf;

import dev.autopilot.agents.optimization.search.Performance;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smile.data.Tuple;
import smile.data.type.StructType;
import smile.regression.GradientTreeBoost;

/**
 * The optimizer's performance model: two Smile {@code GradientTreeBoost} regressions over {@link
 * PerformanceFeatures}, one per target.
 *
 * <ul>
 *   <li>Throughput is fitted as the <em>share of the offered rate</em> processed (0–1, a little
 *       above while a backlog drains) and multiplied back by the rate: the share is what depends on
 *       the configuration, while the raw rate would make the trees spend their splits on the load.
 *   <li>p99 latency is fitted as {@code log(p99 ms)} (when {@code log-latency}), since it spans
 *       three orders of magnitude between a comfortable and a saturated configuration.
 * </ul>
 *
 * <p>Persistence: the component {@value #COMPONENT} of the model bundle family {@value #FAMILY}, a
 * Java-serialized envelope (Smile 3.x models are {@code Serializable}; the format, the Smile
 * version and the feature schema are stored beside the trees, STYLE §10). Bytes that are not such
 * an envelope, of another format version or of another feature schema are a {@link ModelException},
 * never a half-read model. Immutable and thread-safe for prediction.
 */
public final class PerformanceModel {

  /** Model bundle family of the optimizer's models. */
  public static final String FAMILY = "optimization";

  /** Component name in the bundle. */
  public static final String COMPONENT = "performance-model";

  /** File name of the component. */
  public static final String FILE = "performance-model.ser";

  /** Version of the serialized envelope. */
  public static final int FORMAT = 1;

  /** The Smile version the models were written with. */
  public static final String SMILE_VERSION = "3.1.1";

  private static final String MAGIC = "autopilot-performance-model";

  /** The serialized form. */
  private record Envelope(
      String magic,
      int format,
      String smileVersion,
      String schema,
      ArrayList<String> keyOperators,
      boolean logLatency,
      GradientTreeBoost throughput,
      GradientTreeBoost latency,
      LinkedHashMap<String, Double> metrics)
      implements Serializable {}

  private final PerformanceFeatures features;
  private final boolean logLatency;
  private final GradientTreeBoost throughput;
  private final GradientTreeBoost latency;
  private final StructType schema;
  private final Map<String, Double> metrics;

  PerformanceModel(
      PerformanceFeatures features,
      boolean logLatency,
      GradientTreeBoost throughput,
      GradientTreeBoost latency,
      Map<String, Double> metrics) {
    this.features = features;
    this.logLatency = logLatency;
    this.throughput = throughput;
    this.latency = latency;
    this.schema = throughput.schema();
    this.metrics = Map.copyOf(metrics);
  }

  public PerformanceFeatures features() {
    return features;
  }

  /** Validation metrics recorded at training time (may be empty). */
  public Map<String, Double> metrics() {
    return metrics;
  }

  /** A copy carrying these metrics. */
  public PerformanceModel withMetrics(Map<String, Double> m) {
    return new PerformanceModel(features, logLatency, throughput, latency, m);
  }

  /** Predicted steady-state throughput and p99 of a configuration under a workload. */
  public Performance predict(PipelineConfig config, WorkloadFeatures workload) {
    return predict(features.vector(config, workload), workload.offeredRate());
  }

  /** Prediction from a ready feature vector (its offered rate given separately). */
  public Performance predict(double[] vector, double offeredRate) {
    Tuple t = Tuple.of(vector, schema);
    double share = Math.max(0, throughput.predict(t));
    double l = latency.predict(t);
    double p99 = logLatency ? Math.exp(Math.min(l, 30)) : Math.max(0, l);
    return new Performance(share * offeredRate, p99);
  }

  /** The throughput target of one sample (what the throughput trees are fitted on). */
  static double throughputTarget(double throughput, double offeredRate) {
    return throughput / offeredRate;
  }

  /** The latency target of one sample. */
  static double latencyTarget(double p99Ms, boolean logLatency) {
    return logLatency ? Math.log(Math.max(p99Ms, 1e-3)) : p99Ms;
  }

  // ------------------------------------------------------------------------------ persistence

  /** Writes the model as its serialized envelope. */
  public void write(OutputStream out) throws IOException {
    ObjectOutputStream o = new ObjectOutputStream(out);
    o.writeObject(
        new Envelope(
            MAGIC,
            FORMAT,
            SMILE_VERSION,
            PerformanceFeatures.SCHEMA,
            new ArrayList<>(features.keyOperators()),
            logLatency,
            throughput,
            latency,
            new LinkedHashMap<>(metrics)));
    o.flush();
  }

  /**
   * Reads a model written by {@link #write}.
   *
   * @param where what the bytes are (for the message)
   * @throws ModelException when the bytes are not a performance model of this format and schema
   */
  public static PerformanceModel read(InputStream in, String where) {
    Object o;
    try {
      ObjectInputStream ois = new ObjectInputStream(in);
      o = ois.readObject();
    } catch (IOException | ClassNotFoundException | RuntimeException e) {
      throw new ModelException(where + " is not a readable performance model: " + e, e);
    }
    if (!(o instanceof Envelope e) || !MAGIC.equals(e.magic())) {
      throw new ModelException(where + " is not a performance model");
    }
    if (e.format() != FORMAT) {
      throw new ModelException(
          where + " has performance-model format " + e.format() + ", this build reads " + FORMAT);
    }
    if (!PerformanceFeatures.SCHEMA.equals(e.schema())) {
      throw new ModelException(
          where
              + " was trained on features "
              + e.schema()
              + ", this build computes "
              + PerformanceFeatures.SCHEMA);
    }
    if (e.throughput() == null || e.latency() == null || e.keyOperators() == null) {
      throw new ModelException(where + " lacks a model or its key operators");
    }
    return new PerformanceModel(
        new PerformanceFeatures(e.keyOperators()),
        e.logLatency(),
        e.throughput(),
        e.latency(),
        e.metrics() == null ? Map.of() : e.metrics());
  }

  /** Reads a model from bytes. */
  public static PerformanceModel read(byte[] bytes, String where) {
    return read(new ByteArrayInputStream(bytes), where);
  }

  /** Writes the model as the {@value #COMPONENT} component of a bundle being written. */
  public void put(ModelBundle.Writer writer, Map<String, Object> manifestMetrics) {
    writer.put(COMPONENT, FILE, PerformanceFeatures.SCHEMA, manifestMetrics, this::write);
  }

  /**
   * Loads the {@value #COMPONENT} component of a bundle.
   *
   * @throws ModelException when the bundle lacks it or its bytes are corrupt
   */
  public static PerformanceModel load(ModelBundle bundle) {
    ModelBundle.Component c = bundle.component(COMPONENT);
    if (!PerformanceFeatures.SCHEMA.equals(c.featureSchema())) {
      throw new ModelException(
          bundle.location()
              + ": "
              + COMPONENT
              + " has feature schema "
              + c.featureSchema()
              + ", this build computes "
              + PerformanceFeatures.SCHEMA);
    }
    return read(bundle.read(COMPONENT), bundle.location() + "/" + c.file());
  }

  /** Number of trees per model (for reports). */
  public List<Integer> treeCounts() {
    return List.of(throughput.size(), latency.size());
  }
}
