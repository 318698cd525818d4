package dev.autopilot.agents.recovery.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.policy.Cusum;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthIndexTest {

  private static final HealthSettings DEFAULTS = HealthSettings.create(ConfigFactory.load());

  private static HealthSettings settings(double alpha, double infra, double data, double model) {
    Map<Subsystem, Double> w = new EnumMap<>(Subsystem.class);
    w.put(Subsystem.INFRASTRUCTURE, infra);
    w.put(Subsystem.DATA, data);
    w.put(Subsystem.MODEL, model);
    return new HealthSettings(alpha, 0, w, 0.5, 0.002, 0.95, 0.9, 30, 10, 1e-4, 0.1, 0.25);
  }

  private static HealthIndex index(HealthSettings s) {
    return new HealthIndex(s)
        .register("cpu-cusum", Subsystem.INFRASTRUCTURE)
        .register("heap-adwin", Subsystem.INFRASTRUCTURE)
        .register("input-psi", Subsystem.DATA)
        .register("ensemble-eddm", Subsystem.MODEL);
  }

  @Test
  void ewmaMath() {
    HealthIndex h = index(settings(0.2, 1, 1, 1));
    h.update(Map.of("cpu-cusum", 1.0));
    assertEquals(0.2, h.index(Subsystem.INFRASTRUCTURE), 1e-12);
    h.update(Map.of("cpu-cusum", 1.0));
    assertEquals(0.36, h.index(Subsystem.INFRASTRUCTURE), 1e-12);
    h.update(Map.of("cpu-cusum", 0.0));
    assertEquals(0.288, h.index(Subsystem.INFRASTRUCTURE), 1e-12);
    // Global: only infrastructure reported, so its score is the global score of each tick.
    assertEquals(0.288, h.global(), 1e-12);
  }

  @Test
  void scoresAreRoutedToTheirSubsystemAndTheWorstDetectorCounts() {
    HealthIndex h = index(settings(0.5, 1, 1, 2));
    h.update(Map.of("cpu-cusum", 0.2, "heap-adwin", 0.8, "ensemble-eddm", 1.0));
    assertEquals(0.4, h.index(Subsystem.INFRASTRUCTURE), 1e-12);
    assertEquals(0.0, h.index(Subsystem.DATA), 1e-12);
    assertEquals(0.5, h.index(Subsystem.MODEL), 1e-12);
    // Global score of the tick: (1 * 0.8 + 2 * 1.0) / 3.
    assertEquals(0.5 * (2.8 / 3), h.global(), 1e-12);
    assertTrue(h.degraded(Subsystem.MODEL));
    assertFalse(h.degraded(Subsystem.DATA));
    assertEquals(Subsystem.DATA, h.routing().get("input-psi"));
  }

  @Test
  void rejectsUnknownDetectorsAndScoresOutOfRange() {
    HealthIndex h = index(DEFAULTS);
    assertThrows(IllegalArgumentException.class, () -> h.update(Map.of("nope", 0.5)));
    assertThrows(IllegalArgumentException.class, () -> h.update(Map.of("cpu-cusum", 1.5)));
    assertThrows(IllegalArgumentException.class, () -> h.register("cpu-cusum", Subsystem.DATA));
  }

  @Test
  void defaultsComeFromReferenceConf() {
    assertEquals(0.2, DEFAULTS.alpha());
    assertEquals(0.95, DEFAULTS.eddmWarning());
    assertEquals(0.90, DEFAULTS.eddmDrift());
    assertEquals(0.1, DEFAULTS.psiModerate());
    assertEquals(0.25, DEFAULTS.psiSignificant());
    assertEquals(0.002, DEFAULTS.adwinDelta());
  }

  @Test
  void detectorsFeedTheIndex() {
    HealthIndex h = index(DEFAULTS);
    CusumScore cusum = new CusumScore(new Cusum(0.5, 5, 20, 0.0, 0.05, 1), 5);
    Adwin adwin = DEFAULTS.newAdwin();
    for (int t = 0; t < 100; t++) {
      double x = t < 60 ? 10 : 20;
      h.update(
          Map.of(
              "cpu-cusum", cusum.update(x), "heap-adwin", adwin.update(x) ? 1.0 : adwin.score()));
    }
    assertTrue(h.index(Subsystem.INFRASTRUCTURE) > 0.5, "" + h.index(Subsystem.INFRASTRUCTURE));
    assertEquals(0.0, h.index(Subsystem.MODEL));
  }
}
