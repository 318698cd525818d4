package dev.autopilot.runtime.forecast;

import com.typesafe.config.Config;
import dev.autopilot.agents.prediction.forecast.DemandForecaster;
import dev.autopilot.agents.prediction.forecast.WorkloadForecaster;
import dev.autopilot.agents.prediction.forecast.WorkloadSettings;
import dev.autopilot.api.model.TrainOptions;
import dev.autopilot.runtime.detect.SeriesCsv;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot forecast --input F.csv --horizon H --output O.csv [--report]}: the workload
 * forecaster of the prediction agent run over a {@code timestamp,value} series.
 *
 * <p>Rows are fed one at a time; the forecast written on row t is the one made right after row
 * {@code t - H} was observed, for row t's time, so it depends on rows {@code <= t - H} only. The
 * step of the series is the median spacing of its timestamps (gaps become missing steps). Rows
 * without a forecast have an empty {@code forecast} cell: the first H rows, rows whose origin
 * comes before the forecaster has a full pattern window, and rows whose origin value is missing
 * with no model yet. The forecaster needs a day of history for its analogs and the seasonal weeks
 * plus a day for its regression; before that it falls back to persistence (the last value).
 *
 * <p>Prints the MAPE {@code sum |forecast - value| / sum |value|} over the last third of the rows
 * (rows with both a forecast and a value). {@code --report} also prints the MAPE of the baselines
 * (persistence, seasonal naive one day and one week before) and of each component alone, with the
 * same protocol. {@code --model lstm} runs the DJL LSTM baseline ({@link LstmBaseline}) instead.
 */
@Command(
    name = "forecast",
    mixinStandardHelpOptions = true,
    description = "Forecast a timestamp,value CSV series H rows ahead; prints the MAPE.")
