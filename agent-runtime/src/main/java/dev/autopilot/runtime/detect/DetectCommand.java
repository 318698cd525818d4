package dev.autopilot.runtime.detect;

import dev.autopilot.agents.recovery.detect.stream.DetectorKind;
import dev.autopilot.agents.recovery.detect.stream.StreamSettings;
import dev.autopilot.agents.recovery.detect.stream.StreamingAnomalyScorer;
import dev.autopilot.agents.recovery.nab.NabFile;
import dev.autopilot.agents.recovery.nab.NabProfile;
import dev.autopilot.agents.recovery.nab.NabScorer;
import dev.autopilot.runtime.bench.ProgressBar;
import dev.autopilot.runtime.bench.ProgressListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code autopilot detect}: streaming anomaly scores for {@code timestamp,value} series, and NAB
 * scoring of them.
 *
 * <ul>
 *   <li>{@code detect --input F.csv [--output O.csv]}: one file (to stdout without {@code
 *       --output}).
 *   <li>{@code detect --input-dir D --output-dir O}: every {@code *.csv} under D, written to the
 *       same relative path under O.
 *   <li>{@code detect --score --labels combined_windows.json --input-dir D [--output-dir O]}:
 *       detect, then print NAB's normalised score per profile.
 *   <li>{@code detect --score --labels combined_windows.json --scored-dir O}: NAB scores of files
 *       that already have an {@code anomaly_score} column.
 * </ul>
 *
 * Output columns are {@code timestamp,value,anomaly_score}, one row per input row, score in [0, 1].
 * Row t's score depends on rows up to t only; settings are the same for every file.
 */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    description = "Streaming anomaly scores for timestamp,value CSV series; NAB scoring.")
public final class DetectCommand implements Callable<Integer> {

  @Spec private CommandSpec spec;

  @Option(names = "--input", paramLabel = "FILE", description = "One series to score.")
  Path input;

  @Option(
      names = "--output",
      paramLabel = "FILE",
      description = "Where --input's scores go (default stdout).")
  Path output;

  @Option(names = "--input-dir", paramLabel = "DIR", description = "Score every *.csv under DIR.")
  Path inputDir;

  @Option(
      names = {"--output-dir", "--results-dir"},
      paramLabel = "DIR",
      description = "Where --input-dir's scores go, mirroring relative paths.")
  Path outputDir;

  @Option(
      names = "--detector",
      paramLabel = "KIND",
      defaultValue = "ensemble",
      description = "ensemble, iforest, autoencoder or lstm (default ${DEFAULT-VALUE}).")
  String detector;

  @Option(names = "--score", description = "Print NAB scores (needs --labels).")
  boolean score;

  @Option(names = "--labels", paramLabel = "FILE", description = "NAB combined_windows.json.")
  Path labels;

  @Option(
      names = "--scored-dir",
      paramLabel = "DIR",
      description =
          "Score existing outputs (files with an anomaly_score column) instead of detecting.")
  Path scoredDir;

  @Option(
      names = "--components",
      description =
          "With --score and the ensemble: also score each of its detectors alone, from the same"
              + " run.")
  boolean components;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of every model fit (default ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "Files scored in parallel (default ${DEFAULT-VALUE}). With more than one, the DJL"
              + " models of files on other threads come out numerically slightly different"
              + " (engine threading): scores are not bitwise equal to --threads 1 and may depend on"
              + " scheduling.")
  int threads;

  @Option(
      names = "--raw-dir",
      hidden = true,
      paramLabel = "DIR",
      description = "Analysis: also write the detectors' raw scores (one column each) under DIR.")
  Path rawDir;

  private final PrintWriter err;
  private final boolean terminal;

  /** Progress on stderr, redrawn in place on a terminal. */
  public DetectCommand() {
    this(new PrintWriter(System.err, true), ProgressBar.detectTerminal());
  }

