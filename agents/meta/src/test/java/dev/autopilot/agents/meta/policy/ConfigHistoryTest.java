package dev.autopilot.agents.meta.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigHistoryTest {
  private static final int SIZE = Fixtures.SETTINGS.historySize();

  private static PipelineConfig config(int i) {
    return Snapshots.defaultConfig().withCheckpointIntervalSeconds(10 + i);
  }

  private static ConfigHistory pushed(int n) {
    ConfigHistory h = ConfigHistory.empty(SIZE);
    for (int i = 0; i < n; i++) {
      h = h.push(config(i));
    }
    return h;
  }

  @Test
  void keepsFiveNewestFirst() {
    assertEquals(5, SIZE);
    ConfigHistory h = pushed(8);
    assertEquals(5, h.size());
    assertEquals(
        IntStream.of(7, 6, 5, 4, 3).mapToObj(ConfigHistoryTest::config).toList(), h.entries());
    assertEquals(config(7), h.newest());
  }

  @Test
  void isImmutable() {
    ConfigHistory h = pushed(2);
    ConfigHistory next = h.push(config(9));
    assertEquals(2, h.size());
    assertEquals(3, next.size());
    assertThrows(UnsupportedOperationException.class, () -> h.entries().add(config(1)));
  }

  @Test
  void doesNotRecordTheNewestTwice() {
    ConfigHistory h = pushed(2);
    assertSame(h, h.push(config(1)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5})
  void multiLevelRollbackTarget(int levels) {
    ConfigHistory h = pushed(5); // newest first: 4, 3, 2, 1, 0
    assertEquals(config(5 - levels), h.rollbackTarget(levels));
    ConfigHistory after = h.rolledBack(levels);
    assertEquals(config(5 - levels), after.newest());
    assertEquals(5 - levels + 1, after.size());
  }

  @Test
  void rollbackBeyondTheHistoryIsRefused() {
    ConfigHistory h = pushed(2);
    assertFalse(h.canRollBack(3));
    assertFalse(h.canRollBack(0));
    assertTrue(h.canRollBack(2));
    assertThrows(IllegalArgumentException.class, () -> h.rollbackTarget(3));
    assertNull(ConfigHistory.empty(SIZE).newest());
    assertEquals(List.of(), ConfigHistory.empty(SIZE).entries());
  }
}
