package dev.autopilot.agents.recovery.detect;

import dev.autopilot.api.Diagnostics.DetectorVote;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.model.ModelRuntime;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import smile.anomaly.IsolationForest;
import smile.math.MathEx;

/**
 * Isolation forest (Smile) over five snapshot features: checkpoint duration, buffer occupancy,
 * operator busy time, network latency and heap use ({@link SnapshotFeatures#IFOREST}). Smile's
 * score is near or below 0.5 for ordinary points and approaches 1 for isolated ones; the detector
 * votes when it exceeds a threshold set from the training scores (the {@code 1 - contamination}
 * quantile), or {@link #DEFAULT_THRESHOLD} when fitted without contamination. On data with many
 * near-identical normal points the calibrated threshold can lie below 0.5, which is why scores are
 * measured from the median training score rather than from 0.5.
 *
 * <p>Stateless after fitting and safe to share ({@link #rawScore} serializes its scratch buffer).
 * It is saved with Java serialization (Smile's own format), gzip-compressed, behind a header with
 * the Smile version, feature schema, median score and threshold; loading refuses another Smile
 * version and deserializes only Smile and JDK classes.
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

  /**
   * The Smile version this module is built against (agents/recovery pom); used when the jar
   * manifest is not available (for example in a shaded jar).
   */
  static final String BUILT_SMILE_VERSION = "3.1.1";

  private final IsolationForest forest;
  private final double base;
  private final double threshold;
  private final double[] scratch = new double[SnapshotFeatures.IFOREST.length];

  IsolationForestDetector(IsolationForest forest, double base, double threshold) {
    if (!(threshold > base)) {
      throw new IllegalArgumentException(
          "isolation forest threshold " + threshold + " must exceed the median score " + base);
    }
    this.forest = forest;
    this.base = base;
    this.threshold = threshold;
  }

  /** The Smile version on the classpath (from its jar manifest, else the built-against one). */
  public static String smileVersion() {
    String v = IsolationForest.class.getPackage().getImplementationVersion();
    return v == null ? BUILT_SMILE_VERSION : v;
  }

  /**
   * Fits on snapshot feature vectors (full {@link SnapshotFeatures} rows).
   *
   * @param rows at least 2 rows
   */
  public static IsolationForestDetector fit(float[][] rows, Params p, long seed) {
    if (rows.length < 2) {
      throw new IllegalArgumentException(
          "an isolation forest needs at least 2 rows, got " + rows.length);
    }
    ModelRuntime.configureOffline();
    double[][] x = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      x[i] = select(rows[i], new double[SnapshotFeatures.IFOREST.length]);
    }
    double fraction = Math.min(1.0, p.subsample() / (double) rows.length);
    // Smile grows the trees in a parallel stream, each worker drawing from its own thread-local
    // generator: in a one-thread pool every tree draws from the one generator seeded here, so a
    // seed gives the same forest.
    IsolationForest forest;
    ForkJoinPool pool = new ForkJoinPool(1);
    try {
      forest =
          pool.submit(
                  () -> {
                    MathEx.setSeed(seed);
                    return IsolationForest.fit(x, p.trees(), p.maxDepth(), fraction, 0);
                  })
              .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fitting the isolation forest", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("isolation forest fit failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdown();
    }
    double[] s = forest.score(x);
    Arrays.sort(s);
    double base = s[s.length / 2];
    double threshold = DEFAULT_THRESHOLD;
    if (p.contamination() > 0) {
      int idx = (int) Math.min(s.length - 1, Math.floor((1 - p.contamination()) * s.length));
      threshold = s[idx];
    }
    if (!(threshold > base)) { // degenerate (near-constant) training data
      threshold = base + 1e-6;
    }
    return new IsolationForestDetector(forest, base, threshold);
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

  /** Median of the training scores: a typical normal tick's score. */
  public double base() {
    return base;
  }

  /** The same forest with another threshold (above {@link #base()}). */
  public IsolationForestDetector withThreshold(double t) {
    return new IsolationForestDetector(forest, base, t);
  }

  /** Whether both detectors score with the same forest object (a shared, read-only forest). */
  public boolean sharesForestWith(IsolationForestDetector other) {
    return other != null && forest == other.forest;
  }

  /** Smile's anomaly score of a snapshot feature vector. */
  public double rawScore(float[] features) {
    synchronized (scratch) {
      return forest.score(select(features, scratch));
    }
  }

  /**
   * The vote on a feature vector. The score maps Smile's excess over the median training score
   * relative to the threshold's: 0 at or below the median, 0.5 at the threshold.
   */
  public DetectorVote vote(float[] features) {
    double s = rawScore(features);
    double ratio = Math.max(0, s - base) / (threshold - base);
    return new DetectorVote(NAME, VoteScore.ofRatio(ratio), s > threshold);
  }

  /** Writes header (Smile version, threshold, feature indices) and the serialized forest. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeUTF(smileVersion());
    d.writeUTF(SnapshotFeatures.SCHEMA);
    d.writeDouble(base);
    d.writeDouble(threshold);
    d.flush();
    GZIPOutputStream z = new GZIPOutputStream(new NonClosing(out));
    ObjectOutputStream o = new ObjectOutputStream(z);
    o.writeObject(forest);
    o.flush();
    z.finish();
    z.flush();
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
            source
                + ": isolation forest was saved by Smile "
                + version
                + ", this is Smile "
                + smileVersion()
                + "; retrain it");
      }
      String schema = d.readUTF();
      if (!schema.equals(SnapshotFeatures.SCHEMA)) {
        throw new ModelException(
            source
                + ": isolation forest reads features "
                + schema
                + ", this code "
                + SnapshotFeatures.SCHEMA);
      }
      double base = d.readDouble();
      double threshold = d.readDouble();
      if (!(threshold > 0 && threshold < 1 && base >= 0 && base < threshold)) {
        throw new ModelException(
            source
                + ": isolation forest median "
                + base
                + " and threshold "
                + threshold
                + " are not 0 <= median < threshold < 1");
      }
      ObjectInputStream o = new ObjectInputStream(new GZIPInputStream(d));
      o.setObjectInputFilter(
          ObjectInputFilter.Config.createFilter("smile.**;java.lang.*;java.util.*;!*"));
      Object forest = o.readObject();
      if (!(forest instanceof IsolationForest f)) {
        throw new ModelException(
            source + ": holds a " + forest.getClass().getName() + ", not an IsolationForest");
      }
      return new IsolationForestDetector(f, base, threshold);
    } catch (IOException | ClassNotFoundException e) {
      throw new ModelException(source + ": truncated or unreadable isolation forest: " + e, e);
    }
  }

  /** Keeps the caller's stream open when the compressor is finished. */
  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
