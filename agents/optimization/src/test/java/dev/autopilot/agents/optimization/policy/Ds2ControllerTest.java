package dev.autopilot.agents.optimization.policy;

import static dev.autopilot.api.testing.Graphs.op;
import static dev.autopilot.api.testing.Graphs.snapshot;
import static dev.autopilot.api.testing.Graphs.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.JobMetrics.JobState;
import dev.autopilot.api.testing.Graphs;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ds2ControllerTest {
  private static final OptimizationSettings SETTINGS =
      OptimizationSettings.create(ConfigFactory.load());
  /** The defaults without the scale-down interval, to test the stabilisation window alone. */
  private static final OptimizationSettings NO_INTERVAL =
      OptimizationSettings.create(
          ConfigFactory.parseString("autopilot.optimization.scale-down-interval-ticks = 0")
              .withFallback(ConfigFactory.load()));
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);

  /** Runs ticks [from, to) and returns every proposal; proposals are answered at once. */
  private static List<Proposal> run(
      Ds2Controller ds2, long from, long to, LongFunction<TelemetrySnapshot> at) {
    List<Proposal> proposals = new ArrayList<>();
    ProposalHistory history = ProposalHistory.NONE;
    for (long t = from; t < to; t++) {
      Optional<Proposal> p = ds2.evaluate(at.apply(t), SLA, history).proposal();
      if (p.isPresent()) {
        proposals.add(p.get());
        history = new ProposalHistory(t, false);
      }
    }
    return proposals;
  }

  private static Map<String, Integer> parallelism(Proposal p) {
    return assertInstanceOf(Action.Reconfigure.class, p.action()).target().parallelism();
  }

  @Test
  void computesTheTextbookParallelism() {
    // Demand 400,000 events/s at the source, no lag (no catch-up), target utilisation 0.7.
    // true rate per subtask r = recordsIn / busy / p; target T = 400,000 x inputRatio;
    // required = ceil(T / (r x 0.7)).
    List<Graphs.Op> ops =
        List.of(
            // r = 400,000 / 0.7 / 8 = 71,428.6; ceil(400,000 / 50,000) = 8: unchanged
            op("source", 8, 400_000, 400_000, 0.7),
            // r = 400,000 / 0.9 / 16 = 27,777.8; ceil(400,000 / 19,444.4) = ceil(20.57) = 21: up
            op("parse", 16, 400_000, 400_000, 0.9),
            // r = 400,000 / 0.7 / 16 = 35,714.3; ceil(400,000 / 25,000) = 16: unchanged
            op("enrich", 16, 400_000, 400_000, 0.7),
            // r = 400,000 / 0.35 / 16 = 71,428.6; ceil(400,000 / 50,000) = 8: a scale-down, held
            // (and never carried along by a scale-up)
            op("filter", 16, 400_000, 100_000, 0.35),
            // input ratio 0.25: T = 100,000; r = 100,000 / 0.7 / 4 = 35,714.3; ceil(4.0) = 4
            op("transform", 4, 100_000, 100_000, 0.7),
            // r = 100,000 / 0.7 / 8 = 17,857.1; ceil(100,000 / 12,500) = 8: unchanged
            op("window-agg", 8, 100_000, 100_000, 0.7),
            // r = 100,000 / 0.875 / 8 = 14,285.7; ceil(100,000 / 10,000) = 10: up (+25 %)
            op("session-agg", 8, 100_000, 50_000, 0.875),
            // input ratio 0.125: T = 50,000; r = 50,000 / 0.7 / 4 = 17,857.1; ceil(4.0) = 4
            op("sink", 4, 50_000, 50_000, 0.7));
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    List<Proposal> proposals = run(ds2, 0, 7, t -> snapshot(t, 0, JobState.RUNNING, 8, ops));

    assertEquals(1, proposals.size());
    Proposal p = proposals.get(0);
    assertEquals(6, p.tick(), "first tick after the 6 settle ticks");
    assertEquals("optimization-p1-6-0", p.id());
    assertEquals(AgentKind.OPTIMIZATION, p.agent());
    assertEquals(PriorityClass.OPTIMIZATION, p.priority());
    assertEquals(12, p.expiryTick());
    assertEquals(
        Map.of(
            "source",
            8,
            "parse",
            21,
            "enrich",
            16,
            "filter",
            16,
            "transform",
            4,
            "window-agg",
            8,
            "session-agg",
            10,
            "sink",
            4),
        parallelism(p));
    // TaskManagers = ceil(21 / 4 slots) = 6.
    PipelineConfig target = ((Action.Reconfigure) p.action()).target();
    assertEquals(6, target.taskManagers());
    assertTrue(target.structuralErrors().isEmpty());
    // Capacity: parse bounds it at 27,777.8 x 16 = 444,444/s before; after, session-agg bounds it
    // at 14,285.7 x 10 / 0.25 = 571,429/s. Predicted throughput = min(400,000, 571,429).
    assertEquals(400_000, p.expectedEffect().predictedThroughput(), 1e-6);
    assertEquals(0, p.expectedEffect().throughputChange(), 1e-9);
    assertTrue(p.expectedEffect().latencyChange() < 0);
    assertEquals(1.0, p.confidence(), 1e-9, "constant rates: no variation");
    assertTrue(
        p.evidence().stream()
            .anyMatch(
                e ->
                    e.equals(
                        "parse: true rate 27778/s per subtask, target 400000/s, utilisation 0.90,"
                            + " required parallelism 21, current 16 -> 21")));
    assertTrue(
        p.evidence().stream()
            .anyMatch(
                e ->
                    e.startsWith(
                        "filter: true rate 71429/s per subtask, target 400000/s, utilisation 0.35,"
                            + " required parallelism 8, current 16 -> 16")));
    // Net benefit: SLA risk at 400,000/s falls from (0.9 - 0.7) / 0.3 = 0.667 to 0 (utilisation
    // 0.7), and slots fall from 32 to 24 (-25 %): 0.667 + 0.5 x 0.25 = 0.792.
    assertEquals(2.0 / 3 + 0.5 * 0.25, p.expectedEffect().netBenefit(), 1e-6);
  }

  @Test
  void scalesUpImmediatelyUnderBacklog() {
    // Until tick 10: 500,000/s at busy 0.625 (r = 500,000 / 0.625 / 16 = 50,000 per subtask):
    // required ceil(500,003 / 35,000) = 15, inside the dead band of 16. From tick 10 the offered
    // load doubles: the pipeline saturates at 800,000/s and the lag grows by 2,000,000 per tick.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    LongFunction<TelemetrySnapshot> at =
        t -> {
          if (t < 10) {
            return snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 500_000, 0.625));
          }
          return snapshot(
              t, 1_000 + 2_000_000.0 * (t - 9), JobState.RUNNING, 8, uniform(16, 800_000, 1.0));
        };
    assertTrue(run(ds2, 0, 10, at).isEmpty());
    Proposal p = run(ds2, 10, 11, at).get(0);
    assertEquals(10, p.tick());
    // demand = 800,000 + 2,000,000 / 10 s = 1,000,000/s; catch-up = 2,001,000 / 300 s = 6,670/s;
    // r = 800,000 / 1.0 / 16 = 50,000; required = ceil(1,006,670 / 35,000) = ceil(28.76) = 29.
    parallelism(p).values().forEach(v -> assertEquals(29, v));
    assertEquals(8, ((Action.Reconfigure) p.action()).target().taskManagers());
    assertTrue(p.expectedEffect().throughputChange() > 0.2);
    assertTrue(p.expectedEffect().netBenefit() > 0);
  }

  @Test
  void countsTheCatchUpOfAStandingBacklog() {
    // 500,000/s at busy 0.625 (r = 50,000 per subtask, utilisation 0.625) with a standing lag of
    // 60,000,000 records: catch-up adds 60,000,000 / 300 s = 200,000/s, utilisation at the target
    // rate 700,000 / 800,000 = 0.875, above the band: required = ceil(700,000 / 35,000) = 20.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    List<Proposal> proposals =
        run(ds2, 0, 7, t -> snapshot(t, 6e7, JobState.RUNNING, 8, uniform(16, 500_000, 0.625)));
    assertEquals(1, proposals.size());
    parallelism(proposals.get(0)).values().forEach(v -> assertEquals(20, v));
  }

  @Test
  void aBacklogTheSpareCapacityCatchesUpIsNoReasonToRestart() {
    // Half that lag: catch-up 100,000/s, utilisation at the target rate 0.75, inside the band
    // [0.45, 0.85]: the spare capacity drains it, a rescale would only add a restart.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    Ds2Controller.Result last = null;
    for (long t = 0; t < 100; t++) {
      last =
          ds2.evaluate(
              snapshot(t, 3e7, JobState.RUNNING, 8, uniform(16, 500_000, 0.625)),
              SLA,
              ProposalHistory.NONE);
      assertTrue(last.proposal().isEmpty(), "tick " + t + ": " + last.reason());
    }
    assertTrue(last.reason().contains("utilisation 0.75"), last.reason());
  }

  @ParameterizedTest(name = "busy {0} -> parallelism {1}")
  @CsvSource({
    // r = 50,000 per subtask throughout (load = 800,000 x busy); utilisation = busy.
    "0.84, 16", // inside the band: kept although DS2 would ask for ceil(16 x 0.84 / 0.7) = 20
    "0.86, 20", // above 0.85: ceil(688,000 / 35,000) = ceil(19.66) = 20
    "0.46, 16", // inside the band: kept although DS2 would ask for 11
    "0.44, 12" // below 0.45: ceil(352,000 / 35,000) = 11, bounded by the 25 % step to 12
  })
  void resizesOnlyOutsideTheUtilisationBand(double busy, int expected) {
    Ds2Controller ds2 = new Ds2Controller(NO_INTERVAL);
    List<Proposal> proposals =
        run(
            ds2,
            0,
            200,
            t -> snapshot(t, 0, JobState.RUNNING, 8, uniform(16, 800_000 * busy, busy)));
    if (expected == 16) {
      assertTrue(proposals.isEmpty(), "no proposal inside the band");
    } else {
      parallelism(proposals.get(0)).values().forEach(v -> assertEquals(expected, v));
    }
  }

  @Test
  void spacesScaleDownsByTheScaleDownInterval() {
    // Utilisation 0.4 from the start: the stabilisation window would allow a scale-down at tick
    // 66, but the configuration (first seen at tick 0) must be unchanged for 360 ticks.
    int interval = SETTINGS.scaleDownIntervalTicks();
    assertEquals(360, interval);
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    LongFunction<TelemetrySnapshot> at =
        t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 320_000, 0.4));
    assertTrue(run(ds2, 0, interval, at).isEmpty(), "no scale-down within the interval");
    Proposal p = run(ds2, interval, interval + 1, at).get(0);
    parallelism(p).values().forEach(v -> assertEquals(12, v));
    // After the rescale the interval starts again from the new configuration.
    LongFunction<TelemetrySnapshot> smaller =
        t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(12, 240_000, 0.4));
    long from = interval + 1;
    assertTrue(run(ds2, from, from + interval, smaller).isEmpty());
    Proposal second = run(ds2, from + interval, from + interval + 1, smaller).get(0);
    // r = 240,000 / 0.4 / 12 = 50,000; required ceil(240,003 / 35,000) = 7, step floor 9.
    parallelism(second).values().forEach(v -> assertEquals(9, v));
  }

  @Test
  void scaleUpsAreNotSpaced() {
    // A configuration change at tick 0, overload at tick 10: scale up at once.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    LongFunction<TelemetrySnapshot> at =
        t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, t < 10 ? 480_000 : 760_000,
            t < 10 ? 0.6 : 0.95));
    List<Proposal> proposals = run(ds2, 0, 12, at);
    assertEquals(List.of(10L), proposals.stream().map(Proposal::tick).toList());
  }

  @Test
  void backsOffTheDirectionOfARolledBackProposal() {
    int backoff = SETTINGS.rollbackBackoffTicks();
    assertEquals(360, backoff);
    Ds2Controller ds2 = new Ds2Controller(NO_INTERVAL);
    // A scale-down was rolled back at tick 50: none until tick 410, then it comes.
    ProposalHistory history = new ProposalHistory(30, false, Long.MIN_VALUE, 50);
    LongFunction<TelemetrySnapshot> low =
        t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 320_000, 0.4));
    Ds2Controller.Result r = null;
    for (long t = 0; t < 50 + backoff; t++) {
      r = ds2.evaluate(low.apply(t), SLA, history);
      assertTrue(r.proposal().isEmpty(), "tick " + t);
    }
    assertTrue(r.reason().contains("backing off until tick " + (50 + backoff)), r.reason());
    assertTrue(ds2.evaluate(low.apply(50 + backoff), SLA, history).proposal().isPresent());

    // The other direction is not held back: a scale-up right after the rolled-back scale-down.
    Ds2Controller up = new Ds2Controller(NO_INTERVAL);
    LongFunction<TelemetrySnapshot> high =
        t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 760_000, 0.95));
    for (long t = 60; t < 66; t++) {
      assertTrue(up.evaluate(high.apply(t), SLA, history).proposal().isEmpty(), "settling");
    }
    Proposal p = up.evaluate(high.apply(66), SLA, history).proposal().orElseThrow();
    parallelism(p).values().forEach(v -> assertEquals(22, v));
  }

  @Test
  void theCpuLoadIsAFloorUnderEveryOperatorsUtilisation() {
    // Per thread the operators look idle-ish (utilisation 0.5), but the TaskManagers' cores are
    // 90 % loaded (slot sharing): scale every operator for the CPU, ceil(16 x 0.9 / 0.7) = 21.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    List<Proposal> proposals =
        run(ds2, 0, 7, t -> snapshot(t, 0, JobState.RUNNING, 8, uniform(16, 400_000, 0.5), 0.9));
    assertEquals(1, proposals.size());
    Proposal p = proposals.get(0);
    parallelism(p).values().forEach(v -> assertEquals(21, v));
    // Capacity before: CPU-bound 400,000 / 0.9 = 444,444/s, not the per-thread 800,000/s.
    assertTrue(p.evidence().stream().anyMatch(e -> e.contains("CPU-bound capacity 444444/s")));
    // And a per-thread scale-down is not proposed while the CPU load is inside the band.
    Ds2Controller down = new Ds2Controller(NO_INTERVAL);
    assertTrue(
        run(down, 0, 200, t -> snapshot(t, 0, JobState.RUNNING, 8, uniform(16, 320_000, 0.4), 0.6))
            .isEmpty());
  }

  @Test
  void holdsScaleDownUntilTheStabilisationWindowPasses() {
    // 200,000/s at busy 0.4: r = 200,000 / 0.4 / 16 = 31,250, utilisation 0.4 (below the band);
    // required ceil(200,003 / 21,875) = 10, bounded by the 25 % step to 12. The window opens at
    // tick 6 (first settled tick).
    Ds2Controller ds2 = new Ds2Controller(NO_INTERVAL);
    LongFunction<TelemetrySnapshot> at =
        t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 200_000, 0.4));
    assertTrue(run(ds2, 0, 66, at).isEmpty(), "held for 60 ticks");
    Proposal p = run(ds2, 66, 67, at).get(0);
    parallelism(p).values().forEach(v -> assertEquals(12, v));
    assertEquals(3, ((Action.Reconfigure) p.action()).target().taskManagers());
    assertTrue(p.expectedEffect().netBenefit() > 0, "frees slots at no SLA risk");
    assertTrue(p.expectedEffect().latencyChange() > 0 && p.expectedEffect().latencyChange() < 0.2);
    // Predicted: the demand plus the catch-up of the 1,000-record lag in 300 s, all of it served.
    assertEquals(200_000 + 1_000.0 / 300, p.expectedEffect().predictedThroughput(), 1e-6);
    assertEquals(1_000.0 / 300 / 200_000, p.expectedEffect().throughputChange(), 1e-9);
  }

  @Test
  void aTickWithoutTheLowerRecommendationRestartsTheWindow() {
    // As above, but at tick 40 the load is 300,000/s at busy 0.6 (r = 31,250 again): utilisation
    // 0.6, inside the band. The window restarts at tick 41, so the scale-down comes at 41 + 60 =
    // 101 instead of 66.
    Ds2Controller ds2 = new Ds2Controller(NO_INTERVAL);
    LongFunction<TelemetrySnapshot> at =
        t ->
            t == 40
                ? snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 300_000, 0.6))
                : snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 200_000, 0.4));
    List<Proposal> proposals = run(ds2, 0, 102, at);
    assertEquals(List.of(101L), proposals.stream().map(Proposal::tick).toList());
    parallelism(proposals.get(0)).values().forEach(v -> assertEquals(12, v));
  }

  @ParameterizedTest(name = "p={0}, load {1}/s at busy {2} -> {3}")
  @CsvSource({
    // r = 50,000 / 0.25 / 16 = 12,500; required ceil(50,003 / 8,750) = 6; max step: ceil(12) = 12
    "16, 50000, 0.25, 12",
    // r = 10,000 / 0.2 / 5 = 10,000; required ceil(10,003 / 7,000) = 2 -> min 4; step floor 4
    "5, 10000, 0.2, 4",
    // r = 10,000 / 0.2 / 8 = 6,250; required ceil(10,003 / 4,375) = 3 -> min 4; step floor 6
    "8, 10000, 0.2, 6"
  })
  void respectsTheMinimumAndTheMaxStep(int current, double rate, double busy, int expected) {
    Ds2Controller ds2 = new Ds2Controller(NO_INTERVAL);
    List<Proposal> proposals =
        run(ds2, 0, 67, t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(current, rate, busy)));
    assertEquals(1, proposals.size());
    assertEquals(66, proposals.get(0).tick());
    parallelism(proposals.get(0)).values().forEach(v -> assertEquals(expected, v));
  }

  @Test
  void neverGoesBelowTheMinimum() {
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    assertTrue(
        run(ds2, 0, 200, t -> snapshot(t, 0, JobState.RUNNING, 1, uniform(4, 1_000, 0.1)))
            .isEmpty());
  }

  @Test
  void doesNothingWhileTheJobIsRestarting() {
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    // Healthy and settled, then a restart with a growing backlog and no throughput.
    assertTrue(
        run(ds2, 0, 10, t -> snapshot(t, 1_000, JobState.RUNNING, 8, uniform(16, 500_000, 0.625)))
            .isEmpty());
    for (long t = 10; t < 20; t++) {
      Ds2Controller.Result r =
          ds2.evaluate(
              snapshot(t, 1_000 + 5e6 * (t - 9), JobState.RESTARTING, 8, uniform(16, 0, 0)),
              SLA,
              ProposalHistory.NONE);
      assertTrue(r.proposal().isEmpty());
      assertTrue(r.reason().contains("RESTARTING"), r.reason());
    }
    // Back to RUNNING and draining the backlog: quiet for the settle ticks, then it acts.
    LongFunction<TelemetrySnapshot> draining =
        t -> snapshot(t, 5e7, JobState.RUNNING, 8, uniform(16, 800_000, 1.0));
    assertTrue(run(ds2, 20, 26, draining).isEmpty());
    assertEquals(26, run(ds2, 26, 27, draining).get(0).tick());
  }

  @Test
  void waitsForTheCooldownAndPendingProposals() {
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    LongFunction<TelemetrySnapshot> at =
        t -> snapshot(t, 6e7, JobState.RUNNING, 8, uniform(16, 500_000, 0.625));
    List<Proposal> proposals = run(ds2, 0, 70, at);
    assertEquals(List.of(6L, 36L, 66L), proposals.stream().map(Proposal::tick).toList());

    Ds2Controller pending = new Ds2Controller(SETTINGS);
    for (long t = 0; t < 70; t++) {
      assertTrue(
          pending.evaluate(at.apply(t), SLA, new ProposalHistory(-100, true)).proposal().isEmpty());
    }
  }

  @Test
  void theCpuLoadOfAStalledJobIsNoCostMeasurement() {
    // 80,000/s processed at busy 0.1 while the lag grows by 1,000,000 per tick (demand 180,000/s):
    // the job processes under half its demand (a fault, the recovery agent's case). Its CPU load
    // of 0.9 would ask for ceil(16 x 0.9 x 2.25+ / 0.7) = 52+ subtasks; per thread DS2 asks for
    // fewer than 16. No scale-up.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    Ds2Controller.Result last = null;
    for (long t = 0; t < 12; t++) {
      last =
          ds2.evaluate(
              snapshot(t, 1_000 + 1e6 * t, JobState.RUNNING, 8, uniform(16, 80_000, 0.1), 0.9),
              SLA,
              ProposalHistory.NONE);
      assertTrue(last.proposal().isEmpty(), "tick " + t + ": " + last.reason());
    }
    assertTrue(last.reason().contains("CPU load not used"), last.reason());
  }

  @Test
  void oneScaleUpBringsEveryUnderSizedOperatorToTheTarget() {
    // enrich at utilisation 0.9 leaves the band; window-agg at 0.8 is inside it but needs
    // ceil(16 x 0.8 / 0.7) = 19 (+19 %, beyond the dead band): both scale in one restart.
    // parse at 0.75 needs ceil(17.1) = 18 (+12.5 %): also. source at 0.72 needs 17 (+6 %): kept.
    List<Graphs.Op> ops = new ArrayList<>(uniform(16, 400_000, 0.5));
    ops.set(0, op("source", 16, 400_000, 400_000, 0.72));
    ops.set(1, op("parse", 16, 400_000, 400_000, 0.75));
    ops.set(2, op("enrich", 16, 400_000, 400_000, 0.9));
    ops.set(5, op("window-agg", 16, 400_000, 400_000, 0.8));
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    List<Proposal> proposals = run(ds2, 0, 7, t -> snapshot(t, 0, JobState.RUNNING, 8, ops));
    assertEquals(1, proposals.size());
    Map<String, Integer> p = parallelism(proposals.get(0));
    assertEquals(16, p.get("source"));
    assertEquals(18, p.get("parse"));
    assertEquals(21, p.get("enrich"));
    assertEquals(19, p.get("window-agg"));
    assertEquals(16, p.get("filter"), "over-provisioned operators are not scaled down with it");
  }

  @Test
  void aScaleUpDuringACatchUpPredictsNoThroughputDrop() {
    // Catching up at 800,000/s (busy 1.0, r = 50,000) while the lag of 300,000,000 records shrinks
    // by 2,000,000 per tick: demand 600,000/s, catch-up 1,000,000/s. The job will consume
    // min(1,600,000, new capacity) = 1,600,000/s after the scale-up: +100 %, not the -25 % of
    // comparing the demand with a job that consumes more than it.
    Ds2Controller ds2 = new Ds2Controller(SETTINGS);
    List<Proposal> proposals =
        run(
            ds2,
            0,
            7,
            t -> snapshot(t, 3e8 - 2e6 * t, JobState.RUNNING, 8, uniform(16, 800_000, 1.0)));
    assertEquals(1, proposals.size());
    Proposal p = proposals.get(0);
    assertTrue(p.expectedEffect().throughputChange() > 0.9, "" + p.expectedEffect());
    assertTrue(p.expectedEffect().predictedThroughput() > 1.5e6, "" + p.expectedEffect());
  }
}