public final class ForecastCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "FILE", description = "The series.")
  Path input;

  @Option(
      names = "--horizon",
      required = true,
      paramLabel = "H",
      description = "Rows ahead to forecast (>= 1).")
  int horizon;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Where timestamp,value,forecast goes (default: not written).")
  Path output;

  @Option(
      names = "--report",
      description = "Also print the baselines' and each component's MAPE (same protocol).")
  boolean report;

  @Option(
      names = "--model",
      defaultValue = "workload",
      paramLabel = "MODEL",
      description =
          "workload (the prediction agent's forecaster) or lstm (the DJL LSTM it is compared"
              + " with; slow: trains on the past at the start of the last third, then every"
              + " --lstm-refit-rows rows). Default ${DEFAULT-VALUE}.")
  String model;

  @Option(
      names = "--lstm-window",
      defaultValue = "48",
      description = "Steps the LSTM reads (default ${DEFAULT-VALUE}).")
  int lstmWindow;

  @Option(
      names = "--lstm-refit-rows",
      defaultValue = "336",
      description = "Rows between two LSTM fits (default ${DEFAULT-VALUE}).")
  int lstmRefitRows;

  @Option(
      names = "--lstm-epochs",
      defaultValue = "30",
      description = "Most epochs per LSTM fit, early stopping on the last 20 %% of the windows"
          + " (default ${DEFAULT-VALUE}).")
  int lstmEpochs;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the LSTM fits (default ${DEFAULT-VALUE}).")
  long seed;

  private final Supplier<WorkloadSettings> settings;

  /** Settings from {@code autopilot.prediction.workload} of the given configuration. */
  public ForecastCommand(Config config) {
    this.settings = () -> WorkloadSettings.create(config);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (horizon < 1) {
      throw usage("--horizon must be >= 1, got " + horizon);
    }
    if (!model.equals("workload") && !model.equals("lstm")) {
      throw usage("--model must be workload or lstm, got " + model);
    }
    if (lstmWindow < 2 || lstmRefitRows < 1 || lstmEpochs < 1) {
      throw usage("--lstm-window must be >= 2, --lstm-refit-rows and --lstm-epochs >= 1");
    }
    if (!Files.isRegularFile(input)) {
      throw usage("--input " + input + ": no such file");
    }
    SeriesCsv series = SeriesCsv.read(input, false);
    long[] seconds = epochSeconds(series);
    long step = medianStep(series, seconds);
    WorkloadSettings base = settings.get().withStep(Duration.ofSeconds(step));
    WorkloadSettings ws;
    try {
      ws = base.withMaxHorizon(horizon);
    } catch (IllegalArgumentException e) {
      throw usage("--horizon " + horizon + " is too long for this series: " + e.getMessage());
    }
    long[] ticks = new long[seconds.length];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = Math.floorDiv(seconds[i], step);
    }
    double[] forecast =
        model.equals("lstm")
            ? new LstmBaseline(
                    lstmWindow,
                    lstmRefitRows,
                    new TrainOptions(lstmEpochs, 64, seed, 0.2, 5, 1e-3f),
                    spec.commandLine().getErr())
                .run(series.values(), ticks, horizon, ws.daySteps(), ws.weekSteps())
            : run(new WorkloadForecaster(ws), series.values(), ticks, horizon);
    if (output != null) {
      series.writeWithColumn(output, "forecast", forecast, "%.3f");
    }
    double[] y = series.values();
    out.printf(
        Locale.ROOT,
        "forecast %s (%s): %d rows, step %ds, horizon %d; MAPE over the last third: %s%n",
        input.getFileName(),
        model,
        y.length,
        step,
        horizon,
        percent(mape(y, forecast)));
    if (report) {
      out.printf(Locale.ROOT, "  persistence (value H rows before):  %s%n",
          percent(mape(y, shifted(y, ticks, horizon))));
      out.printf(Locale.ROOT, "  seasonal naive (one day before):    %s%n",
          percent(mape(y, shifted(y, ticks, ws.daySteps()))));
      out.printf(Locale.ROOT, "  seasonal naive (one week before):   %s%n",
          percent(mape(y, shifted(y, ticks, ws.weekSteps()))));
    }
    if (report && model.equals("workload")) {
      double[] ridge = run(new WorkloadForecaster(ws.withRegressionWeight(1)), y, ticks, horizon);
      double[] analogs = run(new WorkloadForecaster(ws.withRegressionWeight(0)), y, ticks, horizon);
      out.printf(
          Locale.ROOT, "  regression alone:                   %s%n", percent(mape(y, ridge)));
      out.printf(Locale.ROOT, "  analogs alone:                      %s%n",
          percent(mape(y, analogs)));
    }
    out.flush();
    return 0;
  }

  /**
   * Streams the series through a forecaster: entry t is the forecast for row t made right after
   * row t - horizon (NaN where none).
   */
  public static double[] run(DemandForecaster f, double[] values, long[] ticks, int horizon) {
    double[] forecast = new double[values.length];
    Arrays.fill(forecast, Double.NaN);
    for (int i = 0; i < values.length; i++) {
      f.observe(ticks[i], values[i]);
      int target = i + horizon;
      if (target < values.length) {
        long ahead = ticks[target] - ticks[i];
        OptionalDouble p = f.forecast((int) Math.max(1, Math.min(ahead, Integer.MAX_VALUE)));
        if (p.isPresent()) {
          forecast[target] = p.getAsDouble();
        }
      }
    }
    return forecast;
  }

  /** MAPE sum |f - y| / sum |y| over the last third of the rows with both; NaN if none. */
  public static double mape(double[] y, double[] f) {
    double err = 0;
    double sum = 0;
    for (int i = y.length - y.length / 3; i < y.length; i++) {
      if (!Double.isNaN(f[i]) && !Double.isNaN(y[i])) {
        err += Math.abs(f[i] - y[i]);
        sum += Math.abs(y[i]);
      }
    }
    return sum > 0 ? err / sum : Double.NaN;
  }

  /** Seasonal naive: the value {@code lag} ticks before each row (NaN when that row is absent). */
  static double[] shifted(double[] y, long[] ticks, int lag) {
    double[] f = new double[y.length];
    Arrays.fill(f, Double.NaN);
    int j = 0;
    for (int i = 0; i < y.length; i++) {
      long want = ticks[i] - lag;
      while (j < i && ticks[j] < want) {
        j++;
      }
      if (j < i && ticks[j] == want) {
        f[i] = y[j];
      }
    }
    return f;
  }

  private long[] epochSeconds(SeriesCsv s) {
    long[] sec = new long[s.size()];
    for (int i = 0; i < sec.length; i++) {
      sec[i] = s.timestamps().get(i).toEpochSecond(ZoneOffset.UTC);
      if (i > 0 && sec[i] <= sec[i - 1]) {
        throw new IllegalArgumentException(
            input + ": timestamps must increase (row " + (i + 1) + ", '"
                + s.timestampText().get(i) + "' after '" + s.timestampText().get(i - 1) + "')");
      }
    }
    return sec;
  }

  private long medianStep(SeriesCsv s, long[] sec) {
    if (sec.length < 2) {
      throw new IllegalArgumentException(input + ": need at least two rows to know the step");
    }
    long[] d = new long[sec.length - 1];
    for (int i = 1; i < sec.length; i++) {
      d[i - 1] = sec[i] - sec[i - 1];
    }
    Arrays.sort(d);
    long step = d[d.length / 2];
    if (step < 1) {
      throw new IllegalArgumentException(input + ": timestamps are less than a second apart");
    }
    return step;
  }

  private static String percent(double m) {
    return Double.isNaN(m) ? "n/a (no forecast in the last third)"
        : String.format(Locale.ROOT, "%.2f %%", 100 * m);
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
