package dev.autopilot.agents.meta.policy;

/**
 * A closed tested range {@code [min, max]}.
 *
 * @param min lowest tested value
 * @param max highest tested value
 */
public record Range(double min, double max) {
  public Range {
    if (!(min <= max)) {
      throw new IllegalArgumentException("range needs min <= max, got " + min + ".." + max);
    }
  }

  public boolean contains(double value) {
    return value >= min && value <= max;
  }

  @Override
  public String toString() {
    return fmt(min) + ".." + fmt(max);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
