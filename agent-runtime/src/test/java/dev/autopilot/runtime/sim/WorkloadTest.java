package dev.autopilot.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated workload's shape and the CSV replay. */
class WorkloadTest {

  private static final SimSettings S = SimFixtures.SETTINGS;
  private static final long DAY = S.ticksPerDay();
  private static final long TICKS = 31 * DAY; // January 2026: includes a month-end

  private final GeneratedWorkload w =
      new GeneratedWorkload(S.workload(), 11, TICKS, S.tickSeconds(), S.startEpochMillis());

  @Test
  void averagesTheConfiguredRate() {
    double sum = 0;
    for (long t = 0; t < TICKS; t++) {
      sum += w.offeredRate(t);
    }
    assertEquals(850_000, sum / TICKS, 850_000 * 0.001);
  }

  @Test
  void hasADiurnalPeakToTroughOfThree() {
    double peak = 0;
    double trough = 0;
    int n = 0;
    for (long t = 0; t < TICKS; t++) {
      if (!plainWeekday(t)) {
        continue;
      }
      double hour = w.hourOfDay(t);
      if (Math.abs(hour - S.workload().peakHour()) < 0.1) {
        peak += w.offeredRate(t);
        n++;
      }
    }
    peak /= n;
    n = 0;
    double troughHour = (S.workload().peakHour() + 12) % 24;
    for (long t = 0; t < TICKS; t++) {
      if (plainWeekday(t) && Math.abs(w.hourOfDay(t) - troughHour) < 0.1) {
        trough += w.offeredRate(t);
        n++;
      }
    }
    trough /= n;
    assertEquals(3.0, peak / trough, 0.15);
  }

  @Test
  void weekendsCarryFortyPercentMore() {
    double weekend = 0;
    double weekday = 0;
    int we = 0;
    int wd = 0;
    for (long t = 0; t < TICKS; t++) {
      if (w.eventFactor(t) != 1 || w.monthEndFactor(t) != 1) {
        continue;
      }
      DayOfWeek d = w.date(t).getDayOfWeek();
      if (d == DayOfWeek.SATURDAY || d == DayOfWeek.SUNDAY) {
        weekend += w.offeredRate(t);
        we++;
      } else {
        weekday += w.offeredRate(t);
        wd++;
      }
    }
    assertEquals(1.4, (weekend / we) / (weekday / wd), 0.04);
  }

  @Test
  void monthEndCarriesTwoToThreeTimesTheLoad() {
    assertEquals(1, w.monthEnds().size());
    GeneratedWorkload.MonthEnd m = w.monthEnds().get(0);
    long days = (m.endTick() - m.startTick()) / DAY;
    assertTrue(days >= 2 && days <= 3, "month-end of " + days + " days");
    assertTrue(m.factor() >= 2 && m.factor() <= 3);
    double ratio = 0;
    int n = 0;
    for (long t = m.startTick(); t < m.endTick(); t++) {
      if (w.eventFactor(t) == 1) {
        ratio += w.offeredRate(t) / (w.diurnalFactor(t) * w.weekendFactor(t));
        n++;
      }
    }
    double normal = 0;
    int k = 0;
    for (long t = 0; t < m.startTick(); t++) {
      if (w.eventFactor(t) == 1) {
        normal += w.offeredRate(t) / (w.diurnalFactor(t) * w.weekendFactor(t));
        k++;
      }
    }
    assertEquals(m.factor(), (ratio / n) / (normal / k), 0.05);
  }

  @Test
  void specialEventsMultiplyTheLoadFiveToEightTimesForOneToThreeHours() {
    assertFalse(w.events().isEmpty());
    for (GeneratedWorkload.SpecialEvent e : w.events()) {
      double hours = (e.endTick() - e.startTick()) * S.tickSeconds() / 3600.0;
      assertTrue(hours >= 1 && hours <= 3, "event of " + hours + " h");
      assertTrue(e.factor() >= 5 && e.factor() <= 8);
      long mid = (e.startTick() + e.endTick()) / 2;
      assertEquals(e.factor(), w.eventFactor(mid), 1e-12);
      // the offered rate over what the same tick would carry without the event
      double withoutEvent = scale() * w.shape(mid) / e.factor();
      assertEquals(e.factor(), w.offeredRate(mid) / withoutEvent, 0.15 * e.factor());
    }
  }

