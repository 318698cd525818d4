package dev.autopilot.runtime.bench.baseline;

/**
 * Settings of {@link StaticController} ({@code autopilot.bench.static}).
 *
 * @param humanFixDelayTicks ticks from a fault's start to the human's correct fix
 */
public record StaticSettings(long humanFixDelayTicks) {
  public StaticSettings {
    if (humanFixDelayTicks < 0) {
      throw new IllegalArgumentException(
          "humanFixDelayTicks must be >= 0, was " + humanFixDelayTicks);
    }
  }
}
