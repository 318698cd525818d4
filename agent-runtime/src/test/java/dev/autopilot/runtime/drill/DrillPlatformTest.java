package dev.autopilot.runtime.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DrillPlatformTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private SimulatedPlatform sim;
  private DrillPlatform platform;
  private String pipeline;
  private PipelineConfig bigger;

  @BeforeEach
  void setUp() {
    SimSettings settings = SimSettings.create(RuntimeConfig.load());
    sim =
        new SimulatedPlatform(
            settings, Scenario.defaultScenario(settings, 3, 1, 1).withFaults(FaultSchedule.none()));
    platform = new DrillPlatform(sim);
    pipeline = platform.pipelines().iterator().next();
    PipelineConfig c = platform.observe(pipeline).config();
    String op = c.parallelism().keySet().iterator().next();
    bigger = c.withParallelism(Map.of(op, c.parallelismOf(op) + 1));
  }

  @Test
  void recordsCallsAndCountsOnlyTheOnesThatActed() {
    assertEquals(ActuationResult.Outcome.APPLIED, platform.apply(pipeline, bigger).outcome());
    assertEquals(ActuationResult.Outcome.UNCHANGED, platform.apply(pipeline, bigger).outcome());
    assertThrows(PlatformException.class, () -> platform.apply(pipeline, null));

    assertEquals(3, platform.calls().size());
    assertEquals(1, platform.applications(pipeline).size());
    assertEquals(bigger, platform.applications(pipeline).get(0).target());
    DrillPlatform.Call failed = platform.calls().get(2);
    assertNull(failed.outcome());
    assertTrue(failed.error().startsWith("PlatformException"), failed.error());
    assertEquals(sim.applications(pipeline), platform.applications(pipeline).size());
  }

  @Test
  void holdsACallBeforeThePlatformActsUntilReleased() throws Exception {
    PipelineConfig before = platform.observe(pipeline).config();
    CompletableFuture<ActuationResult> call = heldApply(DrillPlatform.Gate.BEFORE_PLATFORM);

    assertFalse(call.isDone());
    assertEquals(before, platform.observe(pipeline).config(), "not applied while held");
    assertEquals(0, platform.calls().size());

    platform.release();
    assertEquals(
        ActuationResult.Outcome.APPLIED, call.get(WAIT.toSeconds(), TimeUnit.SECONDS).outcome());
    assertEquals(bigger, platform.observe(pipeline).config());
  }

  @Test
  void holdsACallAfterThePlatformActedUntilReleased() throws Exception {
    CompletableFuture<ActuationResult> call = heldApply(DrillPlatform.Gate.AFTER_PLATFORM);

    assertFalse(call.isDone());
    assertEquals(bigger, platform.observe(pipeline).config(), "applied, answer held");
    assertEquals(1, platform.applications(pipeline).size());

    platform.release();
    assertEquals(
        ActuationResult.Outcome.APPLIED, call.get(WAIT.toSeconds(), TimeUnit.SECONDS).outcome());
  }

  @Test
  void holdsOnlyOneCallPerArming() throws Exception {
    CompletableFuture<ActuationResult> first = heldApply(DrillPlatform.Gate.BEFORE_PLATFORM);

    PipelineConfig original = platform.observe(pipeline).config();
    assertEquals(
        ActuationResult.Outcome.UNCHANGED,
        platform.apply(pipeline, original).outcome(),
        "a second call passes the gate");

    platform.release();
    first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertFalse(platform.awaitHeld(Duration.ZERO), "nothing held after the release");
  }

  @Test
  void anAbandonedCallHeldBeforeThePlatformNeverReachesIt() throws Exception {
    PipelineConfig before = platform.observe(pipeline).config();
    CompletableFuture<ActuationResult> call = heldApply(DrillPlatform.Gate.BEFORE_PLATFORM);

    platform.abandon();
    ExecutionException e =
        assertThrows(ExecutionException.class, () -> call.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("abandoned"), e.getCause().getMessage());
    assertEquals(before, platform.observe(pipeline).config(), "the platform never acted");
    assertEquals(0, platform.applications(pipeline).size());
    assertEquals(1, platform.calls().size(), "recorded as a failed call");

    assertEquals(
        ActuationResult.Outcome.APPLIED,
        platform.apply(pipeline, bigger).outcome(),
        "the next call is not abandoned");
  }

  @Test
  void anAbandonedCallHeldAfterThePlatformActedReturns() throws Exception {
    CompletableFuture<ActuationResult> call = heldApply(DrillPlatform.Gate.AFTER_PLATFORM);

    platform.abandon();
    assertEquals(
        ActuationResult.Outcome.APPLIED, call.get(WAIT.toSeconds(), TimeUnit.SECONDS).outcome());
    assertEquals(1, platform.applications(pipeline).size());
  }

  /** Arms {@code gate}, applies {@code bigger} on another thread and waits until it is held. */
  private CompletableFuture<ActuationResult> heldApply(DrillPlatform.Gate gate)
      throws InterruptedException {
    platform.arm(gate);
    CompletableFuture<ActuationResult> call =
        CompletableFuture.supplyAsync(() -> platform.apply(pipeline, bigger));
    assertTrue(platform.awaitHeld(WAIT));
    return call;
  }
}
