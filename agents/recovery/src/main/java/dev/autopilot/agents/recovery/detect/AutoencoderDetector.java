package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.detect.nn.Autoencoder;
import dev.autopilot.api.Diagnostics.DetectorVote;
import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.model.TrainOptions;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Autoencoder over the full {@link SnapshotFeatures} vector, trained on normal ticks only. It votes
 * when the reconstruction error (MSE on standardized features) exceeds its threshold: {@link
 * #DEFAULT_THRESHOLD} until {@link #calibrate calibrated} on held-out normal data.
 *
 * <p>Not thread-safe (the autoencoder reuses native buffers); owns native memory: close it.
 */
public final class AutoencoderDetector implements AutoCloseable {

  /** Detector name in votes and bundles. */
  public static final String NAME = "autoencoder";

  /** Threshold on the standardized reconstruction error before calibration. */
  public static final double DEFAULT_THRESHOLD = 0.08;

  private static final int MAGIC = 0x41454431; // "AED1"

  private final Autoencoder autoencoder;
  private double threshold;

  AutoencoderDetector(Autoencoder autoencoder, double threshold) {
    this.autoencoder = autoencoder;
    this.threshold = threshold;
  }

  /** Fits on normal snapshot feature vectors. */
  public static AutoencoderDetector fit(
      float[][] normalRows, TrainOptions o, FitProgress progress) {
    for (int i = 0; i < normalRows.length; i++) {
      if (normalRows[i].length != SnapshotFeatures.DIM) {
        throw new IllegalArgumentException(
            "row "
                + i
                + " has "
                + normalRows[i].length
                + " features, expected "
                + SnapshotFeatures.DIM);
      }
    }
    return new AutoencoderDetector(Autoencoder.fit(normalRows, o, progress), DEFAULT_THRESHOLD);
  }

  /**
   * Sets the threshold to the {@code quantile} of the reconstruction errors of held-out normal
   * rows.
   *
   * @return the new threshold
   */
  public double calibrate(float[][] normalRows, double quantile) {
    if (normalRows.length == 0 || !(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException(
          "calibration needs rows and a quantile in (0, 1), got "
              + normalRows.length
              + ", "
              + quantile);
    }
    double[] e = errors(normalRows);
    Arrays.sort(e);
    threshold = e[(int) Math.min(e.length - 1, Math.floor(quantile * e.length))];
    return threshold;
  }

  /** Reconstruction errors of many rows. */
  public double[] errors(float[][] rows) {
    return autoencoder.reconstructionErrors(rows);
  }

  public double threshold() {
    return threshold;
  }

  /** Sets the threshold explicitly. */
  public void threshold(double t) {
    if (!(t > 0)) {
      throw new IllegalArgumentException("autoencoder threshold must be > 0, got " + t);
    }
    threshold = t;
  }

  public Autoencoder autoencoder() {
    return autoencoder;
  }

  /** The vote on a feature vector: score 0.5 at the threshold. */
  public DetectorVote vote(float[] features) {
    return voteOnError(autoencoder.reconstructionError(features));
  }

  /** The vote for a reconstruction error computed elsewhere (batch evaluation). */
  public DetectorVote voteOnError(double error) {
    return new DetectorVote(NAME, VoteScore.ofRatio(error / threshold), error > threshold);
  }

  /** Writes the threshold, the feature schema and the autoencoder. */
  public void save(OutputStream out) throws IOException {
    DataOutputStream d = new DataOutputStream(out);
    d.writeInt(MAGIC);
    d.writeUTF(SnapshotFeatures.SCHEMA);
    d.writeDouble(threshold);
    d.flush();
    autoencoder.save(d);
  }

  /**
   * Reads what {@link #save} wrote.
   *
   * @throws ModelException when the data is not such a model or of another feature schema
   */
  public static AutoencoderDetector load(InputStream in, String source) {
    try {
      DataInputStream d = new DataInputStream(in);
      int magic = d.readInt();
      if (magic != MAGIC) {
        throw new ModelException(
            source + ": not an autoencoder detector (magic " + Integer.toHexString(magic) + ")");
      }
      String schema = d.readUTF();
      if (!schema.equals(SnapshotFeatures.SCHEMA)) {
        throw new ModelException(
            source
                + ": autoencoder reads features "
                + schema
                + ", this code "
                + SnapshotFeatures.SCHEMA);
      }
      double threshold = d.readDouble();
      if (!(threshold > 0) || !Double.isFinite(threshold)) {
        throw new ModelException(
            source + ": autoencoder threshold " + threshold + " is not positive");
      }
      Autoencoder ae = Autoencoder.load(d, source);
      if (ae.dim() != SnapshotFeatures.DIM) {
        ae.close();
        throw new ModelException(
            source
                + ": autoencoder reads "
                + ae.dim()
                + " features, schema has "
                + SnapshotFeatures.DIM);
      }
      return new AutoencoderDetector(ae, threshold);
    } catch (IOException e) {
      throw new ModelException(source + ": truncated or unreadable autoencoder detector: " + e, e);
    }
  }

  @Override
  public void close() {
    autoencoder.close();
  }
}
