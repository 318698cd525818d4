package org.apache.flink.autoscaler;

import java.lang.reflect.Field;
import java.time.Clock;

/**
 * Puts the FKO autoscaler on a clock of our choosing (the {@code fko} baseline's simulated event
 * time). The library reads time in three places: the metric collector (protected {@code setClock},
 * set by our subclass), {@link JobAutoScalerImpl} (package-private {@code setClock}) and the {@link
 * JobVertexScaler} its {@link ScalingExecutor} creates privately (scale-down interval; protected
 * {@code setClock}). The last two are only reachable from this package, which is why this class
 * lives in it (agent-runtime, on the class path, no module system); the vertex scaler is read from
 * the executor's private field. Written against flink-autoscaler 1.10.0: a library that no longer
 * has that field fails loudly here instead of silently scaling on the wall clock.
 */
public final class SimulatedTimeHooks {

  private SimulatedTimeHooks() {}

  /** Makes {@code autoscaler} and {@code executor} (the one it uses) read {@code clock}. */
  public static void useClock(
      JobAutoScalerImpl<?, ?> autoscaler, ScalingExecutor<?, ?> executor, Clock clock) {
    autoscaler.setClock(clock);
    try {
      Field field = ScalingExecutor.class.getDeclaredField("jobVertexScaler");
      field.setAccessible(true);
      ((JobVertexScaler<?, ?>) field.get(executor)).setClock(clock);
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(
          "flink-autoscaler is not the expected 1.10.0: ScalingExecutor.jobVertexScaler not found",
          e);
    }
  }
}
