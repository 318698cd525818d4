package dev.autopilot.agents.optimization.placement;

/**
 * An amount of the four resources a TaskManager pod requests and a node offers: CPU cores, memory
 * (GB), local disk (GB) and network bandwidth (Gbit/s). Never negative.
 *
 * @param cpu cores
 * @param memoryGb memory, GB
 * @param diskGb local disk, GB
 * @param networkGbps network bandwidth, Gbit/s
 */
public record Resources(double cpu, double memoryGb, double diskGb, double networkGbps) {

  /** The number of resource dimensions. */
  public static final int DIMENSIONS = 4;

  /** Nothing. */
  public static final Resources ZERO = new Resources(0, 0, 0, 0);

  /** Slack of the capacity checks, so that sums of doubles that fill a node exactly still fit. */
  static final double EPSILON = 1e-9;

  public Resources {
    check("cpu", cpu);
    check("memoryGb", memoryGb);
    check("diskGb", diskGb);
    check("networkGbps", networkGbps);
  }

  private static void check(String name, double v) {
    if (!Double.isFinite(v) || v < 0) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + v);
    }
  }

  /** The amount of dimension {@code r} (0 cpu, 1 memory, 2 disk, 3 network). */
  public double get(int r) {
    return switch (r) {
      case 0 -> cpu;
      case 1 -> memoryGb;
      case 2 -> diskGb;
      case 3 -> networkGbps;
      default -> throw new IndexOutOfBoundsException("resource dimension " + r);
    };
  }

  /** The sum. */
  public Resources plus(Resources o) {
    return new Resources(
        cpu + o.cpu, memoryGb + o.memoryGb, diskGb + o.diskGb, networkGbps + o.networkGbps);
  }

  /** The difference, floored at zero in each dimension (free capacity is never negative). */
  public Resources minus(Resources o) {
    return new Resources(
        Math.max(0, cpu - o.cpu),
        Math.max(0, memoryGb - o.memoryGb),
        Math.max(0, diskGb - o.diskGb),
        Math.max(0, networkGbps - o.networkGbps));
  }

  /** Whether this amount fits into {@code free} in every dimension. */
  public boolean fitsIn(Resources free) {
    for (int r = 0; r < DIMENSIONS; r++) {
      if (get(r) > free.get(r) + EPSILON) {
        return false;
      }
    }
    return true;
  }

  /**
   * This amount as a share of {@code capacity}, per dimension; a dimension the capacity lacks
   * (zero) gives 0.
   */
  public double[] normalisedBy(Resources capacity) {
    double[] out = new double[DIMENSIONS];
    for (int r = 0; r < DIMENSIONS; r++) {
      double c = capacity.get(r);
      out[r] = c > 0 ? get(r) / c : 0;
    }
    return out;
  }
}
