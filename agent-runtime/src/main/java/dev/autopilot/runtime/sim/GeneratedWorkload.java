package dev.autopilot.runtime.sim;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in, seeded workload: a diurnal cycle (peak-to-trough ratio, 3:1 by default), weekends
 * heavier (x1.4), a few special events a month (x5-8 for 1-3 hours), a month-end period (x2-3 for
 * the last 2-3 days of each calendar month) and multiplicative noise, scaled so that its average
 * over the run equals the configured rate (850k events/s by default).
 *
 * <p>The whole run is precomputed at construction, so {@link #offeredRate} is an array lookup.
 * Ticks past the horizon wrap around.
 */
public final class GeneratedWorkload implements Workload {

  /** A special event: start tick (inclusive), end tick (exclusive) and load factor. */
  public record SpecialEvent(long startTick, long endTick, double factor) {
    public boolean covers(long tick) {
      return tick >= startTick && tick < endTick;
    }
  }

  /** A month-end period: start tick (inclusive), end tick (exclusive) and load factor. */
  public record MonthEnd(long startTick, long endTick, double factor) {
    public boolean covers(long tick) {
      return tick >= startTick && tick < endTick;
    }
  }

  private final SimSettings.WorkloadSettings settings;
  private final int tickSeconds;
  private final long startEpochMillis;
  private final double[] rates;
  private final List<SpecialEvent> events;
  private final List<MonthEnd> monthEnds;

  /**
   * Builds the workload of a run.
   *
   * @param settings workload knobs
   * @param seed random seed (events, month-end lengths, noise)
   * @param ticks horizon of the run, ticks
   * @param tickSeconds event time per tick
   * @param startEpochMillis event time of tick 0
   */
  public GeneratedWorkload(
      SimSettings.WorkloadSettings settings,
      long seed,
      long ticks,
      int tickSeconds,
      long startEpochMillis) {
    if (ticks < 1) {
      throw new IllegalArgumentException("a workload needs at least one tick, got " + ticks);
    }
    this.settings = settings;
    this.tickSeconds = tickSeconds;
    this.startEpochMillis = startEpochMillis;
    SplittableRandom rnd = new SplittableRandom(seed);
    this.monthEnds = drawMonthEnds(rnd, ticks);
    this.events = drawEvents(rnd, ticks);
    double[] raw = new double[Math.toIntExact(ticks)];
    double sum = 0;
    for (int t = 0; t < raw.length; t++) {
      double noise = 1 + settings.noise() * gaussian(rnd);
      raw[t] = shape(t) * Math.max(0.5, noise);
      sum += raw[t];
    }
    double scale = settings.averageRate() / (sum / raw.length);
    for (int t = 0; t < raw.length; t++) {
      raw[t] *= scale;
    }
    this.rates = raw;
  }

  @Override
  public double offeredRate(long tick) {
    return rates[(int) Math.floorMod(tick, (long) rates.length)];
  }

  /** Ticks precomputed (the horizon); later ticks wrap around. */
  public int horizonTicks() {
    return rates.length;
  }

  public List<SpecialEvent> events() {
    return events;
  }

  public List<MonthEnd> monthEnds() {
    return monthEnds;
  }

  /** The noise-free, unscaled load factor of a tick: diurnal x weekend x event x month-end. */
  public double shape(long tick) {
    return diurnalFactor(tick) * weekendFactor(tick) * eventFactor(tick) * monthEndFactor(tick);
  }

  /**
   * Diurnal factor: 1 + a cos(2 pi (h - peak) / 24), with (1 + a) / (1 - a) the peak/trough, when
   * the sharpness k is 1; otherwise (1 + (r - 1) c^k) 2 / (r + 1) with c = (1 + cos(...)) / 2, the
   * same peak-to-trough ratio r with a shorter peak (both are the same function at k = 1).
   */
  public double diurnalFactor(long tick) {
    double r = settings.diurnalPeakToTrough();
    double hour = hourOfDay(tick);
    double cos = Math.cos(2 * Math.PI * (hour - settings.peakHour()) / 24.0);
    if (settings.diurnalSharpness() == 1) {
      double a = (r - 1) / (r + 1);
      return 1 + a * cos;
    }
    double c = (1 + cos) / 2;
    return (1 + (r - 1) * Math.pow(c, settings.diurnalSharpness())) * 2 / (r + 1);
  }

  public double weekendFactor(long tick) {
    DayOfWeek d = date(tick).getDayOfWeek();
    return d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY ? settings.weekendFactor() : 1.0;
  }

  public double eventFactor(long tick) {
    for (SpecialEvent e : events) {
      if (e.covers(tick)) {
        return e.factor();
      }
    }
    return 1.0;
  }

  public double monthEndFactor(long tick) {
    for (MonthEnd m : monthEnds) {
      if (m.covers(tick)) {
        return m.factor();
      }
    }
    return 1.0;
  }

  /** Hour of day (UTC, fractional) of a tick. */
  public double hourOfDay(long tick) {
    long millis = startEpochMillis + tick * tickSeconds * 1000L;
    return Math.floorMod(millis, 86_400_000L) / 3_600_000.0;
  }

  /** Calendar date (UTC) of a tick. */
  public LocalDate date(long tick) {
    long millis = startEpochMillis + tick * tickSeconds * 1000L;
    return LocalDate.ofEpochDay(Math.floorDiv(millis, 86_400_000L));
  }

  private long tickOf(LocalDate day) {
    long millis = day.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    return Math.floorDiv(millis - startEpochMillis, tickSeconds * 1000L);
  }

  private List<MonthEnd> drawMonthEnds(SplittableRandom rnd, long ticks) {
    List<MonthEnd> out = new ArrayList<>();
    LocalDate first = date(0).withDayOfMonth(1);
    LocalDate last = date(ticks - 1);
    for (LocalDate m = first; !m.isAfter(last); m = m.plusMonths(1)) {
      int days = (int) Math.round(settings.monthEndDays().draw(rnd));
      double factor = settings.monthEndFactor().draw(rnd);
      LocalDate nextMonth = m.plusMonths(1);
      long end = tickOf(nextMonth);
      long start = tickOf(nextMonth.minusDays(days));
      if (end > 0 && start < ticks) {
        out.add(new MonthEnd(Math.max(0, start), Math.min(ticks, end), factor));
      }
    }
    return List.copyOf(out);
  }

  private List<SpecialEvent> drawEvents(SplittableRandom rnd, long ticks) {
    double days = ticks * tickSeconds / 86_400.0;
    int count = (int) Math.round(settings.eventsPerMonth() * days / 30.0);
    List<SpecialEvent> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long start = (long) (rnd.nextDouble() * ticks);
      long length = Math.max(1, Math.round(settings.eventHours().draw(rnd) * 3600 / tickSeconds));
      out.add(new SpecialEvent(start, Math.min(ticks, start + length), settings.eventFactor().draw(rnd)));
    }
    out.sort((a, b) -> Long.compare(a.startTick(), b.startTick()));
    return List.copyOf(out);
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller on the seeded stream (SplittableRandom's own nextGaussian is also seeded; this
    // keeps the draw count fixed at two per sample).
    double u1 = Math.max(1e-12, rnd.nextDouble());
    double u2 = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
