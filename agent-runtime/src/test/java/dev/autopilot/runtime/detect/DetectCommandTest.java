package dev.autopilot.runtime.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DetectCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new DetectCommand(new PrintWriter(err, true), false));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          cmd.getErr().println("failed: " + ex.getMessage());
          return 1;
        });
    return cl.execute(args);
  }

  /** A 5-minute series of n rows with a spike at row 300 (value "nan" at row 10). */
  private Path series(String rel, int n) throws IOException {
    Path f = dir.resolve("in").resolve(rel);
    Files.createDirectories(f.getParent());
    StringBuilder sb = new StringBuilder("timestamp,value\n");
    for (int t = 0; t < n; t++) {
      String ts =
          String.format(
              Locale.ROOT, "2014-04-%02d %02d:%02d:00", 1 + t / 288, (t / 12) % 24, (t % 12) * 5);
      double v = 10 + Math.sin(t / 20.0) + (t == 300 ? 15 : 0);
      sb.append(ts).append(',').append(t == 10 ? "nan" : String.valueOf(v)).append('\n');
    }
    Files.writeString(f, sb.toString());
    return f;
  }

  @Test
  void directoryOutputMirrorsRelativePathsWithOneScoredRowPerInputRow() throws IOException {
    series("folderA/a.csv", 400);
    series("folderB/b.csv", 350);
    int code =
        run(
            "--input-dir", dir.resolve("in").toString(),
            "--output-dir", dir.resolve("out").toString(),
            "--detector", "iforest");
    assertEquals(0, code, err.toString());
    for (String rel : List.of("folderA/a.csv", "folderB/b.csv")) {
      List<String> in = Files.readAllLines(dir.resolve("in").resolve(rel));
      List<String> o = Files.readAllLines(dir.resolve("out").resolve(rel));
      assertEquals("timestamp,value,anomaly_score", o.get(0));
      assertEquals(in.size(), o.size());
      for (int i = 1; i < o.size(); i++) {
        String[] f = o.get(i).split(",");
        assertEquals(in.get(i), f[0] + "," + f[1]);
        double s = Double.parseDouble(f[2]);
        assertTrue(s >= 0 && s <= 1, "score " + s + " on line " + (i + 1));
      }
    }
  }

  @Test
  void singleFileAndScoringWithLabels() throws IOException {
    Path in = series("folderA/a.csv", 400);
    Path labels = dir.resolve("windows.json");
    Files.writeString(
        labels,
        "{\"folderA/a.csv\": [[\"2014-04-01 23:00:00.000000\", \"2014-04-02 01:00:00.000000\"]]}");
    int code =
        run(
            "--input", in.toString(),
            "--output", dir.resolve("a.csv").toString(),
            "--detector", "iforest");
    assertEquals(0, code, err.toString());
    assertEquals(401, Files.readAllLines(dir.resolve("a.csv")).size());

    code =
        run(
            "--score",
            "--labels",
            labels.toString(),
            "--input-dir",
            dir.resolve("in").toString(),
            "--detector",
            "iforest");
    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("standard"), out.toString());
    assertTrue(out.toString().contains("reward_low_FN_rate"), out.toString());

    code =
        run(
            "--score",
            "--labels",
            labels.toString(),
            "--input-dir",
            dir.resolve("in").toString(),
            "--components");
    assertEquals(0, code, err.toString());
    for (String kind : List.of("ensemble", "iforest", "autoencoder", "lstm")) {
      assertTrue(out.toString().contains("NAB scores of " + kind + ":"), out.toString());
    }

    Files.createDirectories(dir.resolve("scored/folderA"));
    Files.copy(dir.resolve("a.csv"), dir.resolve("scored/folderA/a.csv"));
    code =
        run(
            "--score",
            "--labels",
            labels.toString(),
            "--scored-dir",
            dir.resolve("scored").toString());
    assertEquals(0, code, err.toString());
  }

  private String failure(String content) throws IOException {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, content);
    assertEquals(1, run("--input", f.toString(), "--detector", "iforest"));
    return err.toString();
  }

  @Test
  void badInputNamesFileAndLine() throws IOException {
    assertTrue(failure("").contains("bad.csv: empty file"), err.toString());
    assertTrue(failure("time,value\n").contains("bad.csv:1: header"), err.toString());
    assertTrue(
        failure("timestamp,value\n2014-01-01 00:00:00,1\nyesterday,2\n")
            .contains("bad.csv:3: timestamp 'yesterday'"),
        err.toString());
    assertTrue(
        failure("timestamp,value\n2014-01-01 00:00:00,1\n2014-01-01 00:05:00,abc\n")
            .contains("bad.csv:3: value 'abc' is not a number"),
        err.toString());
    assertTrue(failure("timestamp,value\n").contains("bad.csv: no data rows"), err.toString());
  }

  @Test
  void usageErrors() {
    assertEquals(2, run("--detector", "iforest"));
    assertEquals(2, run("--input", "x.csv", "--detector", "nope"));
    assertEquals(2, run("--input", "x.csv", "--score"));
  }

  @Test
  void scoresARealNabFileWhenTheDataIsPresent() throws IOException {
    Path nab = Path.of("/work/shared/data/nab/data/realAdExchange/exchange-2_cpc_results.csv");
    assumeTrue(Files.isRegularFile(nab), "NAB data not present");
    Path o = dir.resolve("nab.csv");
    assertEquals(
        0, run("--input", nab.toString(), "--output", o.toString(), "--detector", "iforest"));
    assertEquals(Files.readAllLines(nab).size(), Files.readAllLines(o).size());
  }
}
