package dev.autopilot.agents.prediction.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ViolationLabelsTest {

  @Test
  void labelIsAnyViolationInTheNextHorizonTicks() {
    boolean[] v = new boolean[10];
    v[6] = true;
    // horizon 3: ticks 3, 4 and 5 see tick 6; tick 6 itself does not (t+1..t+3)
    boolean[] l = ViolationLabels.label(v, 3);
    assertArrayEquals(new boolean[] {false, false, false, true, true, true, false}, l);
  }

  @Test
  void onlyTicksWithAWholeHorizonAreLabelled() {
    assertEquals(0, ViolationLabels.label(new boolean[30], 30).length);
    assertEquals(70, ViolationLabels.label(new boolean[100], 30).length);
    boolean[] v = new boolean[100];
    v[99] = true;
    boolean[] l = ViolationLabels.label(v, 30);
    assertEquals(true, l[69]);
    assertEquals(false, l[68]);
    assertThrows(IllegalArgumentException.class, () -> ViolationLabels.label(v, 0));
  }
}
