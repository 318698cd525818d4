package dev.autopilot.runtime.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A text progress bar for one controller's run, on stderr: ticks done over total, ticks per second
 * and the estimated time left (wall clock: this is the user interface, not a policy).
 *
 * <p>On a terminal it redraws one line in place ({@code \r}), at most once per redraw interval.
 * Without a terminal (CI logs, redirected output) it prints a plain line each time another {@code
 * stepPercent} percent is done, plus one at the end, so logs stay short.
 */
public final class ProgressBar implements ProgressListener {

  private static final int BAR_WIDTH = 30;

  private final PrintWriter out;
  private final String label;
  private final boolean terminal;
  private final long redrawNanos;
  private final int stepPercent;
  private final LongSupplier nanoClock;
  private final String unit;

  private long startNanos = -1;
  private long lastDrawNanos;
  private long lastStep = -1;
  private long lastDone = -1;
  private long lastTotal;
  private boolean finishedLine;
  private int lastWidth;

  /**
   * @param out where to draw (stderr)
   * @param label shown first (the controller)
   * @param terminal redraw in place when true, plain lines when false
   * @param redrawMillis shortest interval between two redraws on a terminal
   * @param stepPercent progress between two plain lines
   * @param nanoClock monotonic clock, {@code System::nanoTime} outside tests
   */
  public ProgressBar(
      PrintWriter out,
      String label,
      boolean terminal,
      long redrawMillis,
      int stepPercent,
      LongSupplier nanoClock) {
    this(out, label, terminal, redrawMillis, stepPercent, nanoClock, "ticks");
  }

  /**
   * A bar that counts something other than ticks (files, epochs, incidents).
   *
   * @param unit plural name of what is counted
   */
  public ProgressBar(
      PrintWriter out,
      String label,
      boolean terminal,
      long redrawMillis,
      int stepPercent,
      LongSupplier nanoClock,
      String unit) {
    this.out = out;
    this.label = label;
    this.terminal = terminal;
    this.redrawNanos = redrawMillis * 1_000_000L;
    this.stepPercent = Math.max(1, stepPercent);
    this.nanoClock = nanoClock;
    this.unit = unit;
  }

  /**
   * Whether the process seems attached to an interactive terminal: a console, no {@code CI}
   * variable, and a terminal type other than {@code dumb}.
   */
  public static boolean detectTerminal() {
    return System.console() != null
        && System.getenv("CI") == null
        && !"dumb".equals(System.getenv("TERM"));
  }

  @Override
  public void onProgress(long ticksDone, long totalTicks) {
    long now = nanoClock.getAsLong();
    if (startNanos < 0) {
      startNanos = now;
      lastDrawNanos = now - redrawNanos;
    }
    lastDone = ticksDone;
    lastTotal = totalTicks;
    boolean complete = ticksDone >= totalTicks;
    if (terminal) {
      if (complete || now - lastDrawNanos >= redrawNanos) {
        String line = line(ticksDone, totalTicks, now, true);
        int padding = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(padding));
        out.flush();
        lastWidth = line.length();
        lastDrawNanos = now;
      }
    } else {
      long step = totalTicks <= 0 ? 0 : ticksDone * 100 / totalTicks / stepPercent;
      if (step > lastStep || (complete && !finishedLine)) {
        lastStep = step;
        finishedLine = complete;
        out.println(line(ticksDone, totalTicks, now, false));
        out.flush();
      }
    }
  }

  /** Ends the bar: a final line break on a terminal, a final line if none said 100 %. */
  public void finish() {
    if (lastDone < 0) {
      return;
    }
    if (terminal) {
      out.println();
      out.flush();
    } else if (!finishedLine) {
      out.println(line(lastDone, lastTotal, nanoClock.getAsLong(), false));
      out.flush();
      finishedLine = true;
    }
  }

  private String line(long done, long total, long now, boolean bar) {
    double fraction = total <= 0 ? 1 : Math.min(1.0, (double) done / total);
    double seconds = (now - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    String eta = rate > 0 ? duration((total - done) / rate) : "--:--:--";
    StringBuilder sb = new StringBuilder(label).append(' ');
    if (bar) {
      int filled = (int) Math.round(fraction * BAR_WIDTH);
      sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%5.1f%% %d/%d " + unit + ", %.0f " + unit + "/s, ETA %s",
            fraction * 100,
            done,
            total,
            rate,
            eta));
    return sb.toString();
  }

  static String duration(double seconds) {
    long s = Math.max(0, Math.round(seconds));
    return String.format(Locale.ROOT, "%02d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  }
}
