package dev.autopilot.runtime.bench.baseline.fko;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.autoscaler.JobAutoScalerContext;
import org.apache.flink.autoscaler.event.AutoScalerEventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The FKO autoscaler's event handler in the benchmark: it counts the library's events by reason
 * (scaling reports, ineffective scalings, limited scalings, errors) and logs them, warnings at WARN
 * and the rest at DEBUG. An {@code AutoscalerError} event is how the library reports an exception
 * it caught while scaling: {@link #errors()} counts them.
 */
final class CountingEventHandler
    implements AutoScalerEventHandler<String, JobAutoScalerContext<String>> {

  private static final Logger LOG = LoggerFactory.getLogger(CountingEventHandler.class);

  /** The reason the library gives its own caught exceptions ({@code JobAutoScalerImpl}). */
  static final String AUTOSCALER_ERROR = "AutoscalerError";

  private final Map<String, Integer> counts = new TreeMap<>();

  @Override
  public void handleEvent(
      JobAutoScalerContext<String> context,
      Type type,
      String reason,
      String message,
      String messageKey,
      Duration interval) {
    counts.merge(reason, 1, Integer::sum);
    if (type == Type.Warning) {
      LOG.warn("fko {} {}: {}", context.getJobKey(), reason, message);
    } else {
      LOG.debug("fko {} {}: {}", context.getJobKey(), reason, message);
    }
  }

  /** Events so far, by reason. */
  Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  /** Exceptions the library caught and reported so far. */
  int errors() {
    return counts.getOrDefault(AUTOSCALER_ERROR, 0);
  }
}