  /**
   * @param err where progress goes
   * @param terminal whether the progress bar redraws in place
   */
  public DetectCommand(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    DetectorKind kind;
    try {
      kind = DetectorKind.parse(detector);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    int sources =
        (input != null ? 1 : 0) + (inputDir != null ? 1 : 0) + (scoredDir != null ? 1 : 0);
    if (sources != 1) {
      throw usage("give exactly one of --input, --input-dir or --scored-dir");
    }
    if (score != (labels != null)) {
      throw usage("--score and --labels go together");
    }
    if (scoredDir != null && !score) {
      throw usage("--scored-dir needs --score --labels");
    }
    if (inputDir != null && outputDir == null && !score) {
      throw usage("--input-dir needs --output-dir (or --score)");
    }
    if (output != null && input == null) {
      throw usage("--output goes with --input");
    }
    if (threads < 1 || threads > 64) {
      throw usage("--threads must be 1..64, got " + threads);
    }
    NabLabels windows = labels == null ? null : NabLabels.read(labels);
    long t0 = System.nanoTime();
    StreamingAnomalyScorer scorer =
        new StreamingAnomalyScorer(StreamSettings.defaults().withSeed(seed));

    if (input != null) {
      SeriesCsv s = SeriesCsv.read(input, false);
      double[] a = scorer.score(s.values(), kind);
      if (output != null) {
        s.writeScored(output, a);
      } else {
        s.write(out, a);
      }
      if (score) {
        String rel = input.getFileName().toString();
        if (input.getParent() != null && input.getParent().getFileName() != null) {
          rel = input.getParent().getFileName() + "/" + rel;
        }
        report(out, kind.cliName(), List.of(windows.toNabFile(rel, s.timestamps(), a)), t0);
      }
      return 0;
    }

    Path root = scoredDir != null ? scoredDir : inputDir;
    List<Path> files = csvFiles(root);
    if (files.isEmpty()) {
      throw new IllegalArgumentException(root + ": no *.csv files");
    }
    if (windows != null) {
      for (Path f : files) {
        if (!windows.has(relative(root, f))) {
          throw new IllegalArgumentException(labels + ": no windows for " + relative(root, f));
        }
      }
    }
    ProgressBar bar =
        new ProgressBar(
            err, "detect " + kind.cliName(), terminal, 500, 10, System::nanoTime, "files");
    List<Map<DetectorKind, NabFile>> scored =
        runAll(
            files,
            f -> {
              try {
                String rel = relative(root, f);
                Map<DetectorKind, NabFile> result = new EnumMap<>(DetectorKind.class);
                if (scoredDir != null) {
                  SeriesCsv s = SeriesCsv.read(f, true);
                  result.put(kind, windows.toNabFile(rel, s.timestamps(), s.scores()));
                  return result;
                }
                SeriesCsv s = SeriesCsv.read(f, false);
                Map<DetectorKind, double[]> all = scorer.scoreAll(s.values(), kind);
                if (outputDir != null) {
                  s.writeScored(outputDir.resolve(rel), all.get(kind));
                }
                if (rawDir != null) {
                  writeRaw(rawDir.resolve(rel), scorer.rawScores(s.values(), kind));
                }
                if (windows != null) {
                  for (Map.Entry<DetectorKind, double[]> e : all.entrySet()) {
                    if (e.getKey() == kind || components) {
                      result.put(e.getKey(), windows.toNabFile(rel, s.timestamps(), e.getValue()));
                    }
                  }
                }
                return result;
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            },
            bar);
    bar.finish();
    if (score) {
      for (DetectorKind k : DetectorKind.values()) {
        if (scored.get(0).containsKey(k)) {
          List<NabFile> list = scored.stream().map(m -> m.get(k)).toList();
          report(out, scoredDir != null ? scoredDir.toString() : k.cliName(), list, t0);
        }
      }
    } else {
      out.printf(
          Locale.ROOT,
          "scored %d files with %s into %s in %.1f s%n",
          files.size(),
          kind.cliName(),
          outputDir,
          (System.nanoTime() - t0) / 1e9);
    }
    out.flush();
    return 0;
  }

  private <T> List<T> runAll(List<Path> files, Function<Path, T> task, ProgressListener bar)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Path f : files) {
        futures.add(pool.submit(() -> task.apply(f)));
      }
      List<T> out = new ArrayList<>();
      int done = 0;
      bar.onProgress(0, files.size());
      for (Future<T> fu : futures) {
        try {
          out.add(fu.get());
        } catch (ExecutionException e) {
          Throwable c = e.getCause();
          if (c instanceof java.io.UncheckedIOException u) {
            throw u.getCause();
          }
          if (c instanceof Exception ex) {
            throw ex;
          }
          throw e;
        }
        bar.onProgress(++done, files.size());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  /** NAB scores per profile, then the standard profile per folder at the corpus threshold. */
  static void report(PrintWriter out, String what, List<NabFile> files, long t0) {
    out.println();
    NabScorer nab = new NabScorer();
    int windowCount = files.stream().mapToInt(f -> f.windows().size()).sum();
    out.printf(
        Locale.ROOT,
        "NAB scores of %s: %d files, %d windows, %.1f s%n",
        what,
        files.size(),
        windowCount,
        (System.nanoTime() - t0) / 1e9);
    out.printf(
        Locale.ROOT,
        "%-20s %8s %10s %10s %10s %6s %6s%n",
        "profile",
        "score",
        "raw",
        "null",
        "threshold",
        "tp",
        "fp");
    for (NabProfile p : NabProfile.ALL) {
      NabScorer.Result r = nab.evaluate(files, p);
      out.printf(
          Locale.ROOT,
          "%-20s %8.2f %10.3f %10.3f %10.6f %6d %6d%n",
          p.name(),
          r.normalized(),
          r.best().score(),
          r.nullScore(),
          r.best().threshold(),
          r.best().tp(),
          r.best().fp());
    }
    NabProfile p = NabProfile.STANDARD;
    double threshold = nab.optimize(files, p).threshold();
    double nullThreshold = nab.optimize(NabScorer.nullDetector(files), p).threshold();
    Map<String, List<NabFile>> byFolder =
        files.stream()
            .collect(
                Collectors.groupingBy(
                    f ->
                        f.name().contains("/")
                            ? f.name().substring(0, f.name().lastIndexOf('/'))
                            : ".",
                    TreeMap::new,
                    Collectors.toList()));
    out.printf(Locale.ROOT, "standard profile per folder at threshold %.6f:%n", threshold);
    for (Map.Entry<String, List<NabFile>> e : byFolder.entrySet()) {
      double raw = 0;
      double nul = 0;
      int w = 0;
      for (NabFile f : e.getValue()) {
        raw += nab.score(f, p, threshold);
        nul += nab.score(NabScorer.nullDetector(List.of(f)).get(0), p, nullThreshold);
        w += f.windows().size();
      }
      double perfect = w * p.tpWeight();
      String norm =
          perfect == nul
              ? "n/a"
              : String.format(Locale.ROOT, "%.2f", 100 * (raw - nul) / (perfect - nul));
      out.printf(
          Locale.ROOT,
          "  %-24s files %2d windows %3d raw %8.3f normalised %s%n",
          e.getKey(),
          e.getValue().size(),
          w,
          raw,
          norm);
    }
    out.flush();
  }

  private static void writeRaw(Path file, double[][] raw) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    StringBuilder sb = new StringBuilder();
    for (int t = 0; t < raw[0].length; t++) {
      for (int i = 0; i < raw.length; i++) {
        sb.append(i == 0 ? "" : ",").append(raw[i][t]);
      }
      sb.append('\n');
    }
    Files.writeString(file, sb.toString());
  }

  static List<Path> csvFiles(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException(root + ": not a directory");
    }
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".csv"))
          .sorted()
          .toList();
    }
  }

  static String relative(Path root, Path file) {
    return root.relativize(file).toString().replace('\\', '/');
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
