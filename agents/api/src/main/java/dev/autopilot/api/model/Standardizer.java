package dev.autopilot.api.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Per-feature mean and standard deviation, learned from training rows and applied as {@code (x -
 * mean) / std}. A feature whose spread is below {@link #MIN_STD} keeps a unit scale, so a constant
 * feature maps to zero instead of dividing by zero. Immutable and thread-safe.
 */
public final class Standardizer {

  /** Smallest standard deviation used as a scale. */
  public static final double MIN_STD = 1e-6;

  private final float[] mean;
  private final float[] std;

  private Standardizer(float[] mean, float[] std) {
    this.mean = mean;
    this.std = std;
  }

  /** Builds one from explicit means and scales (copied). */
  public static Standardizer of(float[] mean, float[] std) {
    if (mean.length != std.length) {
      throw new IllegalArgumentException(
          "mean has " + mean.length + " features, std has " + std.length);
    }
    float[] s = std.clone();
    for (int j = 0; j < s.length; j++) {
      if (!(s[j] >= MIN_STD)) {
        s[j] = 1f;
      }
    }
    return new Standardizer(mean.clone(), s);
  }

  /**
   * Learns the mean and standard deviation of each column.
   *
   * @param rows at least one row; all rows of the same length, finite values
   */
  public static Standardizer fit(float[][] rows) {
    if (rows.length == 0) {
      throw new IllegalArgumentException("cannot standardize zero rows");
    }
    int d = rows[0].length;
    double[] sum = new double[d];
    double[] sq = new double[d];
    for (int i = 0; i < rows.length; i++) {
      float[] r = rows[i];
      if (r.length != d) {
        throw new IllegalArgumentException(
            "row " + i + " has " + r.length + " features, row 0 has " + d);
      }
      for (int j = 0; j < d; j++) {
        if (!Float.isFinite(r[j])) {
          throw new IllegalArgumentException("row " + i + " feature " + j + " is " + r[j]);
        }
        sum[j] += r[j];
      }
    }
    float[] mean = new float[d];
    for (int j = 0; j < d; j++) {
      mean[j] = (float) (sum[j] / rows.length);
    }
    for (float[] r : rows) {
      for (int j = 0; j < d; j++) {
        double e = r[j] - mean[j];
        sq[j] += e * e;
      }
    }
    float[] std = new float[d];
    for (int j = 0; j < d; j++) {
      std[j] = (float) Math.sqrt(sq[j] / rows.length);
    }
    return of(mean, std);
  }

  /** Number of features. */
  public int dim() {
    return mean.length;
  }

  /** Mean of feature {@code j}. */
  public float mean(int j) {
    return mean[j];
  }

  /** Scale of feature {@code j} (at least {@link #MIN_STD}). */
  public float std(int j) {
    return std[j];
  }

  /** Standardizes {@code in} into {@code out} (may be the same array). */
  public void transform(float[] in, float[] out) {
    if (in.length != mean.length || out.length != mean.length) {
      throw new IllegalArgumentException(
          "expected " + mean.length + " features, got " + in.length + " -> " + out.length);
    }
    for (int j = 0; j < mean.length; j++) {
      out[j] = (in[j] - mean[j]) / std[j];
    }
  }

  /** A standardized copy of a row. */
  public float[] transform(float[] row) {
    float[] out = new float[row.length];
    transform(row, out);
    return out;
  }

  /** Standardized copies of rows. */
  public float[][] transform(float[][] rows) {
    float[][] out = new float[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      out[i] = transform(rows[i]);
    }
    return out;
  }

  /** Maps a standardized value of feature {@code j} back to its original unit. */
  public float inverse(int j, float z) {
    return z * std[j] + mean[j];
  }

  /** Writes dimension, means and scales. */
  public void write(DataOutputStream out) throws IOException {
    out.writeInt(mean.length);
    for (int j = 0; j < mean.length; j++) {
      out.writeFloat(mean[j]);
      out.writeFloat(std[j]);
    }
  }

  /** Reads what {@link #write} wrote. */
  public static Standardizer read(DataInputStream in) throws IOException {
    int d = in.readInt();
    if (d <= 0 || d > 1_000_000) {
      throw new IOException("implausible standardizer dimension " + d);
    }
    float[] mean = new float[d];
    float[] std = new float[d];
    for (int j = 0; j < d; j++) {
      mean[j] = in.readFloat();
      std[j] = in.readFloat();
      if (!Float.isFinite(mean[j]) || !Float.isFinite(std[j])) {
        throw new IOException("standardizer feature " + j + " is not finite");
      }
    }
    return of(mean, std);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardizer s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }
}
