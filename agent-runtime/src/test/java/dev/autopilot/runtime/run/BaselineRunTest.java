package dev.autopilot.runtime.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.bench.ControllerKind;
import dev.autopilot.runtime.bench.ControllerRun;
import dev.autopilot.runtime.bench.RunMode;
import dev.autopilot.runtime.bench.Scenario;
import dev.autopilot.runtime.bench.Score;
import dev.autopilot.runtime.bench.Scorer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The ds2 and fko baselines through the real runner on a tiny scenario (0.05 days = 432 ticks, one
 * pipeline, two faults): the run completes, covers every tick and is scored.
 */
class BaselineRunTest {

  @ParameterizedTest
  @EnumSource(
      value = ControllerKind.class,
      names = {"DS2", "FKO"})
  void aTinyScenarioRunsAndIsScored(ControllerKind kind, @TempDir Path dir) throws Exception {
    Config config = RuntimeConfig.load();
    Scenario scenario =
        new Scenario(0.05, 42, 1, Scenario.GENERATED, 2, 2, RunMode.AUTONOMOUS, 10, List.of(kind));
    long[] progress = new long[1];
    ControllerRun run =
        new SimulationRunner(config, dir).run(scenario, kind, (done, total) -> progress[0] = done);

    assertEquals(kind, run.controller());
    assertEquals(scenario.totalTicks(), progress[0]);
    assertEquals(scenario.totalTicks(), run.ticks().size());
    assertTrue(run.faults().size() >= 2, "the planned faults were injected: " + run.faults());
    Score score = Scorer.score(run);
    assertEquals(kind, score.controller());
    assertTrue(score.slaViolationPct() >= 0 && score.slaViolationPct() <= 100);
    assertTrue(score.costPerMillionEvents() > 0);
    assertTrue(score.cpuUtilizationPct() > 0);
  }
}
