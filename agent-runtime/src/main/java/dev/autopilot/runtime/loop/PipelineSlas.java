package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import dev.autopilot.api.SlaSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SLA of each managed pipeline, from {@code autopilot.pipelines}: a default, overridden per
 * pipeline id under {@code autopilot.pipelines.sla.<id>}.
 */
public final class PipelineSlas {
  private PipelineSlas() {}

  /** The SLA of every given pipeline, in the given order. */
  public static Map<String, SlaSpec> of(Config root, Collection<String> pipelineIds) {
    Config p = root.getConfig("autopilot.pipelines");
    Map<String, SlaSpec> slas = new LinkedHashMap<>();
    for (String id : pipelineIds) {
      String path = "sla.\"" + id + "\"";
      Config c = p.hasPath(path) ? p.getConfig(path).withFallback(p.getConfig("default-sla")) : p.getConfig("default-sla");
      slas.put(
          id,
          new SlaSpec(
              c.getDouble("throughput-target"),
              c.getDuration("latency-p99-bound").toNanos() / 1e6,
              c.getDouble("throughput-tolerance")));
    }
    return slas;
  }
}
