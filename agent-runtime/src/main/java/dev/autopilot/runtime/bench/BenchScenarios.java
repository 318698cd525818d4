package dev.autopilot.runtime.bench;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark's scenario catalogue, read once from {@code autopilot.bench.catalogue} (the names,
 * in run order) and {@code autopilot.bench.scenarios} (their definitions; see {@code bench.conf}):
 * nyc-taxi, ycsb and the four scenario analyses (marathon, network-partition, memory-leak,
 * month-end).
 */
public final class BenchScenarios {

  private final Map<String, BenchScenario> byName;

  private BenchScenarios(Map<String, BenchScenario> byName) {
    this.byName = byName;
  }

  /** Reads the catalogue; a bad entry is an {@link IllegalArgumentException} naming it. */
  public static BenchScenarios create(Config root) {
    Config bench = root.getConfig(BenchSettings.ROOT);
    Map<String, BenchScenario> out = new LinkedHashMap<>();
    for (String name : bench.getStringList("catalogue")) {
      String path = "scenarios.\"" + name + "\"";
      if (!bench.hasPath(path)) {
        throw new IllegalArgumentException(
            "autopilot.bench.catalogue names '"
                + name
                + "', which autopilot.bench.scenarios lacks");
      }
      try {
        out.put(name, BenchScenario.create(name, bench.getConfig(path)));
      } catch (IllegalArgumentException | com.typesafe.config.ConfigException e) {
        throw new IllegalArgumentException(
            "autopilot.bench.scenarios." + name + ": " + e.getMessage(), e);
      }
    }
    return new BenchScenarios(java.util.Collections.unmodifiableMap(out));
  }

  /** An empty catalogue. */
  public static BenchScenarios none() {
    return new BenchScenarios(Map.of());
  }

  /** The scenario of a name. */
  public Optional<BenchScenario> get(String name) {
    return Optional.ofNullable(name == null ? null : byName.get(name.trim()));
  }

  /** The scenario of a name; an {@link IllegalArgumentException} listing the names when unknown. */
  public BenchScenario require(String name) {
    return get(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown scenario '"
                        + name
                        + "', expected one of "
                        + String.join(", ", names())));
  }

  /** The names, in catalogue order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The scenarios, in catalogue order. */
  public List<BenchScenario> all() {
    return List.copyOf(byName.values());
  }
}
