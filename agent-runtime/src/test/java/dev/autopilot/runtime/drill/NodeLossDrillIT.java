package dev.autopilot.runtime.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.autopilot.runtime.PostgresTestDatabase;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.ScratchDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The core promise, through the drill's engine: on a 3-node cluster over a PostgreSQL journal,
 * nodes are killed at every moment of the actuation cycle (steady, a decision's platform call held
 * before and after the platform acted, a change under verification, a rollback's call held); after
 * each kill the history of known-good configurations is complete and in order, no decision is
 * applied twice, the pipelines resume within the bound, a rollback restores the right
 * configuration, and at the end the journal's replay equals the live state of every entity.
 */
class NodeLossDrillIT {
  private static final int TRIALS = 7;

  @Test
  void everyMomentOfTheActuationCycleSurvivesTheLossOfANode() {
    // Probes the server (skips, or fails under CI=true, when it is unreachable); the drill then
    // creates its own scratch database there.
    try (ScratchDatabase probe = PostgresTestDatabase.create("autopilot_node_loss_probe")) {
      probe.name();
    }
    Config root =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.database(
                PostgresTestDatabase.adminUrl(),
                PostgresTestDatabase.user(),
                PostgresTestDatabase.password()));
    NodeLossSettings settings = NodeLossSettings.create(root).with(TRIALS, 7);
    StringWriter progress = new StringWriter();

    NodeLossReport report = NodeLossDrill.run(root, settings, new PrintWriter(progress, true));

    String context = report.toText() + progress;
    assertEquals(TRIALS, report.trialsRun(), context);
    assertEquals(TRIALS, report.passed(), context);
    assertEquals(0, report.lostHistoryEntries(), context);
    assertEquals(0, report.duplicateApplications(), context);
    assertTrue(report.failures().isEmpty(), context);
    assertTrue(
        report.resumeSeconds().max() <= report.resumeBoundSeconds(),
        () -> "resume max " + report.resumeSeconds().max() + " s: " + context);
    assertTrue(report.resumeSeconds().p50() > 0, context);
    for (NodeLossDrill.Moment m : NodeLossDrill.Moment.values()) {
      assertTrue(
          report.moments().containsKey(m.label()),
          () -> m.label() + " not covered: " + report.moments());
    }
    assertTrue(report.auditEquivalent(), context);
    assertEquals(2 * settings.pipelines(), report.auditEntities());
    assertTrue(report.platformApplications() >= 2 * TRIALS, context);
    assertTrue(report.ok(), context);
    assertTrue(
        report.toJson().startsWith("{\"drill\":\"node-loss\",\"trials\":" + TRIALS),
        report.toJson());
    assertTrue(
        Arrays.stream(report.toJson().split(",")).anyMatch(f -> f.contains("resume_seconds")),
        report.toJson());
  }
}
