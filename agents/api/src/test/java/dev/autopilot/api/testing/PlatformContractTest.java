package dev.autopilot.api.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Platform} adapter honours (observe, apply, recover). Shared through this
 * module's test-jar: the simulated, Flink REST and Kubernetes platforms each extend it with a
 * factory and a way to let time pass.
 */
public abstract class PlatformContractTest {

  /** The platform under test, fresh for every test. */
  protected Platform platform;

  /** Creates a fresh platform that runs {@link #pipelineId()}. */
  protected abstract Platform createPlatform();

  /** A pipeline the platform runs. */
  protected abstract String pipelineId();

  /** Lets enough time pass for an applied change to show in {@link Platform#observe}. */
  protected abstract void advanceTime();

  /** A valid configuration different from the current one (default: a longer checkpoint interval). */
  protected PipelineConfig changed(PipelineConfig current) {
    return current.withCheckpointIntervalSeconds(current.checkpointIntervalSeconds() + 30);
  }

  /** A recovery action the platform can execute on the pipeline (default: restart the first operator). */
  protected Action.RecoveryAction recoveryAction(PipelineConfig current) {
    return new Action.RestartTask(current.parallelism().keySet().iterator().next());
  }

  @BeforeEach
  void createPlatformUnderTest() {
    platform = createPlatform();
  }

  @Test
  void runsThePipeline() {
    assertTrue(platform.pipelines().contains(pipelineId()));
  }

  @Test
  void observeGivesAValidSnapshot() {
    TelemetrySnapshot s = platform.observe(pipelineId());
    Optional<SnapshotValidator.Rejection> rejection =
        SnapshotValidator.validate(s, platform.pipelines(), Long.MIN_VALUE);
    assertTrue(rejection.isEmpty(), () -> "snapshot rejected: " + rejection.get());
    assertEquals(pipelineId(), s.pipelineId());
  }

  @Test
  void unknownPipelineIsReportedAsSuch() {
    PipelineConfig current = platform.observe(pipelineId()).config();
    PlatformException observe = assertThrows(PlatformException.class, () -> platform.observe("no-such-pipeline"));
    assertEquals(PlatformException.Kind.UNKNOWN_PIPELINE, observe.kind());
    PlatformException apply =
        assertThrows(PlatformException.class, () -> platform.apply("no-such-pipeline", current));
    assertEquals(PlatformException.Kind.UNKNOWN_PIPELINE, apply.kind());
    PlatformException recover =
        assertThrows(
            PlatformException.class,
            () -> platform.recover("no-such-pipeline", "a-1", recoveryAction(current)));
    assertEquals(PlatformException.Kind.UNKNOWN_PIPELINE, recover.kind());
  }

  @Test
  void applyingTheCurrentConfigurationChangesNothing() {
    PipelineConfig current = platform.observe(pipelineId()).config();
    ActuationResult result = platform.apply(pipelineId(), current);
    assertEquals(ActuationResult.Outcome.UNCHANGED, result.outcome());
  }

  @Test
  void aChangedConfigurationIsAppliedObservedAndIdempotent() {
    PipelineConfig current = platform.observe(pipelineId()).config();
    PipelineConfig next = changed(current);
    assertNotEquals(current, next);
    ActuationResult first = platform.apply(pipelineId(), next);
    assertEquals(ActuationResult.Outcome.APPLIED, first.outcome());
    advanceTime();
    assertEquals(next, platform.observe(pipelineId()).config());
    ActuationResult again = platform.apply(pipelineId(), next);
    assertEquals(ActuationResult.Outcome.UNCHANGED, again.outcome());
  }

  @Test
  void aStructurallyInvalidConfigurationIsRejectedAndChangesNothing() {
    PipelineConfig current = platform.observe(pipelineId()).config();
    PipelineConfig invalid = current.withTaskManagers(0);
    assertFalse(invalid.structuralErrors().isEmpty());
    PlatformException e = assertThrows(PlatformException.class, () -> platform.apply(pipelineId(), invalid));
    assertEquals(PlatformException.Kind.REJECTED, e.kind());
    assertEquals(current, platform.observe(pipelineId()).config());
  }

  @Test
  void anUnknownOperatorIsRejected() {
    PipelineConfig current = platform.observe(pipelineId()).config();
    Map<String, Integer> p = new LinkedHashMap<>(current.parallelism());
    p.put("no-such-operator", 4);
    PipelineConfig ghost =
        new PipelineConfig(
            p,
            current.networkBufferMb(),
            current.checkpointIntervalSeconds(),
            current.taskManagers(),
            current.taskManagerCpu(),
            current.taskManagerMemoryGb(),
            current.slotsPerTaskManager());
    PlatformException e = assertThrows(PlatformException.class, () -> platform.apply(pipelineId(), ghost));
    assertEquals(PlatformException.Kind.REJECTED, e.kind());
    assertEquals(current, platform.observe(pipelineId()).config());
  }

  @Test
  void aRecoveryActionRunsOncePerActionId() {
    PipelineConfig current = platform.observe(pipelineId()).config();
    Action.RecoveryAction action = recoveryAction(current);
    ActuationResult first = platform.recover(pipelineId(), "contract-action-1", action);
    assertEquals(ActuationResult.Outcome.APPLIED, first.outcome());
    ActuationResult again = platform.recover(pipelineId(), "contract-action-1", action);
    assertEquals(ActuationResult.Outcome.DUPLICATE, again.outcome());
  }
}
