package dev.autopilot.runtime.sim;

import com.typesafe.config.Config;

/**
 * A marathon-like surge on top of a normal day: the built-in generator's diurnal cycle (its weekly
 * shape and noise, without special events or month-end periods, averaging {@code
 * autopilot.simulation.workload.average-rate}, 850k events/s by default), plus one surge that
 * ramps the offered load up to {@link Settings#peakRate()} (5.2M events/s by default), holds it and
 * ramps back down.
 *
 * <p>The surge is a blend, {@code base(t) + f(t) · max(0, peak − base(t))}, with {@code f} rising
 * from 0 to 1 along a half cosine over the ramp-up, 1 over the hold and falling back along a half
 * cosine over the ramp-down; the noise of the base carries through. Pure function of the tick,
 * precomputed by the base.
 */
public final class MarathonWorkload implements Workload {

  /**
   * The surge, read from {@code autopilot.simulation.marathon}.
   *
   * @param peakRate offered load at the top of the surge, events/s
   * @param surgeStartHours event time from tick 0 to the start of the ramp-up, hours
   * @param rampUpMinutes length of the ramp-up, minutes
   * @param holdMinutes time the surge stays at its peak, minutes
   * @param rampDownMinutes length of the ramp-down, minutes
   */
  public record Settings(
      double peakRate,
      double surgeStartHours,
      double rampUpMinutes,
      double holdMinutes,
      double rampDownMinutes) {

    public Settings {
      require(peakRate > 0 && Double.isFinite(peakRate), "peak-rate must be > 0");
      require(surgeStartHours >= 0 && Double.isFinite(surgeStartHours), "surge-start must be >= 0");
      require(rampUpMinutes > 0 && Double.isFinite(rampUpMinutes), "ramp-up must be > 0");
      require(holdMinutes >= 0 && Double.isFinite(holdMinutes), "hold must be >= 0");
      require(rampDownMinutes > 0 && Double.isFinite(rampDownMinutes), "ramp-down must be > 0");
    }

    /** Reads {@code autopilot.simulation.marathon} from a full configuration. */
    public static Settings create(Config root) {
      Config c = root.getConfig("autopilot.simulation.marathon");
      return new Settings(
          c.getDouble("peak-rate"),
          c.getDuration("surge-start").toSeconds() / 3600.0,
          c.getDuration("ramp-up").toSeconds() / 60.0,
          c.getDuration("hold").toSeconds() / 60.0,
          c.getDuration("ramp-down").toSeconds() / 60.0);
    }

    /** Event time from the start of the ramp-up to the end of the ramp-down, hours. */
    public double surgeHours() {
      return (rampUpMinutes + holdMinutes + rampDownMinutes) / 60.0;
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("autopilot.simulation.marathon: " + message);
      }
    }
  }

  private final Workload base;
  private final Settings surge;
  private final int tickSeconds;

  /**
   * @param base the normal load the surge is laid over
   * @param surge the surge
   * @param tickSeconds event time per tick
   */
  public MarathonWorkload(Workload base, Settings surge, int tickSeconds) {
    if (tickSeconds < 1) {
      throw new IllegalArgumentException("tickSeconds must be >= 1, was " + tickSeconds);
    }
    this.base = base;
    this.surge = surge;
    this.tickSeconds = tickSeconds;
  }

  /**
   * The marathon scenario's workload: the generator's normal days (no special events, no
   * month-end) averaging {@code sim.workload().averageRate()}, with the surge on top.
   */
  public static MarathonWorkload create(SimSettings sim, Settings surge, long seed, long ticks) {
    SimSettings.WorkloadSettings w = sim.workload();
    SimSettings.WorkloadSettings normal =
        new SimSettings.WorkloadSettings(
            w.averageRate(),
            w.diurnalPeakToTrough(),
            w.diurnalSharpness(),
            w.peakHour(),
            w.weekendFactor(),
            0,
            w.eventFactor(),
            w.eventHours(),
            new SimSettings.Range(1, 1),
            w.monthEndDays(),
            w.noise());
    GeneratedWorkload days =
        new GeneratedWorkload(normal, seed, ticks, sim.tickSeconds(), sim.startEpochMillis());
    return new MarathonWorkload(days, surge, sim.tickSeconds());
  }

  @Override
  public double offeredRate(long tick) {
    double b = base.offeredRate(tick);
    return b + surgeFactor(tick) * Math.max(0, surge.peakRate() - b);
  }

  /** The surge's blend factor at a tick: 0 outside the surge, 1 at its hold. */
  public double surgeFactor(long tick) {
    double minutes = tick * tickSeconds / 60.0 - surge.surgeStartHours() * 60;
    if (minutes < 0) {
      return 0;
    }
    if (minutes < surge.rampUpMinutes()) {
      return halfCosine(minutes / surge.rampUpMinutes());
    }
    minutes -= surge.rampUpMinutes();
    if (minutes < surge.holdMinutes()) {
      return 1;
    }
    minutes -= surge.holdMinutes();
    if (minutes < surge.rampDownMinutes()) {
      return 1 - halfCosine(minutes / surge.rampDownMinutes());
    }
    return 0;
  }

  private static double halfCosine(double x) {
    return (1 - Math.cos(Math.PI * x)) / 2;
  }
}
