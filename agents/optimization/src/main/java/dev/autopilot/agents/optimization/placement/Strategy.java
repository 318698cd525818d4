package dev.autopilot.agents.optimization.placement;

import java.util.Locale;

/** How {@link Placer} picks a node. */
public enum Strategy {
  /**
   * Tetris (Grandl et al., SIGCOMM'14) alignment scoring: each pod goes to the feasible node whose
   * free capacity is best aligned with its demand ({@link Placer#alignment}).
   */
  TETRIS,
  /** First-fit decreasing: each pod goes to the first node, in node order, where it fits. */
  FIRST_FIT_DECREASING;

  /** Parses a config value: {@code tetris} or {@code ffd} / {@code first-fit-decreasing}. */
  public static Strategy parse(String value) {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "tetris" -> TETRIS;
      case "ffd", "first-fit-decreasing" -> FIRST_FIT_DECREASING;
      default ->
          throw new IllegalArgumentException(
              "unknown placement strategy '" + value + "' (expected tetris or ffd)");
    };
  }
}
