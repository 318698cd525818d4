package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

  @Test
  void rowsAreMetricsAndColumnsAreControllersWithNaForUndefined() {
    Score a =
        new Score(ControllerKind.STATIC, 12.5, 30, null, null, 0.0, 40.0, 0.25, 0, 0, 24, 0, 1500);
    Score b =
        new Score(
            ControllerKind.RULE_BASED, 8.0, 20, 270.0, 570.0, 0.0, 55.0, 0.2, 14, 0, 24, 24, 1400);
    Score c =
        new Score(
            ControllerKind.AGENTS, 1.25, 2.5, 40.0, 100.0, 95.8333, 65.0, 0.18, 30, 2, 24, 23, 900);
    List<String> lines = ConsoleTable.render(List.of(a, b, c)).lines().toList();
    assertEquals(2 + Score.FIELDS.size(), lines.size());
    assertTrue(lines.get(0).matches("metric\\s+static\\s+rule-based\\s+agents"), lines.get(0));
    assertTrue(lines.get(1).matches("-+"));
    assertTrue(
        lines.get(2).matches("SLA violation %\\s+12\\.500\\s+8\\.000\\s+1\\.250"), lines.get(2));
    String mttd = lines.stream().filter(l -> l.startsWith("MTTD")).findFirst().orElseThrow();
    assertTrue(mttd.matches("MTTD \\(s\\)\\s+n/a\\s+270\\.00\\s+40\\.00"), mttd);
    String changes =
        lines.stream().filter(l -> l.startsWith("Config changes")).findFirst().orElseThrow();
    assertTrue(changes.matches("Config changes\\s+0\\s+14\\s+30"), changes);
    int width = lines.get(0).length();
    lines.forEach(l -> assertEquals(width, l.length(), "aligned: " + l));
  }
}
