package dev.autopilot.agents.prediction.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.JobMetrics;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PreScalePolicyTest {
  private static final PredictionSettings SETTINGS =
      PredictionSettings.create(ConfigFactory.load());
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final double CAPACITY = 1_000_000;

  /** Flat at 400k for 60 ticks, then +10k per tick: demand exceeds capacity from tick 121. */
  private static double ramp(long tick) {
    return tick < 60 ? 400_000 : 400_000 + 10_000.0 * (tick - 60);
  }

  private static List<Proposal> run(PreScalePolicy policy, Loads loads, int ticks, boolean gate) {
    List<Proposal> proposals = new ArrayList<>();
    ProposalHistory history = ProposalHistory.NONE;
    for (long t = 0; t < ticks; t++) {
      Optional<Proposal> p = policy.evaluate(loads.at(t, ramp(t)), SLA, history).proposal();
      if (p.isPresent()) {
        proposals.add(p.get());
        history = new ProposalHistory(t, gate);
      }
    }
    return proposals;
  }

  @Test
  void proposesBeforeARampCrossesCapacity() {
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    List<Proposal> proposals = run(policy, loads, 121, true);

    assertEquals(1, proposals.size(), "one proposal, then pending");
    Proposal p = proposals.get(0);
    long crossing = 121; // first tick with demand > capacity: 400k + 10k * 61
    assertTrue(p.tick() < crossing, "proposed at " + p.tick());
    assertTrue(ramp(p.tick()) < CAPACITY * SETTINGS.headroom(), "still under the trigger level");
    assertEquals("prediction-p1-" + p.tick() + "-0", p.id());
    assertEquals(AgentKind.PREDICTION, p.agent());
    assertEquals(PriorityClass.SLA_PROTECTION, p.priority());
    assertEquals(p.tick() + 18, p.expiryTick());
    assertTrue(p.confidence() > 0.5 && p.confidence() <= 1, "confidence " + p.confidence());

    // 8 TaskManagers x 4 slots = 32 slots suffice: a rescale of every operator, sized at 0.7.
    Action.Rescale rescale = assertInstanceOf(Action.Rescale.class, p.action());
    assertEquals(8, rescale.parallelism().size());
    double perSubtask = CAPACITY / 16;
    double projected = p.expectedEffect().predictedThroughput();
    int expected = (int) Math.ceil(projected / (perSubtask * 0.7) - 1e-9);
    assertTrue(expected > 16 && expected <= 32, "expected parallelism " + expected);
    rescale.parallelism().values().forEach(v -> assertEquals(expected, v));
    double newCapacity = perSubtask * expected;
    assertTrue(newCapacity * 0.7 >= projected - 1e-6, "sized for the projection at 0.7");
    assertTrue(p.expectedEffect().throughputChange() > 0);
    assertTrue(p.expectedEffect().latencyChange() < 0);
    assertTrue(p.expectedEffect().netBenefit() > 0);
    assertTrue(p.evidence().stream().anyMatch(e -> e.startsWith("Holt level")));
    assertTrue(p.evidence().stream().anyMatch(e -> e.startsWith("projected demand")));
    assertTrue(p.evidence().stream().anyMatch(e -> e.startsWith("capacity")));
  }

  @Test
  void addsTaskManagersWhenTheSlotsDoNotSuffice() {
    PipelineConfig small = Snapshots.defaultConfig().withTaskManagers(4); // 16 slots, p = 16
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", small, CAPACITY);
    Proposal p = run(policy, loads, 121, true).get(0);

    Action.Reconfigure reconfigure = assertInstanceOf(Action.Reconfigure.class, p.action());
    PipelineConfig target = reconfigure.target();
    int parallelism = target.requiredSlots();
    assertTrue(parallelism > 16);
    assertEquals((parallelism + 3) / 4, target.taskManagers());
    assertTrue(target.structuralErrors().isEmpty(), target.structuralErrors().toString());
    assertEquals(small.networkBufferMb(), target.networkBufferMb());
    assertTrue(p.expectedEffect().netBenefit() < 1, "extra slots cost something");
  }

  @Test
  void staysQuietOnFlatLoad() {
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    Random noise = new Random(7);
    for (long t = 0; t < 400; t++) {
      double demand = 600_000 * (1 + 0.03 * noise.nextGaussian());
      PreScaler.Result r = policy.evaluate(loads.at(t, demand), SLA, ProposalHistory.NONE);
      assertTrue(r.proposal().isEmpty(), "tick " + t + ": " + r.reason());
    }
  }

  @Test
  void waitsForPendingProposalsAndTheCooldown() {
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    // Not pending (answered at once), so only the 30-tick cooldown spaces the proposals.
    List<Proposal> proposals = run(policy, loads, 121, false);
    assertTrue(proposals.size() >= 2, "got " + proposals.size());
    for (int i = 1; i < proposals.size(); i++) {
      assertTrue(proposals.get(i).tick() - proposals.get(i - 1).tick() >= 30);
    }
  }

  @Test
  void neverProposesWhileTheJobIsNotRunning() {
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    for (long t = 0; t < 121; t++) {
      JobMetrics.JobState state =
          t < 60 ? JobMetrics.JobState.RUNNING : JobMetrics.JobState.RESTARTING;
      assertTrue(
          policy
              .evaluate(loads.at(t, ramp(t), state), SLA, ProposalHistory.NONE)
              .proposal()
              .isEmpty());
    }
  }

  @Test
  void ignoresARepeatedTick() {
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    policy.evaluate(loads.at(5, 400_000), SLA, ProposalHistory.NONE);
    PreScaler.Result again = policy.evaluate(loads.at(5, 900_000), SLA, ProposalHistory.NONE);
    assertTrue(again.proposal().isEmpty());
    assertEquals(400_000, policy.fit().map(HoltForecaster.Fit::level).orElse(400_000.0), 1e-6);
  }

  @Test
  void normalCdfIsAccurate() {
    assertEquals(0.5, PreScalePolicy.normalCdf(0), 1e-7);
    assertEquals(0.841344746, PreScalePolicy.normalCdf(1), 1e-6);
    assertEquals(0.022750132, PreScalePolicy.normalCdf(-2), 1e-6);
  }

  @Test
  void aCapacityDropWithoutARampIsNoReasonToPreScale() {
    // Flat demand of 600k/s; at tick 100 a fault leaves 500k/s of capacity: demand is over the
    // capacity but does not ramp. That is the recovery and optimization agents' case.
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads healthy = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    Loads faulty = new Loads("p1", Snapshots.defaultConfig(), 500_000);
    Random noise = new Random(11);
    PreScaler.Result r = null;
    for (long t = 0; t < 300; t++) {
      double demand = 600_000 * (1 + 0.02 * noise.nextGaussian());
      r = policy.evaluate((t < 100 ? healthy : faulty).at(t, demand), SLA, ProposalHistory.NONE);
      assertTrue(r.proposal().isEmpty(), "tick " + t + ": " + r.reason());
    }
    assertTrue(r.reason().contains("no significant ramp"), r.reason());
  }

  @Test
  void theReplayOfARestartIsNotDemand() {
    // Flat 600k/s; a restart at ticks 100-101 rewinds the sources to the last checkpoint (30 s of
    // input replayed on top of the 20 s of the restart), then the job catches up at 1M/s. The lag
    // jump is not a surge: no pre-scale.
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    double demand = 600_000;
    double lag = 1_000;
    for (long t = 0; t < 300; t++) {
      JobMetrics.JobState state = JobMetrics.JobState.RUNNING;
      double processed = demand;
      if (t == 100 || t == 101) {
        state = JobMetrics.JobState.RESTARTING;
        processed = 0;
        lag += demand * 10 + (t == 100 ? demand * 30 : 0);
      } else if (lag > 1_000) {
        processed = Math.min(CAPACITY, demand + (lag - 1_000) / 10);
        lag -= (processed - demand) * 10;
      }
      PreScaler.Result r =
          policy.evaluate(
              Snapshots.builder("p1", t)
                  .config(Snapshots.defaultConfig())
                  .throughput(processed)
                  .busy(processed / CAPACITY)
                  .lag(lag)
                  .state(state)
                  .build(),
              SLA,
              ProposalHistory.NONE);
      assertTrue(r.proposal().isEmpty(), "tick " + t + ": " + r.reason());
    }
  }

  @Test
  void backsOffAfterARolledBackPreScale() {
    int backoff = SETTINGS.rollbackBackoffTicks();
    assertEquals(360, backoff);
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    // A pre-scale was rolled back at tick 10: the ramp that would trigger one is held back.
    ProposalHistory history = new ProposalHistory(5, false, 10);
    PreScaler.Result r = null;
    for (long t = 0; t < 121; t++) {
      r = policy.evaluate(loads.at(t, ramp(t)), SLA, history);
      assertTrue(r.proposal().isEmpty(), "tick " + t);
    }
    assertTrue(r.reason().contains("backing off until tick " + (10 + backoff)), r.reason());
    // Without it the same ramp triggers one.
    PreScalePolicy fresh = new PreScalePolicy(SETTINGS);
    Loads again = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    assertEquals(1, run(fresh, again, 121, true).size());
  }

  @Test
  void itsBinaryForecastAlarmsOnceTheHoltProjectionExceedsTheHeadroomOfCapacity() {
    PreScalePolicy policy = new PreScalePolicy(SETTINGS);
    Loads loads = new Loads("p1", Snapshots.defaultConfig(), CAPACITY);
    assertNull(policy.forecastAlarmAt(0), "nothing evaluated yet");
    Boolean firstAlarm = null;
    long firstAlarmTick = -1;
    for (long t = 0; t < 121; t++) {
      // a pending proposal holds the policy back from acting, not from forecasting
      policy.evaluate(loads.at(t, ramp(t)), SLA, new ProposalHistory(0, true));
      Boolean alarm = policy.forecastAlarmAt(t);
      assertNotNull(alarm, "tick " + t);
      assertNull(policy.forecastAlarmAt(t - 1), "only the last evaluated tick");
      if (alarm && firstAlarm == null) {
        firstAlarm = alarm;
        firstAlarmTick = t;
      }
      if (t < 60) {
        assertFalse(alarm, "flat at 400k of a 1M capacity: tick " + t);
      }
    }
    assertNotNull(firstAlarm, "the ramp raises the forecast alarm");
    assertTrue(
        firstAlarmTick < 121 && ramp(firstAlarmTick) < CAPACITY * SETTINGS.headroom(),
        "before demand reaches the trigger level: " + firstAlarmTick);
  }
}
