package dev.autopilot.runtime.optimize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.policy.OptimizationSettings;
import dev.autopilot.agents.optimization.rl.Environment;
import dev.autopilot.agents.optimization.rl.RlSettings;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.loop.PipelineSlas;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimEnvironmentTest {

  private static final Config CONFIG = RuntimeConfig.load();
  private static final SimSettings SIM = SimSettings.create(CONFIG);
  private static final RlSettings RL = RlSettings.create(CONFIG);
  private static final SlaSpec SLA = PipelineSlas.of(CONFIG, List.of("p1")).get("p1");

  /** 0.5 h episodes: 180 ticks, 30 decisions. */
  private static SimEnvironment env() {
    return new SimEnvironment(
        SIM, RL, SLA, SimEnvironment.Settings.create(CONFIG).withEpisodeHours(0.5));
  }

  private static double[] action(int step) {
    double[] a = new double[8];
    for (int i = 0; i < a.length; i++) {
      a[i] = Math.sin(step * 0.7 + i);
    }
    return a;
  }

  private static List<double[]> run(SimEnvironment env, long seed) {
    List<double[]> trace = new ArrayList<>();
    trace.add(env.reset(seed));
    for (int i = 0; ; i++) {
      Environment.Step s = env.step(action(i));
      double[] row = Arrays.copyOf(s.state(), s.state().length + 1);
      row[row.length - 1] = s.reward();
      trace.add(row);
      if (s.done()) {
        return trace;
      }
    }
  }

  @Test
  void theSameSeedAndActionsGiveTheSameStatesAndRewards() {
    List<double[]> a = run(env(), 11);
    List<double[]> b = run(env(), 11);
    assertEquals(a.size(), b.size());
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i), "step " + i);
    }
    List<double[]> c = run(env(), 12);
    assertNotEquals(Arrays.toString(a.get(1)), Arrays.toString(c.get(1)));
  }

  @Test
  void episodesEndAfterTheirDecisionsAndStepsNeedAnEpisode() {
    SimEnvironment env = env();
    assertEquals(45, env.stateSize());
    assertEquals(8, env.actionSize());
    assertThrows(IllegalStateException.class, () -> env.step(new double[8]));
    double[] first = env.reset(5);
    assertEquals(45, first.length);
    int steps = 0;
    boolean done = false;
    while (!done) {
      Environment.Step s = env.step(new double[8]);
      steps++;
      done = s.done();
      assertTrue(Double.isFinite(s.reward()));
      assertTrue(s.info().throughputAchievement() >= 0 && s.info().throughputAchievement() <= 1);
      assertTrue(s.info().cpuUtilisation() >= 0 && s.info().cpuUtilisation() <= 1);
      assertTrue(s.info().costDollars() >= 0);
      for (double f : s.state()) {
        assertTrue(Double.isFinite(f));
      }
    }
    assertEquals(env.episodeTicks() / RL.decisionTicks(), steps);
    assertEquals(steps, env.stats().steps());
    assertThrows(IllegalStateException.class, () -> env.step(new double[8]));
    env.reset(6); // a new episode after the end
    assertThrows(IllegalArgumentException.class, () -> env.step(new double[3]));
    assertFalse(env.step(new double[8]).done());
  }

  @Test
  void actionsOutsideTheRangeAreClamped() {
    SimEnvironment a = env();
    SimEnvironment b = env();
    a.reset(8);
    b.reset(8);
    double[] big = new double[8];
    double[] one = new double[8];
    Arrays.fill(big, 5);
    Arrays.fill(one, 1);
    Environment.Step x = a.step(big);
    Environment.Step y = b.step(one);
    assertArrayEquals(x.state(), y.state());
    assertEquals(x.reward(), y.reward());
    assertEquals(1, x.info().configChanges()); // the maximal action reconfigures
  }

  @Test
  void theDs2BaselineDrivesTheSameEpisodes() {
    SimEnvironment env = env();
    env.reset(9);
    Ds2Driver ds2 = new Ds2Driver(OptimizationSettings.create(CONFIG), SLA);
    boolean done = false;
    while (!done) {
      done = env.drive(ds2).done();
    }
    SimEnvironment.EpisodeStats s = env.stats();
    assertEquals(env.episodeTicks(), s.ticks());
    assertTrue(s.events() > 0 && s.costDollars() > 0);
  }
}
