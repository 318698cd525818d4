package dev.autopilot.agents.recovery.policy;

import java.util.List;

/**
 * A linear ramp from "no symptom" to "full symptom": {@code apply(x)} is 0 at or below {@code
 * none}, 1 at or beyond {@code full}, linear in between. When {@code full < none} the ramp falls (a
 * small value is the symptom, for example a stuck operator's busy ratio).
 *
 * @param none value at which the strength is 0
 * @param full value at which the strength is 1
 */
public record Ramp(double none, double full) {

  public Ramp {
    if (none == full) {
      throw new IllegalArgumentException("ramp needs two distinct points, got " + none);
    }
  }

  /** Builds a ramp from a two-element configuration list. */
  public static Ramp of(List<Double> points) {
    if (points.size() != 2) {
      throw new IllegalArgumentException("a ramp needs exactly two values, got " + points);
    }
    return new Ramp(points.get(0), points.get(1));
  }

  /** Strength 0..1 of a value. */
  public double apply(double x) {
    if (Double.isNaN(x)) {
      return 0;
    }
    double t = (x - none) / (full - none);
    return Math.max(0, Math.min(1, t));
  }
}
