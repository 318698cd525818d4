package dev.autopilot.agents.prediction.forecast;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The selection protocol's harness (see {@code forecast-selection-protocol.md}): streams a NAB
 * {@code timestamp,value} series through a fresh {@link WorkloadForecaster}, the forecast for row t
 * made right after row t - H (the same as {@code autopilot forecast}), and scores the MAPE over the
 * middle third and, only when asked, the last third.
 *
 * <p>{@code main}: {@code [--last] [--set 'hocon overrides'] H file...}; prints one line per file.
 */
public final class ForecastEvaluation {

  private ForecastEvaluation() {}

  /** A series: epoch seconds and values (NaN where the value does not parse). */
  public record Series(long[] seconds, double[] values) {

    /** Reads a {@code timestamp,value} CSV with a header (NAB's format). */
    public static Series read(Path file) throws IOException {
      DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
      List<String> lines = Files.readAllLines(file);
      long[] sec = new long[lines.size() - 1];
      double[] val = new double[lines.size() - 1];
      for (int i = 1; i < lines.size(); i++) {
        String[] cells = lines.get(i).split(",");
        sec[i - 1] = LocalDateTime.parse(cells[0].trim(), fmt).toEpochSecond(ZoneOffset.UTC);
        double v;
        try {
          v = Double.parseDouble(cells[1].trim());
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          v = Double.NaN;
        }
        val[i - 1] = v;
      }
      return new Series(sec, val);
    }

    /** The median spacing of the timestamps, seconds. */
    public long step() {
      long[] d = new long[seconds.length - 1];
      for (int i = 1; i < seconds.length; i++) {
        d[i - 1] = seconds[i] - seconds[i - 1];
      }
      Arrays.sort(d);
      return d[d.length / 2];
    }
  }

  /** Entry t: the forecast for row t made right after row t - horizon was observed (or NaN). */
  public static double[] forecasts(WorkloadSettings settings, Series s, int horizon) {
    long step = s.step();
    WorkloadForecaster f =
        new WorkloadForecaster(settings.withStep(Duration.ofSeconds(step)).withMaxHorizon(horizon));
    double[] y = s.values();
    double[] out = new double[y.length];
    Arrays.fill(out, Double.NaN);
    for (int i = 0; i < y.length; i++) {
      f.observe(Math.floorDiv(s.seconds()[i], step), y[i]);
      if (i + horizon < y.length) {
        long ahead = (s.seconds()[i + horizon] - s.seconds()[i]) / step;
        OptionalDouble p = f.forecast((int) Math.max(1, Math.min(ahead, Integer.MAX_VALUE)));
        if (p.isPresent()) {
          out[i + horizon] = p.getAsDouble();
        }
      }
    }
    return out;
  }

  /** MAPE sum |f - y| / sum |y| over rows [from, to) with both; NaN if none. */
  public static double mape(double[] y, double[] f, int from, int to) {
    double err = 0;
    double sum = 0;
    for (int i = from; i < to; i++) {
      if (!Double.isNaN(f[i]) && !Double.isNaN(y[i])) {
        err += Math.abs(f[i] - y[i]);
        sum += Math.abs(y[i]);
      }
    }
    return sum > 0 ? err / sum : Double.NaN;
  }

  /** MAPE over the middle third: rows [n - 2 (n / 3), n - n / 3). */
  public static double middleThird(double[] y, double[] f) {
    int n = y.length;
    return mape(y, f, n - 2 * (n / 3), n - n / 3);
  }

  /** MAPE over the last third: rows [n - n / 3, n) (as the forecast CLI prints it). */
  public static double lastThird(double[] y, double[] f) {
    int n = y.length;
    return mape(y, f, n - n / 3, n);
  }

  public static void main(String[] args) throws IOException {
    boolean last = false;
    String overrides = "";
    int a = 0;
    while (args[a].startsWith("--")) {
      if (args[a].equals("--last")) {
        last = true;
        a++;
      } else if (args[a].equals("--set")) {
        overrides = args[a + 1];
        a += 2;
      } else {
        throw new IllegalArgumentException("unknown option " + args[a]);
      }
    }
    int horizon = Integer.parseInt(args[a++]);
    WorkloadSettings settings =
        WorkloadSettings.create(
            ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load()).resolve());
    for (; a < args.length; a++) {
      Path file = Path.of(args[a]);
      Series s = Series.read(file);
      long t0 = System.nanoTime();
      double[] f = forecasts(settings, s, horizon);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      String line =
          String.format(
              Locale.ROOT,
              "%-45s rows %6d step %4ds  middle %6.3f %%",
              file.getFileName(),
              s.values().length,
              s.step(),
              100 * middleThird(s.values(), f));
      if (last) {
        line += String.format(Locale.ROOT, "  last %6.3f %%", 100 * lastThird(s.values(), f));
      }
      System.out.println(line + "  (" + ms + " ms)");
    }
  }
}
