package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

  /** A clock advancing 1 ms per reading. */
  private static final class FakeClock implements java.util.function.LongSupplier {
    long nanos;

    @Override
    public long getAsLong() {
      nanos += 1_000_000L;
      return nanos;
    }
  }

  @Test
  void withoutATerminalItPrintsOneLinePerTenPercentAndNoCarriageReturn() {
    StringWriter text = new StringWriter();
    ProgressBar bar =
        new ProgressBar(new PrintWriter(text), "agents", false, 200, 10, new FakeClock());
    for (long t = 1; t <= 60_480; t++) {
      bar.onProgress(t, 60_480);
    }
    bar.finish();
    String out = text.toString();
    assertFalse(out.contains("\r"));
    List<String> lines = out.lines().toList();
    // a first line when the run starts, then one per 10 %
    assertEquals(11, lines.size(), out);
    assertTrue(lines.get(0).startsWith("agents   0.0% 1/60480 ticks"), lines.get(0));
    assertTrue(lines.get(1).startsWith("agents  10.0% 6048/60480 ticks"), lines.get(1));
    assertTrue(lines.get(10).startsWith("agents 100.0% 60480/60480 ticks"), lines.get(10));
    assertTrue(lines.get(10).contains("ticks/s"));
    assertTrue(lines.get(10).endsWith("ETA 00:00:00"), lines.get(10));
  }

  @Test
  void withoutATerminalFinishPrintsTheLastStateOnceIfTheRunStoppedEarly() {
    StringWriter text = new StringWriter();
    ProgressBar bar =
        new ProgressBar(new PrintWriter(text), "static", false, 200, 25, new FakeClock());
    for (long t = 1; t <= 30; t++) {
      bar.onProgress(t, 100);
    }
    bar.finish();
    bar.finish();
    List<String> lines = text.toString().lines().toList();
    assertEquals(3, lines.size(), text.toString());
    assertTrue(lines.get(1).startsWith("static  25.0% 25/100 ticks"), lines.get(1));
    assertTrue(lines.get(2).startsWith("static  30.0% 30/100 ticks"), lines.get(2));
  }

  @Test
  void onATerminalItRedrawsInPlaceAtMostOncePerInterval() {
    StringWriter text = new StringWriter();
    // 1 ms per clock reading, redraw every 100 ms: about one redraw per 100 ticks
    ProgressBar bar =
        new ProgressBar(new PrintWriter(text), "rule-based", true, 100, 10, new FakeClock());
    for (long t = 1; t <= 1000; t++) {
      bar.onProgress(t, 1000);
    }
    bar.finish();
    String out = text.toString();
    long redraws = out.chars().filter(c -> c == '\r').count();
    assertTrue(redraws >= 9 && redraws <= 12, "redraws " + redraws);
    assertEquals(1, out.chars().filter(c -> c == '\n').count(), "one line, ended by finish");
    assertTrue(out.endsWith("\n"));
    String last = out.substring(out.lastIndexOf('\r') + 1).trim();
    assertTrue(
        last.startsWith("rule-based [##############################] 100.0% 1000/1000"), last);
  }

  @Test
  void formatsDurations() {
    assertEquals("00:00:00", ProgressBar.duration(0));
    assertEquals("01:01:01", ProgressBar.duration(3661));
  }
}
