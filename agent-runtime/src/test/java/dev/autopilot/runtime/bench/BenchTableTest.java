package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The best value of each row of the bench table, whichever controller has it. */
class BenchTableTest {

  private static Score score(
      ControllerKind c, Double sla, Double mttr, Double autoRecovery, long changes) {
    return new Score(
        c, sla, 0, null, mttr, autoRecovery, 50.0, 0.001, changes, 0, 3, 3, 1.0, null, List.of());
  }

  private static BenchTable.Row row(String key) {
    return BenchTable.ROWS.stream()
        .filter(r -> r.field().key().equals(key))
        .findFirst()
        .orElseThrow();
  }

  private final List<Score> scores =
      List.of(
          score(ControllerKind.STATIC, 1.5, 900.0, 0.0, 11),
          score(ControllerKind.RULE_BASED, 29.0, null, 10.0, 113),
          score(ControllerKind.AGENTS, 3.6, 300.0, 100.0, 11));

  @Test
  void lowerIsBetterMarksTheLowestEvenWhenABaselineHasIt() {
    assertEquals(Set.of(0), BenchTable.best(scores, row("sla_violation_pct")));
  }

  @Test
  void higherIsBetterMarksTheHighest() {
    assertEquals(Set.of(2), BenchTable.best(scores, row("auto_recovery_pct")));
  }

  @Test
  void tiesAreAllMarkedAndUndefinedValuesSkipped() {
    assertEquals(Set.of(0, 2), BenchTable.best(scores, row("config_changes")));
    assertEquals(Set.of(2), BenchTable.best(scores, row("mttr_seconds")));
  }

  @Test
  void equalRowsAndRowsWithOneValueMarkNothing() {
    assertEquals(Set.of(), BenchTable.best(scores, row("cpu_utilization_pct")));
    List<Score> one =
        List.of(
            score(ControllerKind.STATIC, 1.0, null, null, 0),
            score(ControllerKind.AGENTS, 2.0, 5.0, null, 1));
    assertEquals(Set.of(), BenchTable.best(one, row("mttr_seconds")));
    assertEquals(Set.of(), BenchTable.best(one, row("auto_recovery_pct")));
  }

  @Test
  void valuesEqualAsShownAreTies() {
    // 1.0001 and 1.0004 both show as 1.000 (3 decimals)
    List<Score> close =
        List.of(
            score(ControllerKind.STATIC, 1.0004, null, null, 0),
            score(ControllerKind.AGENTS, 1.0001, null, null, 0),
            score(ControllerKind.DS2, 2.0, null, null, 0));
    assertEquals(Set.of(0, 1), BenchTable.best(close, row("sla_violation_pct")));
  }

  @Test
  void theRowsWhereABaselineBeatsTheAgentsAreNamed() {
    List<String> ahead = BenchTable.baselinesAhead(scores);
    assertEquals(List.of("SLA violation % (static)"), ahead);
  }

  @Test
  void theRenderedTableStatesSeedDurationVersionAndMarksTheBest() {
    String text = BenchTable.render("nyc-taxi", 42, 2, 17_280, 10, "1.2.3", scores);
    String first = text.lines().findFirst().orElseThrow();
    assertEquals(
        "Scenario nyc-taxi: seed 42, 2 days (17280 ticks of 10 s), autopilot 1.2.3", first);
    String sla =
        text.lines().filter(l -> l.startsWith("SLA violation %")).findFirst().orElseThrow();
    assertTrue(sla.contains("1.500*"), sla);
    assertTrue(sla.contains("3.600 "), sla);
    String recovery =
        text.lines().filter(l -> l.startsWith("Auto-recovery %")).findFirst().orElseThrow();
    assertTrue(recovery.endsWith("100.00*"), recovery);
    assertTrue(text.contains("A baseline beats the agents on: SLA violation % (static)"), text);
    for (BenchTable.Row r : BenchTable.ROWS) {
      assertTrue(text.contains(r.field().label()), r.field().label());
    }
  }
}
