package dev.autopilot.agents.optimization.search;

import dev.autopilot.api.PipelineConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The box the searches move in: one {@link Dimension} per knob, with inclusive bounds and the
 * values the small exhaustive grid takes. A point is a {@code double[]} with one value per
 * dimension; the searches move continuously and {@link #snap} rounds integer knobs only when a
 * point becomes a configuration, so ±10 % moves of a small value can still add up.
 *
 * <p>The optimizer's space ({@link #pipeline}) has 8 dimensions, in this order: the parallelism of
 * each key operator (4 by default: parse, enrich, transform, window-agg), the network buffer (MB),
 * the checkpoint interval (s), the TaskManager memory (GB) and the TaskManager cores. The number of
 * TaskManagers is not a knob: it follows from the parallelism ({@link #toConfig}), as the slots the
 * job needs with slot sharing. Searches on analytic functions build other spaces with {@link #of}.
 */
public final class ConfigSpace {

  /** Index of the network buffer in a pipeline point, after the key operators. */
  public static final int BUFFER = 0;

  /** Offset of the checkpoint interval after the key operators. */
  public static final int CHECKPOINT = 1;

  /** Offset of the TaskManager memory after the key operators. */
  public static final int MEMORY = 2;

  /** Offset of the TaskManager cores after the key operators. */
  public static final int CPU = 3;

  /**
   * One knob.
   *
   * @param name knob name (for reports)
   * @param min lower bound, inclusive
   * @param max upper bound, inclusive
   * @param integer whether configurations take it rounded to an integer
   * @param grid values on the exhaustive grid, each inside the bounds
   */
  public record Dimension(String name, double min, double max, boolean integer, List<Double> grid) {
    public Dimension {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a dimension needs a name");
      }
      if (!(Double.isFinite(min) && Double.isFinite(max) && max >= min)) {
        throw new IllegalArgumentException(
            "dimension "
                + name
                + ": need finite bounds min <= max, got ["
                + min
                + ", "
                + max
                + "]");
      }
      grid = List.copyOf(grid == null || grid.isEmpty() ? List.of(min, max) : grid);
      for (double v : grid) {
        if (v < min || v > max) {
          throw new IllegalArgumentException(
              "dimension " + name + ": grid value " + v + " outside [" + min + ", " + max + "]");
        }
      }
    }

    /** The width of the range. */
    public double span() {
      return max - min;
    }
  }

  private final List<Dimension> dims;
  private final List<String> keyOperators; // empty unless a pipeline space

  private ConfigSpace(List<Dimension> dims, List<String> keyOperators) {
    if (dims == null || dims.isEmpty()) {
      throw new IllegalArgumentException("a configuration space needs at least one dimension");
    }
    this.dims = List.copyOf(dims);
    this.keyOperators = List.copyOf(keyOperators);
  }

  /** A space of arbitrary dimensions (no mapping to a pipeline configuration). */
  public static ConfigSpace of(List<Dimension> dims) {
    return new ConfigSpace(dims, List.of());
  }

  /** The optimizer's space over a pipeline's knobs, from the settings. */
  public static ConfigSpace pipeline(SearchSettings s) {
    SearchSettings.Space b = s.space();
    SearchSettings.Grid g = s.grid();
    List<Dimension> dims = new ArrayList<>();
    for (String op : s.keyOperators()) {
      dims.add(dim("parallelism." + op, b.parallelismMin(), b.parallelismMax(), g.parallelism()));
    }
    dims.add(dim("network-buffer-mb", b.bufferMbMin(), b.bufferMbMax(), g.bufferMb()));
    dims.add(
        dim(
            "checkpoint-interval-seconds",
            b.checkpointSecondsMin(),
            b.checkpointSecondsMax(),
            g.checkpointSeconds()));
    dims.add(dim("task-manager-memory-gb", b.memoryGbMin(), b.memoryGbMax(), g.memoryGb()));
    dims.add(dim("task-manager-cpu", b.cpuMin(), b.cpuMax(), g.cpu()));
    return new ConfigSpace(dims, s.keyOperators());
  }

  private static Dimension dim(String name, int min, int max, List<Integer> grid) {
    return new Dimension(name, min, max, true, grid.stream().map(Integer::doubleValue).toList());
  }

  public int size() {
    return dims.size();
  }

  public Dimension dimension(int i) {
    return dims.get(i);
  }

  public List<Dimension> dimensions() {
    return dims;
  }

  /** The key operators of a pipeline space (empty for other spaces). */
  public List<String> keyOperators() {
    return keyOperators;
  }

  /** The point moved inside the bounds, dimension by dimension. */
  public double[] clamp(double[] x) {
    check(x);
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      Dimension d = dims.get(i);
      y[i] = Math.max(d.min(), Math.min(d.max(), x[i]));
    }
    return y;
  }

  /** Whether every coordinate is inside its bounds. */
  public boolean contains(double[] x) {
    check(x);
    for (int i = 0; i < x.length; i++) {
      if (!(x[i] >= dims.get(i).min() && x[i] <= dims.get(i).max())) {
        return false;
      }
    }
    return true;
  }

  /** The point with integer dimensions rounded (and clamped). */
  public double[] snap(double[] x) {
    double[] y = clamp(x);
    for (int i = 0; i < y.length; i++) {
      if (dims.get(i).integer()) {
        y[i] = Math.max(dims.get(i).min(), Math.min(dims.get(i).max(), Math.rint(y[i])));
      }
    }
    return y;
  }

  /** A uniformly random point of the box. */
  public double[] random(SplittableRandom rnd) {
    double[] x = new double[dims.size()];
    for (int i = 0; i < x.length; i++) {
      Dimension d = dims.get(i);
      x[i] = d.span() == 0 ? d.min() : d.min() + rnd.nextDouble() * d.span();
    }
    return x;
  }

  /** The point mapped to the unit cube. */
  public double[] toUnit(double[] x) {
    check(x);
    double[] u = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      Dimension d = dims.get(i);
      u[i] = d.span() == 0 ? 0 : (x[i] - d.min()) / d.span();
    }
    return u;
  }

  /** A point of the unit cube mapped into the box (and clamped). */
  public double[] fromUnit(double[] u) {
    check(u);
    double[] x = new double[u.length];
    for (int i = 0; i < u.length; i++) {
      Dimension d = dims.get(i);
      x[i] = d.min() + Math.max(0, Math.min(1, u[i])) * d.span();
    }
    return x;
  }

  /** Number of points of the exhaustive grid. */
  public long gridSize() {
    long n = 1;
    for (Dimension d : dims) {
      n = Math.multiplyExact(n, d.grid().size());
    }
    return n;
  }

  /** Every point of the exhaustive grid, the last dimension varying fastest. */
  public List<double[]> grid() {
    long n = gridSize();
    if (n > 1_000_000) {
      throw new IllegalStateException("grid of " + n + " points is too large to enumerate");
    }
    List<double[]> out = new ArrayList<>((int) n);
    int[] at = new int[dims.size()];
    for (long k = 0; k < n; k++) {
      double[] x = new double[dims.size()];
      for (int i = 0; i < x.length; i++) {
        x[i] = dims.get(i).grid().get(at[i]);
      }
      out.add(x);
      for (int i = dims.size() - 1; i >= 0; i--) {
        if (++at[i] < dims.get(i).grid().size()) {
          break;
        }
        at[i] = 0;
      }
    }
    return out;
  }

  /**
   * The configuration a pipeline point stands for: the base configuration with the key operators'
   * parallelism, buffer, checkpoint interval, TaskManager memory and cores of the (snapped) point,
   * and as many TaskManagers as the job's largest parallelism needs slots ({@code ceil(max p /
   * slots per TaskManager)}).
   *
   * @throws IllegalStateException when this is not a pipeline space
   * @throws IllegalArgumentException when the base configuration lacks a key operator
   */
  public PipelineConfig toConfig(double[] x, PipelineConfig base) {
    if (keyOperators.isEmpty()) {
      throw new IllegalStateException("not a pipeline configuration space");
    }
    double[] s = snap(x);
    int k = keyOperators.size();
    Map<String, Integer> p = new LinkedHashMap<>();
    for (int i = 0; i < k; i++) {
      p.put(keyOperators.get(i), (int) s[i]);
    }
    PipelineConfig c = base.withParallelism(p);
    int slots = Math.max(1, c.slotsPerTaskManager());
    int tms = (c.requiredSlots() + slots - 1) / slots;
    return c.withNetworkBufferMb((int) s[k + BUFFER])
        .withCheckpointIntervalSeconds((int) s[k + CHECKPOINT])
        .withResources(s[k + CPU], s[k + MEMORY])
        .withTaskManagers(Math.max(1, tms));
  }

  /** The pipeline point of a configuration (its key operators and knobs, not clamped). */
  public double[] fromConfig(PipelineConfig c) {
    if (keyOperators.isEmpty()) {
      throw new IllegalStateException("not a pipeline configuration space");
    }
    int k = keyOperators.size();
    double[] x = new double[k + 4];
    for (int i = 0; i < k; i++) {
      x[i] = c.parallelismOf(keyOperators.get(i));
    }
    x[k + BUFFER] = c.networkBufferMb();
    x[k + CHECKPOINT] = c.checkpointIntervalSeconds();
    x[k + MEMORY] = c.taskManagerMemoryGb();
    x[k + CPU] = c.taskManagerCpu();
    return x;
  }

  private void check(double[] x) {
    if (x == null || x.length != dims.size()) {
      throw new IllegalArgumentException(
          "a point of this space has "
              + dims.size()
              + " coordinates, got "
              + (x == null ? "null" : x.length));
    }
  }
}
