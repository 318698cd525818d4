package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConsoleTableTest {

  @Test
  void rowsAreMetricsAndColumnsAreControllersWithNaForUndefined() {
    Score a =
        new Score(ControllerKind.STATIC, 12.5, 30, null, null, 0.0, 40.0, 0.25, 0, 0, 24, 0, 1500, null,
            List.of());
    Score b =
        new Score(
            ControllerKind.RULE_BASED, 8.0, 20, 270.0, 570.0, 0.0, 55.0, 0.2, 14, 0, 24, 24, 1400,
            null, List.of());
    Score c =
        new Score(
            ControllerKind.AGENTS, 1.25, 2.5, 40.0, 100.0, 95.8333, 65.0, 0.18, 30, 2, 24, 23, 900,
            87.5, List.of());
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

  @Test
  void theAgentsDetectorScoresFollowInASecondTable() {
    Score agents =
        new Score(
            ControllerKind.AGENTS, 1.25, 2.5, 40.0, 100.0, 95.8333, 65.0, 0.18, 30, 2, 24, 23, 900,
            87.5,
            List.of(
                new DetectorScore("ensemble", 20, 19, 24, 23, 95.0, 95.8333),
                new DetectorScore("iforest", 30, 24, 24, 20, 80.0, null)));
    List<String> lines = ConsoleTable.render(List.of(agents)).lines().toList();
    int start = 2 + Score.FIELDS.size();
    assertEquals("", lines.get(start));
    assertTrue(
        lines.get(start + 1).matches("agents detector\\s+precision %\\s+recall %\\s+episodes\\s+faults caught"),
        lines.get(start + 1));
    assertTrue(lines.get(start + 3).matches("ensemble\\s+95\\.00\\s+95\\.83\\s+20\\s+23/24"), lines.get(start + 3));
    assertTrue(lines.get(start + 4).matches("iforest\\s+80\\.00\\s+n/a\\s+30\\s+20/24"), lines.get(start + 4));
    String rca = lines.stream().filter(l -> l.startsWith("RCA top-1")).findFirst().orElseThrow();
    assertTrue(rca.matches("RCA top-1 %\\s+87\\.50"), rca);
  }
}
