package dev.autopilot.runtime.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays any {@code timestamp,value} CSV (the NAB format, for example {@code nyc_taxi.csv} with
 * 30-minute steps) as a workload: linearly interpolated to the tick length, looped when the run is
 * longer than the trace (the last point interpolates back to the first), and scaled so that the
 * average over one loop equals the chosen rate.
 *
 * <p>Timestamps may be {@code yyyy-MM-dd HH:mm:ss}, ISO-8601 ({@code 2014-07-01T00:00:00[Z]}) or
 * epoch seconds. A header line whose second field is not a number is skipped. Any other malformed
 * line is an {@link IllegalArgumentException} naming the file and line.
 */
public final class CsvWorkload implements Workload {

  private final double[] times;
  private final double[] values;
  private final double period;
  private final double scale;
  private final int tickSeconds;

  private CsvWorkload(double[] times, double[] values, double averageRate, int tickSeconds) {
    this.times = times;
    this.values = values;
    this.tickSeconds = tickSeconds;
    double lastStep = times.length > 1 ? times[times.length - 1] - times[times.length - 2] : tickSeconds;
    this.period = times[times.length - 1] - times[0] + lastStep;
    double integral = 0;
    for (int i = 0; i < times.length; i++) {
      double next = i + 1 < times.length ? values[i + 1] : values[0];
      double dt = i + 1 < times.length ? times[i + 1] - times[i] : lastStep;
      integral += (values[i] + next) / 2 * dt;
    }
    double mean = integral / period;
    if (!(mean > 0)) {
      throw new IllegalArgumentException("CSV trace has no positive values to scale");
    }
    this.scale = averageRate / mean;
  }

  /** Loads a CSV file. */
  public static CsvWorkload load(Path file, double averageRate, int tickSeconds) {
    try {
      return parse(file.toString(), Files.readAllLines(file, StandardCharsets.UTF_8), averageRate, tickSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read workload CSV " + file, e);
    }
  }

  /**
   * Parses CSV lines.
   *
   * @param source name used in error messages
   * @param lines the lines, header optional
   * @param averageRate average offered rate the trace is scaled to, events/s
   * @param tickSeconds tick length
   */
  public static CsvWorkload parse(String source, List<String> lines, double averageRate, int tickSeconds) {
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      int lineNo = i + 1;
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split(",", -1);
      if (parts.length != 2) {
        throw malformed(source, lineNo, "expected 'timestamp,value' but found " + parts.length + " fields: " + line);
      }
      String ts = stripQuotes(parts[0]);
      String val = stripQuotes(parts[1]);
      if (points.isEmpty() && i == firstNonEmpty(lines) && !isNumber(val)) {
        continue; // header
      }
      double value;
      try {
        value = Double.parseDouble(val);
      } catch (NumberFormatException e) {
        throw malformed(source, lineNo, "value '" + val + "' is not a number");
      }
      if (!Double.isFinite(value) || value < 0) {
        throw malformed(source, lineNo, "value " + val + " must be finite and >= 0");
      }
      double t = parseTimestamp(source, lineNo, ts);
      if (!points.isEmpty() && t <= points.get(points.size() - 1)[0]) {
        throw malformed(source, lineNo, "timestamp " + ts + " is not after the previous one");
      }
      points.add(new double[] {t, value});
    }
    if (points.isEmpty()) {
      throw new IllegalArgumentException(source + ": no data rows");
    }
    double[] times = new double[points.size()];
    double[] values = new double[points.size()];
    for (int i = 0; i < points.size(); i++) {
      times[i] = points.get(i)[0];
      values[i] = points.get(i)[1];
    }
    if (!(averageRate > 0)) {
      throw new IllegalArgumentException("average rate must be > 0, was " + averageRate);
    }
    return new CsvWorkload(times, values, averageRate, tickSeconds);
  }

  @Override
  public double offeredRate(long tick) {
    double elapsed = tick * (double) tickSeconds;
    double offset = elapsed - Math.floor(elapsed / period) * period;
    double t = times[0] + offset;
    int hi = java.util.Arrays.binarySearch(times, t);
    if (hi >= 0) {
      return values[hi] * scale;
    }
    int idx = -hi - 2; // last point before t
    double t0 = times[idx];
    double v0 = values[idx];
    double t1;
    double v1;
    if (idx + 1 < times.length) {
      t1 = times[idx + 1];
      v1 = values[idx + 1];
    } else {
      t1 = times[0] + period;
      v1 = values[0];
    }
    double w = (t - t0) / (t1 - t0);
    return (v0 + w * (v1 - v0)) * scale;
  }

  /** Length of one replay loop, seconds of event time. */
  public double periodSeconds() {
    return period;
  }

  /** Number of data points in the trace. */
  public int points() {
    return times.length;
  }

  private static int firstNonEmpty(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isBlank()) {
        return i;
      }
    }
    return -1;
  }

  private static double parseTimestamp(String source, int lineNo, String ts) {
    if (isNumber(ts)) {
      return Double.parseDouble(ts);
    }
    try {
      return LocalDateTime.parse(ts.replace(' ', 'T')).toEpochSecond(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(ts).getEpochSecond();
      } catch (DateTimeParseException e2) {
        throw malformed(source, lineNo, "timestamp '" + ts + "' is not a date-time or epoch seconds");
      }
    }
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static String stripQuotes(String s) {
    String t = s.strip();
    if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
      return t.substring(1, t.length() - 1);
    }
    return t;
  }

  private static IllegalArgumentException malformed(String source, int line, String why) {
    return new IllegalArgumentException(source + ": line " + line + ": " + why);
  }
}
