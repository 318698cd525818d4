package dev.autopilot.runtime.detect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code timestamp,value} series read from CSV (NAB layout: a header naming the columns, one row
 * per record; other columns, such as {@code anomaly_score} of a scored file, are allowed and kept
 * when asked for). Timestamps are {@code yyyy-MM-dd HH:mm:ss} with optional fraction, or ISO with a
 * {@code T}. Values are numbers; {@code nan}, {@code NaN} and empty values are missing (NaN).
 *
 * @param file where it was read from (for messages)
 * @param timestampText timestamps as written
 * @param valueText values as written
 * @param timestamps parsed timestamps
 * @param values parsed values (NaN when missing)
 * @param scores the {@code anomaly_score} column, or null when not requested
 */
public record SeriesCsv(
    Path file,
    List<String> timestampText,
    List<String> valueText,
    List<LocalDateTime> timestamps,
    double[] values,
    double[] scores) {

  static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("yyyy-MM-dd")
          .optionalStart()
          .appendLiteral(' ')
          .optionalEnd()
          .optionalStart()
          .appendLiteral('T')
          .optionalEnd()
          .appendPattern("HH:mm")
          .optionalStart()
          .appendPattern(":ss")
          .optionalEnd()
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
          .optionalEnd()
          .optionalStart()
          .appendLiteral('Z')
          .optionalEnd()
          .toFormatter(Locale.ROOT);

  /** Parses a timestamp, or throws {@link DateTimeParseException}. */
  static LocalDateTime parseTimestamp(String s) {
    return LocalDateTime.parse(s.trim(), TIMESTAMP);
  }

  /** Number of rows. */
  public int size() {
    return values.length;
  }

  /**
   * Reads a series.
   *
   * @param withScores also read the {@code anomaly_score} column (required then)
   * @throws IllegalArgumentException naming file, line and field for malformed content
   */
  public static SeriesCsv read(Path file, boolean withScores) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = r.readLine();
      if (header == null || header.isBlank()) {
        throw new IllegalArgumentException(
            file + ": empty file, expected a header 'timestamp,value'");
      }
      String[] cols = header.replace("\uFEFF", "").split(",", -1);
      int ts = index(cols, "timestamp");
      int val = index(cols, "value");
      int sc = withScores ? index(cols, "anomaly_score") : -1;
      if (ts < 0 || val < 0 || (withScores && sc < 0)) {
        throw new IllegalArgumentException(
            file
                + ":1: header '"
                + header
                + "' lacks column "
                + (ts < 0 ? "'timestamp'" : val < 0 ? "'value'" : "'anomaly_score'"));
      }
      int need = Math.max(ts, Math.max(val, sc)) + 1;
      List<String> tsText = new ArrayList<>();
      List<String> valText = new ArrayList<>();
      List<LocalDateTime> times = new ArrayList<>();
      List<Double> values = new ArrayList<>();
      List<Double> scores = new ArrayList<>();
      String line;
      int lineNo = 1;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split(",", -1);
        if (f.length < need) {
          throw new IllegalArgumentException(
              file + ":" + lineNo + ": expected " + cols.length + " fields, got " + f.length);
        }
        LocalDateTime t;
        try {
          t = parseTimestamp(f[ts]);
        } catch (DateTimeParseException e) {
          throw new IllegalArgumentException(
              file + ":" + lineNo + ": timestamp '" + f[ts] + "' is not yyyy-MM-dd HH:mm:ss");
        }
        tsText.add(f[ts].trim());
        valText.add(f[val].trim());
        times.add(t);
        values.add(number(file, lineNo, "value", f[val], true));
        if (withScores) {
          double s = number(file, lineNo, "anomaly_score", f[sc], false);
          if (!(s >= 0 && s <= 1)) {
            throw new IllegalArgumentException(
                file + ":" + lineNo + ": anomaly_score " + f[sc] + " is outside [0, 1]");
          }
          scores.add(s);
        }
      }
      if (times.isEmpty()) {
        throw new IllegalArgumentException(file + ": no data rows after the header");
      }
      double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
      double[] s = withScores ? scores.stream().mapToDouble(Double::doubleValue).toArray() : null;
      return new SeriesCsv(file, tsText, valText, times, v, s);
    }
  }

  private static int index(String[] cols, String name) {
    for (int i = 0; i < cols.length; i++) {
      if (cols[i].trim().equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  private static double number(Path file, int line, String field, String text, boolean missingOk) {
    String s = text.trim();
    if (missingOk && (s.isEmpty() || s.equalsIgnoreCase("nan") || s.equalsIgnoreCase("null"))) {
      return Double.NaN;
    }
    try {
      double d = Double.parseDouble(s);
      if (Double.isNaN(d) && !missingOk) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          file + ":" + line + ": " + field + " '" + text + "' is not a number");
    }
  }

  /** Writes {@code timestamp,value,anomaly_score}, one row per input row, as input text. */
  public void writeScored(Path out, double[] anomalyScores) throws IOException {
    writeWithColumn(out, "anomaly_score", anomalyScores, "%.6f");
  }

  /** Writes the scored rows to a writer (left open). */
  public void write(Writer w, double[] anomalyScores) throws IOException {
    write(w, "anomaly_score", anomalyScores, "%.6f");
  }

  /**
   * Writes {@code timestamp,value,<column>}, one row per input row, timestamp and value as input
   * text, the column's values with {@code format}; a NaN value leaves its cell empty.
   */
  public void writeWithColumn(Path out, String column, double[] extra, String format)
      throws IOException {
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      write(w, column, extra, format);
    }
  }

  /** As {@link #writeWithColumn(Path, String, double[], String)}, to a writer (left open). */
  public void write(Writer w, String column, double[] extra, String format) throws IOException {
    if (extra.length != size()) {
      throw new IllegalArgumentException(
          column + " for " + extra.length + " rows, series has " + size());
    }
    w.write("timestamp,value," + column + "\n");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < size(); i++) {
      sb.setLength(0);
      sb.append(timestampText.get(i)).append(',').append(valueText.get(i)).append(',');
      if (!Double.isNaN(extra[i])) {
        sb.append(String.format(Locale.ROOT, format, extra[i]));
      }
      sb.append('\n');
      w.write(sb.toString());
    }
    w.flush();
  }
}
