package dev.autopilot.runtime.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The side-by-side table printed at the end of a run: one row per figure of {@link Score#FIELDS},
 * one column per controller, undefined figures shown as {@code n/a}.
 */
public final class ConsoleTable {

  private ConsoleTable() {}

  /**
   * The table as text, lines ended by {@code \n}; followed, when a controller reports detector
   * scores (the agents), by a second table of event-level precision and recall per detector, and,
   * when the prediction agent's model made forecasts, a table of their quality per week.
   */
  public static String render(List<Score> scores) {
    StringBuilder sb = new StringBuilder(figures(scores));
    for (Score s : scores) {
      if (s.detectors().isEmpty()) {
        continue;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            s.controller().id() + " detector",
            "precision %",
            "recall %",
            "episodes",
            "faults caught"
          });
      for (DetectorScore d : s.detectors()) {
        rows.add(
            new String[] {
              d.detector(),
              Numbers.text(d.precisionPct(), 2, "n/a"),
              Numbers.text(d.recallPct(), 2, "n/a"),
              Long.toString(d.episodes()),
              d.faultsCaught() + "/" + d.faults()
            });
      }
      sb.append('\n').append(layout(rows));
    }
    for (Score s : scores) {
      if (s.predictionWeeks().isEmpty()) {
        continue;
      }
      List<String[]> rows = new ArrayList<>();
      rows.add(
          new String[] {
            s.controller().id() + " prediction",
            "accuracy %",
            "precision %",
            "recall %",
            "FPR %",
            "F1 %",
            "forecasts",
            "violated",
            "model versions"
          });
      for (PredictionWeek w : s.predictionWeeks()) {
        rows.add(
            new String[] {
              "week " + w.week(),
              Numbers.text(w.accuracyPct(), 2, "n/a"),
              Numbers.text(w.precisionPct(), 2, "n/a"),
              Numbers.text(w.recallPct(), 2, "n/a"),
              Numbers.text(w.fprPct(), 2, "n/a"),
              Numbers.text(w.f1Pct(), 2, "n/a"),
              Long.toString(w.samples()),
              Long.toString(w.positives()),
              w.versionsText()
            });
      }
      sb.append('\n').append(layout(rows));
    }
    return sb.toString();
  }

  private static String figures(List<Score> scores) {
    List<String[]> rows = new ArrayList<>();
    String[] header = new String[scores.size() + 1];
    header[0] = "metric";
    for (int i = 0; i < scores.size(); i++) {
      header[i + 1] = scores.get(i).controller().id();
    }
    rows.add(header);
    for (Score.Field f : Score.FIELDS) {
      String[] row = new String[scores.size() + 1];
      row[0] = f.label();
      for (int i = 0; i < scores.size(); i++) {
        row[i + 1] = Numbers.text(f.value().apply(scores.get(i)), f.decimals(), "n/a");
      }
      rows.add(row);
    }
    return layout(rows);
  }

  /** Lays out rows (the first is the header) in columns: the first left-aligned, others right. */
  static String layout(List<String[]> rows) {
    String[] header = rows.get(0);
    int[] width = new int[header.length];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      String[] row = rows.get(r);
      for (int c = 0; c < row.length; c++) {
        if (c == 0) {
          sb.append(pad(row[c], width[c], false));
        } else {
          sb.append("  ").append(pad(row[c], width[c], true));
        }
      }
      sb.append('\n');
      if (r == 0) {
        int total = width[0];
        for (int c = 1; c < width.length; c++) {
          total += 2 + width[c];
        }
        sb.append("-".repeat(total)).append('\n');
      }
    }
    return sb.toString();
  }

  private static String pad(String s, int width, boolean right) {
    String fill = " ".repeat(width - s.length());
    return right ? fill + s : s + fill;
  }
}