  @Test
  void isDeterministicForASeed() {
    GeneratedWorkload again = new GeneratedWorkload(S.workload(), 11, TICKS, S.tickSeconds(), S.startEpochMillis());
    GeneratedWorkload other = new GeneratedWorkload(S.workload(), 12, TICKS, S.tickSeconds(), S.startEpochMillis());
    boolean differs = false;
    for (long t = 0; t < TICKS; t += 97) {
      assertEquals(w.offeredRate(t), again.offeredRate(t));
      differs |= w.offeredRate(t) != other.offeredRate(t);
    }
    assertTrue(differs);
  }

  @Test
  void csvIsInterpolatedScaledAndLooped() {
    List<String> lines = List.of("timestamp,value", "2014-07-01 00:00:00,100", "2014-07-01 00:00:30,300");
    CsvWorkload csv = CsvWorkload.parse("inline", lines, 1_000, 10);
    // one loop = 60 s: 100 -> 300 over 30 s, back to 100 over the last 30 s; mean 200 -> scale 5
    assertEquals(60, csv.periodSeconds());
    assertEquals(500, csv.offeredRate(0), 1e-9);
    assertEquals((100 + 200 * 10 / 30.0) * 5, csv.offeredRate(1), 1e-6);
    assertEquals(1_500, csv.offeredRate(3), 1e-9);
    assertEquals(csv.offeredRate(1), csv.offeredRate(7), 1e-9);
    double mean = 0;
    for (int t = 0; t < 6; t++) {
      mean += csv.offeredRate(t);
    }
    assertEquals(1_000, mean / 6, 1e-6);
  }

  @Test
  void nycTaxiReplaysAtTheChosenAverage() {
    Path file = Path.of("/work/shared/data/nab/data/realKnownCause/nyc_taxi.csv");
    assumeTrue(Files.exists(file), "NAB data not present");
    CsvWorkload csv = CsvWorkload.load(file, 850_000, S.tickSeconds());
    long loop = Math.round(csv.periodSeconds() / S.tickSeconds());
    double sum = 0;
    for (long t = 0; t < loop; t++) {
      sum += csv.offeredRate(t);
    }
    assertEquals(850_000, sum / loop, 850_000 * 0.001);
    assertEquals(csv.offeredRate(17), csv.offeredRate(17 + loop), 1e-6);
    // 30-minute steps: 180 ticks between data points, linear in between
    double a = csv.offeredRate(0);
    double b = csv.offeredRate(180);
    assertEquals((a + b) / 2, csv.offeredRate(90), 1e-6 * a);
  }

  @Test
  void malformedCsvNamesTheLine() {
    List<String> lines = List.of("timestamp,value", "2014-07-01 00:00:00,10", "2014-07-01 00:30:00,ten");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CsvWorkload.parse("bad.csv", lines, 1_000, 10));
    assertTrue(e.getMessage().contains("bad.csv: line 3"), e.getMessage());
    List<String> broken = List.of("2014-07-01 00:00:00,10", "yesterday,11");
    IllegalArgumentException e2 =
        assertThrows(IllegalArgumentException.class, () -> CsvWorkload.parse("bad.csv", broken, 1_000, 10));
    assertTrue(e2.getMessage().contains("line 2"), e2.getMessage());
    List<String> fields = List.of("2014-07-01 00:00:00,10,3");
    assertThrows(IllegalArgumentException.class, () -> CsvWorkload.parse("bad.csv", fields, 1_000, 10));
  }

  /** Offered rate per unit of shape, averaged over the run (the noise averages out). */
  private double scale() {
    double sum = 0;
    for (long t = 0; t < TICKS; t++) {
      sum += w.offeredRate(t) / w.shape(t);
    }
    return sum / TICKS;
  }

  private boolean plainWeekday(long t) {
    DayOfWeek d = w.date(t).getDayOfWeek();
    return d != DayOfWeek.SATURDAY && d != DayOfWeek.SUNDAY && w.eventFactor(t) == 1 && w.monthEndFactor(t) == 1;
  }
}
