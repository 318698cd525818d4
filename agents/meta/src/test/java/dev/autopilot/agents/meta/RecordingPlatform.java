package dev.autopilot.agents.meta;

import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A recording fake of the platform port: it keeps the configuration of each pipeline, records every
 * call, honours the idempotence contract (declarative apply, recover once per action id) and fails
 * on demand. Thread-safe: the actuator calls it from its blocking dispatcher.
 */
final class RecordingPlatform implements Platform {

  /** One recorded call. */
  record Call(String kind, String pipelineId, String actionId, Object argument) {}

  private final int settleTicks;
  private final Map<String, PipelineConfig> configs = new HashMap<>();
  private final Set<String> executedActions = new HashSet<>();
  private final List<Call> calls = new ArrayList<>();
  private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
  private int failuresToInject;
  private PlatformException.Kind failureKind = PlatformException.Kind.UNAVAILABLE;

  RecordingPlatform(int settleTicks) {
    this.settleTicks = settleTicks;
  }

  /** Runs {@code pipelineId} at {@code config}. */
  synchronized void register(String pipelineId, PipelineConfig config) {
    configs.put(pipelineId, config);
  }

  /** The next {@code n} actuating calls fail with {@code kind}. */
  synchronized void failNext(int n, PlatformException.Kind kind) {
    this.failuresToInject = n;
    this.failureKind = kind;
  }

  /**
   * The next actuating call on {@code pipelineId} waits until {@code release} is counted down (a
   * platform slower than the actuator's tick timeout), then goes on.
   */
  void holdNext(String pipelineId, CountDownLatch release) {
    holds.put(pipelineId, release);
  }

  /** Marks an action id as already executed (as after a crash between call and journal). */
  synchronized void alreadyExecuted(String actionId) {
    executedActions.add(actionId);
  }

  synchronized List<Call> calls() {
    return List.copyOf(calls);
  }

  synchronized List<Call> calls(String pipelineId) {
    return calls.stream().filter(c -> c.pipelineId().equals(pipelineId)).toList();
  }

  synchronized PipelineConfig config(String pipelineId) {
    return configs.get(pipelineId);
  }

  @Override
  public synchronized Set<String> pipelines() {
    return Set.copyOf(configs.keySet());
  }

  @Override
  public synchronized TelemetrySnapshot observe(String pipelineId) {
    PipelineConfig c = configs.get(pipelineId);
    if (c == null) {
      throw new PlatformException(PlatformException.Kind.UNKNOWN_PIPELINE, pipelineId);
    }
    return Snapshots.builder(pipelineId, 0).config(c).build();
  }

  @Override
  public ActuationResult apply(String pipelineId, PipelineConfig desired) {
    awaitRelease(pipelineId);
    return applyNow(pipelineId, desired);
  }

  private synchronized ActuationResult applyNow(String pipelineId, PipelineConfig desired) {
    calls.add(new Call("apply", pipelineId, null, desired));
    failIfAsked();
    if (desired.equals(configs.get(pipelineId))) {
      return ActuationResult.unchanged("already running");
    }
    configs.put(pipelineId, desired);
    return ActuationResult.applied("reconfigured", settleTicks);
  }

  @Override
  public ActuationResult recover(String pipelineId, String actionId, Action.RecoveryAction action) {
    awaitRelease(pipelineId);
    return recoverNow(pipelineId, actionId, action);
  }

  private synchronized ActuationResult recoverNow(
      String pipelineId, String actionId, Action.RecoveryAction action) {
    calls.add(new Call("recover", pipelineId, actionId, action));
    failIfAsked();
    if (!executedActions.add(actionId)) {
      return ActuationResult.duplicate(actionId + " already executed");
    }
    return ActuationResult.applied(action.describe(), settleTicks);
  }

  private void awaitRelease(String pipelineId) {
    CountDownLatch release = holds.remove(pipelineId);
    if (release == null) {
      return;
    }
    try {
      if (!release.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("a held call on " + pipelineId + " was never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PlatformException(PlatformException.Kind.UNAVAILABLE, "interrupted", e);
    }
  }

  private void failIfAsked() {
    if (failuresToInject > 0) {
      failuresToInject--;
      throw new PlatformException(failureKind, "injected " + failureKind);
    }
  }
}
