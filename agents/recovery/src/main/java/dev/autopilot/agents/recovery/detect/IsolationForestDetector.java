package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.model.ModelException;
import dev.autopilot.api.model.ModelRuntime;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import smile.anomaly.IsolationForest;
import smile.math.MathEx;

/**
 * Isolation forest (Smile) over five snapshot features: checkpoint duration, buffer occupancy,
 * operator busy time, network latency and heap use ({@link SnapshotFeatures#IFOREST}). Smile's
 * score is about 0.5 for ordinary points and approaches 1 for isolated ones; the detector votes
 * when it exceeds a threshold set from the training scores (the {@code 1 - contamination}
 * quantile), or {@link #DEFAULT_THRESHOLD} when fitted without contamination.
 *
 * <p>Stateless after fitting and safe to share. It is saved with Java serialization (Smile's own
 * format) behind a header carrying the Smile version; loading refuses another Smile version and
 * deserializes only Smile and JDK classes.
 */
public final class IsolationForestDetector {

  /** Detector name in votes and bundles. */
  public static final String NAME = "iforest";

  /** Threshold on Smile's score when none is calibrated. */
  public static final double DEFAULT_THRESHOLD = 0.65;

  private static final int MAGIC = 0x49463031; // "IF01"

  /**
   * How the forest is fitted.
   *
   * @param trees number of trees
   * @param subsample rows per tree (passed to Smile as the fraction subsample / n)
   * @param maxDepth tree depth limit (ceil(log2(subsample)))
   * @param contamination expected share of anomalies in the training data; sets the threshold
   */
  public record Params(int trees, int subsample, int maxDepth, double contamination) {
    /** 200 trees, 256 rows each, depth 8, contamination 0.05. */
    public static Params defaults() {
      return new Params(200, 256, 8, 0.05);
    }
  }

  private final IsolationForest forest;
  private final double threshold;
  private final double[] scratch = new double[SnapshotFeatures.IFOREST.length];

  IsolationForestDetector(IsolationForest forest, double threshold) {
    this.forest = forest;
    this.threshold = threshold;
  }

  /** The Smile version on the classpath. */
  public static String smileVersion() {
    String v = IsolationForest.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  /**
   * Fits on snapshot feature vectors (full {@link SnapshotFeatures} rows).
   *
   * @param rows at least 2 rows
   */
  public static IsolationForestDetector fit(float[][] rows, Params p, long seed) {
    if (rows.length < 2) {
      throw new IllegalArgumentException("an isolation forest needs at least 2 rows, got " + rows.length);
    }
    ModelRuntime.configureOffline();
    double[][] x = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      x[i] = select(rows[i], new double[SnapshotFeatures.IFOREST.length]);
    }
    double fraction = Math.min(1.0, p.subsample() / (double) rows.length);
    IsolationForest forest;
    synchronized (MathEx.class) {
      MathEx.setSeed(seed);
      forest = IsolationForest.fit(x, p.trees(), p.maxDepth(), fraction, 0);
    }
    double threshold = DEFAULT_THRESHOLD;
    if (p.contamination() > 0) {
      double[] s = forest.score(x);
      Arrays.sort(s);
      int idx = (int) Math.min(s.length - 1, Math.floor((1 - p.contamination()) * s.length));
      threshold = s[idx];
    }
    return new IsolationForestDetector(forest, threshold);
  }

  private static double[] select(float[] features, double[] out) {
    if (features.length != SnapshotFeatures.DIM) {
      throw new IllegalArgumentException(
          "expected " + SnapshotFeatures.DIM + " snapshot features, got " + features.length);
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = features[SnapshotFeatures.IFOREST[i]];
    }
    return out;
  }

  /** The score threshold (on Smile's score). */
  public double threshold() {
    return threshold;
  }

  /** The same forest with another threshold. */
  public IsolationForestDetector withThreshold(double t) {
    return new IsolationForestDetector(forest, t);
  }

  /** Smile's anomaly score of a snapshot feature vector. */
  public double rawScore(float[] features) {
    synchronized (scratch) {
      return forest.score(select(features, scratch));
    }
  }

  /**
   * The vote on a feature vector. The score maps Smile's excess over 0.5 relative to the
   * threshold's: 0.5 at the threshold.
   */
  public DetectorVote vote(float[] features) {
    double s = rawScore(features);
    double ratio = Math.max(0, s - 0.5) / Math.max(1e-6, threshold - 0.5);
    return new DetectorVote(NAME, DetectorVote.score(ratio), s > threshold);
  }

  /** Writes header (Smile version, threshold, feature indices) and the serialized forest. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeUTF(smileVersion());
    d.writeUTF(SnapshotFeatures.SCHEMA);
    d.writeDouble(threshold);
    ObjectOutputStream o = new ObjectOutputStream(d);
    o.writeObject(forest);
    o.flush();
  }

  /**
   * Reads what {@link #save} wrote.
   *
   * @param source names the data in error messages
   * @throws ModelException when the data is not such a model, or of another Smile version or
   *     feature schema
   */
  public static IsolationForestDetector load(InputStream in, String source) {
    ModelRuntime.configureOffline();
    try {
      DataInputStream d = new DataInputStream(in);
      int magic = d.readInt();
      if (magic != MAGIC) {
        throw new ModelException(
            source + ": not an isolation forest model (magic " + Integer.toHexString(magic) + ")");
      }
      String version = d.readUTF();
      if (!version.equals(smileVersion())) {
        throw new ModelException(
            source + ": isolation forest was saved by Smile " + version + ", this is Smile "
                + smileVersion() + "; retrain it");
      }
      String schema = d.readUTF();
      if (!schema.equals(SnapshotFeatures.SCHEMA)) {
        throw new ModelException(
            source + ": isolation forest reads features " + schema + ", this code "
                + SnapshotFeatures.SCHEMA);
      }
      double threshold = d.readDouble();
      if (!(threshold > 0 && threshold < 1)) {
        throw new ModelException(source + ": isolation forest threshold " + threshold + " out of (0, 1)");
      }
      ObjectInputStream o = new ObjectInputStream(d);
      o.setObjectInputFilter(
          ObjectInputFilter.Config.createFilter("smile.**;java.lang.*;java.util.*;!*"));
      Object forest = o.readObject();
      if (!(forest instanceof IsolationForest f)) {
        throw new ModelException(source + ": holds a " + forest.getClass().getName() + ", not an IsolationForest");
      }
      return new IsolationForestDetector(f, threshold);
    } catch (IOException | ClassNotFoundException e) {
      throw new ModelException(source + ": truncated or unreadable isolation forest: " + e, e);
    }
  }
}
