package dev.autopilot.agents.recovery.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RootCauseRankerTest {

  private static final RcaSettings SETTINGS = RcaSettings.create(ConfigFactory.load());

  // front -> mid -> leaf, front -> side, mid -> db
  private static final ServiceGraph GRAPH =
      ServiceGraph.of(
          List.of("front", "mid", "leaf", "side", "db", "fresh"),
          Map.of(
              "front", Set.of("mid", "side"),
              "mid", Set.of("leaf", "db", "fresh")));

  private static final double[] TS = {0, 300, 600, 900, 1200};
  private static final double ALARM = 600;

  /** A healthy service: latency around {@code lat} s, {@code req} requests, 100 % available. */
  private static NodeSeries healthy(Random rnd, double lat, double req, int n) {
    double[] l = new double[n];
    double[] r = new double[n];
    double[] a = new double[n];
    for (int i = 0; i < n; i++) {
      l[i] = lat * (1 + 0.03 * rnd.nextGaussian());
      r[i] = Math.round(req * (1 + 0.03 * rnd.nextGaussian()));
      a[i] = 100;
    }
    return new NodeSeries(Map.of("Average", l, "p99", l.clone()), r, a);
  }

  private static NodeSeries addLatency(NodeSeries s, double extra) {
    double[] l = s.latency().get("Average").clone();
    for (int i = 2; i < l.length; i++) {
      l[i] += extra;
    }
    return new NodeSeries(Map.of("Average", l, "p99", l.clone()), s.requests(), s.availability());
  }

  private static NodeSeries failShare(NodeSeries s, double failedPercent) {
    double[] a = s.availability().clone();
    for (int i = 2; i < a.length; i++) {
      a[i] = 100 - failedPercent;
    }
    return new NodeSeries(s.latency(), s.requests(), a);
  }

  private static Map<String, NodeSeries> healthyWindow(Random rnd, int n) {
    Map<String, NodeSeries> m = new LinkedHashMap<>();
    m.put("front", healthy(rnd, 0.10, 700, n));
    m.put("mid", healthy(rnd, 0.05, 400, n));
    m.put("leaf", healthy(rnd, 0.01, 800, n));
    m.put("side", healthy(rnd, 0.02, 300, n));
    m.put("db", healthy(rnd, 0.02, 200, n));
    return m;
  }

  private static List<RootCauseRanker.Candidate> rank(
      Map<String, NodeSeries> window, Map<String, NodeSeries> baseline, SymptomKind alarm) {
    IncidentWindow w = new IncidentWindow(TS, window, ALARM, Optional.of(alarm));
    Map<String, NodeAnomaly> a = new AnomalyScorer(SETTINGS).score(w, baseline);
    return new RootCauseRanker(SETTINGS).rank(GRAPH, a, Optional.of(alarm));
  }

  @Test
  void leafLatencyFaultPropagatingUpstreamRanksTheLeafFirstWithoutBaseline() {
    Map<String, NodeSeries> w = healthyWindow(new Random(1), 5);
    // 200 ms added at the leaf shows (diluted) at every caller up to the front end.
    w.put("leaf", addLatency(w.get("leaf"), 0.2));
    w.put("mid", addLatency(w.get("mid"), 0.2));
    w.put("front", addLatency(w.get("front"), 0.1));
    List<RootCauseRanker.Candidate> r = rank(w, Map.of(), SymptomKind.LATENCY);
    assertEquals("leaf", r.get(0).node(), r.toString());
    assertTrue(r.get(0).score() > 2 * r.get(1).score(), r.toString());
  }

  @Test
  void leafLatencyFaultRanksTheLeafFirstWithBaseline() {
    Map<String, NodeSeries> w = healthyWindow(new Random(2), 5);
    w.put("leaf", addLatency(w.get("leaf"), 0.2));
    w.put("mid", addLatency(w.get("mid"), 0.2));
    w.put("front", addLatency(w.get("front"), 0.1));
    Map<String, NodeSeries> baseline = healthyWindow(new Random(3), 200);
    List<RootCauseRanker.Candidate> r = rank(w, baseline, SymptomKind.LATENCY);
    assertEquals("leaf", r.get(0).node(), r.toString());
  }

  @Test
  void midTierErrorsWithHealthyCalleesRankTheMidTierFirst() {
    Map<String, NodeSeries> w = healthyWindow(new Random(4), 5);
    w.put("mid", failShare(w.get("mid"), 5));
    w.put("front", failShare(w.get("front"), 3));
    List<RootCauseRanker.Candidate> r = rank(w, Map.of(), SymptomKind.AVAILABILITY);
    assertEquals("mid", r.get(0).node(), r.toString());
  }

  @Test
  void aNewlyCalledFailingDependencyDoesNotExplainItsCaller() {
    Map<String, NodeSeries> w = healthyWindow(new Random(5), 5);
    w.put("mid", failShare(w.get("mid"), 10));
    w.put("front", failShare(w.get("front"), 6));
    // The faulty mid tier starts calling a dependency it never called, and every call fails.
    double[] req = {0, 0, 40, 40, 40};
    double[] ava = {Double.NaN, Double.NaN, 0, 0, 0};
    w.put("fresh", new NodeSeries(Map.of(), req, ava));
    List<RootCauseRanker.Candidate> r = rank(w, Map.of(), SymptomKind.AVAILABILITY);
    assertEquals("mid", r.get(0).node(), r.toString());
  }

  @Test
  void aStrongAnomalyIsNotExplainedByACalleeWithATinyRise() {
    Map<String, NodeSeries> w = healthyWindow(new Random(6), 5);
    w.put("mid", addLatency(w.get("mid"), 0.3));
    w.put("front", addLatency(w.get("front"), 0.15));
    // The db callee rises by 5 ms: visible, but far too small to explain 300 ms.
    w.put("db", addLatency(w.get("db"), 0.005));
    List<RootCauseRanker.Candidate> r = rank(w, Map.of(), SymptomKind.LATENCY);
    assertEquals("mid", r.get(0).node(), r.toString());
  }

  @Test
  void nodesWithoutMetricsAreRankedLast() {
    Map<String, NodeSeries> w = healthyWindow(new Random(7), 5);
    w.put("side", addLatency(w.get("side"), 0.3));
    w.put("front", addLatency(w.get("front"), 0.1));
    List<RootCauseRanker.Candidate> r = rank(w, Map.of(), SymptomKind.LATENCY);
    assertEquals("side", r.get(0).node());
    assertEquals(GRAPH.nodes().size(), r.size());
  }

  @Test
  void preFaultSamplesStartHalfAPeriodBeforeTheAlarm() {
    Map<String, NodeSeries> none = new HashMap<>();
    boolean[] pre = new IncidentWindow(TS, none, 700, Optional.empty()).preFault();
    assertTrue(pre[0] && pre[1] && !pre[2] && !pre[3] && !pre[4]);
    boolean[] noAlarm = new IncidentWindow(TS, none, Double.NaN, Optional.empty()).preFault();
    assertTrue(noAlarm[0] && !noAlarm[1]);
    boolean[] early = new IncidentWindow(TS, none, -1000, Optional.empty()).preFault();
    assertTrue(early[0] && !early[1], "always one pre-fault sample");
  }

  @Test
  void badInputIsRejectedWithAClearMessage() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ServiceGraph.of(List.of("a"), Map.of("a", Set.of("b"))));
    assertTrue(e.getMessage().contains("unknown node b"), e.getMessage());
    Map<String, NodeSeries> bad =
        Map.of("x", new NodeSeries(Map.of(), new double[3], new double[3]));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new IncidentWindow(TS, bad, ALARM, Optional.empty()));
    assertTrue(e.getMessage().contains("service x has 3 samples"), e.getMessage());
  }
}
