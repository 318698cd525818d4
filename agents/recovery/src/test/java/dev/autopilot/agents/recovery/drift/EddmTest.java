package dev.autopilot.agents.recovery.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EddmTest {

  @Test
  void flagsARisingErrorRate() {
    Random rnd = new Random(7);
    Eddm eddm = new Eddm(0.95, 0.90, 30);
    // One error in 20, then one in about 3.
    for (int i = 0; i < 1000; i++) {
      eddm.update(i % 20 == 0);
    }
    assertEquals(0, eddm.drifts());
    assertEquals(Eddm.Level.STABLE, eddm.level());
    boolean warned = false;
    int driftAt = -1;
    for (int i = 0; i < 1000 && driftAt < 0; i++) {
      Eddm.Level l = eddm.update(rnd.nextDouble() < 0.3);
      warned |= l == Eddm.Level.WARNING;
      if (l == Eddm.Level.DRIFT) {
        driftAt = i;
        assertEquals(1.0, eddm.score());
      }
    }
    assertTrue(driftAt >= 0 && driftAt < 400, "drift at " + driftAt);
    assertTrue(warned, "a warning precedes the drift");
    // The sample after a drift starts afresh.
    assertEquals(Eddm.Level.STABLE, eddm.update(false));
  }

  @Test
  void aConstantErrorDistanceNeverWarns() {
    Eddm eddm = new Eddm(0.95, 0.90, 30);
    for (int i = 0; i < 10_000; i++) {
      assertEquals(Eddm.Level.STABLE, eddm.update(i % 7 == 0));
    }
    assertEquals(0.0, eddm.score());
  }
}
