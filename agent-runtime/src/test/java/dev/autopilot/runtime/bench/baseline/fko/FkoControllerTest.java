package dev.autopilot.runtime.bench.baseline.fko;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.api.Action;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.bench.BenchSettings;
import dev.autopilot.runtime.bench.baseline.AlertRecovery;
import dev.autopilot.runtime.bench.baseline.ParallelismBounds;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The FKO autoscaler library driving the simulated platform on the simulated clock. */
class FkoControllerTest {

  static final Config CONFIG = ConfigFactory.load();
  static final SimSettings SIM = SimSettings.create(CONFIG);

  static FkoJobGraph graph() {
    Set<String> keyed = new LinkedHashSet<>();
    SIM.operators()
        .forEach(
            op -> {
              if (op.stateBytesPerRecord() > 0) {
                keyed.add(op.id());
              }
            });
    return new FkoJobGraph(SIM.operatorIds(), keyed);
  }

  static ParallelismBounds bounds() {
    return new ParallelismBounds(MetaSettings.create(CONFIG).arbiter().admission());
  }

  static FkoController controller(String pipeline) {
    BenchSettings bench = BenchSettings.create(CONFIG);
    return new FkoController(
        pipeline,
        bench.fko(),
        graph(),
        SIM.tickSeconds(),
        bounds(),
        AlertRecovery.of(bench.ruleBased(), (p, t) -> List.of()));
  }

  /** One applied change: its tick and the configuration it set. */
  record Change(long tick, PipelineConfig config) {}

  @Test
  void scalesUpUnderASustainedSurgeAndBackDownAfterIt() {
    long hour = 3600 / SIM.tickSeconds();
    long surgeStart = 2 * hour;
    long surgeEnd = 6 * hour;
    long end = 12 * hour;
    SimulatedPlatform platform =
        new SimulatedPlatform(
            SIM,
            new Scenario(
                7L,
                1,
                List.of("p1"),
                t -> t >= surgeStart && t < surgeEnd ? 2_000_000 : 600_000,
                FaultSchedule.none()));
    FkoController fko = controller("p1");
    List<Change> changes = new ArrayList<>();
    PipelineConfig beforeSurge = null;
    for (long t = 0; t < end; t++) {
      TelemetrySnapshot s = platform.observe("p1");
      if (t == surgeStart) {
        beforeSurge = s.config();
      }
      for (Action a : fko.onTick(s).actions()) {
        PipelineConfig target = a.targetConfig(s.config());
        platform.apply("p1", target);
        changes.add(new Change(t, target));
      }
      platform.advance();
    }
    assertEquals(0, fko.errors(), () -> "autoscaler errors: " + fko.eventCounts());

    int before = beforeSurge.parallelismOf("enrich");
    List<Change> duringSurge =
        changes.stream().filter(c -> c.tick() >= surgeStart && c.tick() < surgeEnd).toList();
    int peak =
        duringSurge.stream().mapToInt(c -> c.config().parallelismOf("enrich")).max().orElse(0);
    assertTrue(peak > before, () -> "no scale-up of enrich above " + before + ": " + changes);
    long firstUp =
        duringSurge.stream()
            .filter(c -> c.config().parallelismOf("enrich") > before)
            .mapToLong(Change::tick)
            .min()
            .orElseThrow();
    assertTrue(
        firstUp - surgeStart <= hour,
        "the first scale-up comes within an hour of the surge (metric window 15 min), at "
            + (firstUp - surgeStart)
            + " ticks");
    // a keyed vertex is aligned to its key groups (128): a divisor of 128
    duringSurge.forEach(
        c -> assertEquals(0, 128 % c.config().parallelismOf("enrich"), c::toString));

    List<Change> after = changes.stream().filter(c -> c.tick() >= surgeEnd).toList();
    assertFalse(after.isEmpty(), "no change after the surge: " + changes);
    int last = after.get(after.size() - 1).config().parallelismOf("enrich");
    assertTrue(last < peak, () -> "enrich did not come down from " + peak + ": " + after);
    assertTrue(
        after.get(0).tick() - surgeEnd >= 0,
        "scale-downs are delayed by the scale-down interval and only follow the surge");
    PipelineConfig finalConfig = changes.get(changes.size() - 1).config();
    assertTrue(
        finalConfig.requiredSlots() < peak,
        () -> "the job came back down: " + finalConfig.summary());
  }

  @Test
  void aFailureIsCountedAndTheRunGoesOn() {
    // The collector refuses snapshots whose operators are not the job graph's: each tick fails.
    BenchSettings bench = BenchSettings.create(CONFIG);
    FkoController fko =
        new FkoController(
            "p1",
            bench.fko(),
            new FkoJobGraph(List.of("a", "b"), Set.of()),
            SIM.tickSeconds(),
            bounds(),
            AlertRecovery.of(bench.ruleBased(), (p, t) -> List.of()));
    for (long t = 0; t < 3; t++) {
      assertTrue(fko.onTick(Snapshots.healthy("p1", t)).isIdle());
    }
    assertEquals(3, fko.errors());
  }
}
