package dev.autopilot.agents.recovery.policy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The symptoms found at one tick: each with a strength in [0, 1], the operator or node it points at
 * (or null) and a human-readable detail.
 *
 * @param tick the tick
 * @param findings symptom to finding; absent symptoms have strength 0
 */
public record Symptoms(long tick, Map<Symptom, Finding> findings) {

  public Symptoms {
    Map<Symptom, Finding> copy = new EnumMap<>(Symptom.class);
    copy.putAll(findings);
    findings = Collections.unmodifiableMap(copy);
  }

  /** No symptom at all. */
  public static Symptoms none(long tick) {
    return new Symptoms(tick, new EnumMap<>(Symptom.class));
  }

  /**
   * One symptom's finding.
   *
   * @param symptom the symptom
   * @param strength 0..1
   * @param operator the operator it points at, or null
   * @param node the node it points at, or null
   * @param detail human-readable observation
   */
  public record Finding(
      Symptom symptom, double strength, String operator, String node, String detail) {}

  public double strength(Symptom s) {
    Finding f = findings.get(s);
    return f == null ? 0 : f.strength();
  }

  public Finding finding(Symptom s) {
    return findings.get(s);
  }

  /** Findings with at least the given strength, strongest first. */
  public List<Finding> present(double minStrength) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings.values()) {
      if (f.strength() >= minStrength) {
        out.add(f);
      }
    }
    out.sort((a, b) -> Double.compare(b.strength(), a.strength()));
    return out;
  }
}
