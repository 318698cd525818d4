package dev.autopilot.agents.recovery.learn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.agents.recovery.policy.LadderChooser;
import dev.autopilot.agents.recovery.policy.RecoveryActionChooser;
import dev.autopilot.agents.recovery.policy.RecoveryLadder;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.testing.Snapshots;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LearnedRecoveryPolicyTest {
  private final RecoverySettings settings = RecoverySettings.create(ConfigFactory.load());
  private final RecoveryLadder ladder = new RecoveryLadder(settings);
  private final PipelineConfig config = Snapshots.defaultConfig();
  private final RecoveryLadder.Context ctx =
      new RecoveryLadder.Context(
          "window-agg", "node-2", "session-agg", config, config.withCheckpointIntervalSeconds(20));

  private static RecoveryState st(FailureMode m, int stage, Severity sev) {
    return new RecoveryState(m, stage, sev);
  }

  /** FAILOVER is best at stage 0, FULL_RESTART at stage 1 (also FAILOVER there, but used). */
  private QTable crashTable() {
    QTable t = new QTable();
    RecoveryState s0 = st(FailureMode.TASK_CRASH, 0, Severity.HIGH);
    RecoveryState s1 = st(FailureMode.TASK_CRASH, 1, Severity.HIGH);
    t.set(s0, RecoveryOption.RESTART_TASK, -5, 10);
    t.set(s0, RecoveryOption.FAILOVER, 3, 10);
    t.set(s0, RecoveryOption.FULL_RESTART, 9, 1); // too few visits to be trusted
    t.set(s1, RecoveryOption.FAILOVER, 8, 10);
    t.set(s1, RecoveryOption.FULL_RESTART, 2, 10);
    t.set(s1, RecoveryOption.RESTART_TASK, -1, 10);
    return t;
  }

  @Test
  void keepsTheLadderRungUnlessTheDataSaysClearlyBetter() {
    RecoveryState s0 = st(FailureMode.TASK_CRASH, 0, Severity.LOW);
    QTable t = new QTable();
    t.set(s0, RecoveryOption.RESTART_TASK, 10.0, 50);
    t.set(s0, RecoveryOption.FAILOVER, 10.4, 50); // better, but within the margin
    LearnedRecoveryPolicy p = new LearnedRecoveryPolicy(t, ladder, 4, 5, 0.5);
    assertEquals(
        new Action.RestartTask("window-agg"),
        p.choose(FailureMode.TASK_CRASH, 0, Severity.LOW, ctx, List.of()).orElseThrow().action());
    t.set(s0, RecoveryOption.FAILOVER, 10.6, 50); // beyond the margin
    assertEquals(
        new Action.Failover(),
        p.choose(FailureMode.TASK_CRASH, 0, Severity.LOW, ctx, List.of()).orElseThrow().action());
    t.set(s0, RecoveryOption.RESTART_TASK, 10.0, 4); // the ladder's value is not trusted yet
    assertEquals(
        new Action.RestartTask("window-agg"),
        p.choose(FailureMode.TASK_CRASH, 0, Severity.LOW, ctx, List.of()).orElseThrow().action());
  }

  @Test
  void greedyPlanPicksTheBestTrustedOptionAndNeverRepeatsAnAction() {
    LearnedRecoveryPolicy p = new LearnedRecoveryPolicy(crashTable(), ladder, 4, 2, 0.5);
    Optional<RecoveryLadder.Rung> r0 =
        p.choose(FailureMode.TASK_CRASH, 0, Severity.HIGH, ctx, List.of());
    assertEquals(
        new RecoveryLadder.Rung(0, Action.Level.L3, new Action.Failover()), r0.orElseThrow());
    Optional<RecoveryLadder.Rung> r1 =
        p.choose(FailureMode.TASK_CRASH, 1, Severity.HIGH, ctx, List.of());
    assertEquals(new Action.FullRestart(config), r1.orElseThrow().action());
    assertEquals(1, r1.orElseThrow().index());
    // stage 2 is unknown: the ladder's first rung not yet in the plan
    Optional<RecoveryLadder.Rung> r2 =
        p.choose(FailureMode.TASK_CRASH, 2, Severity.HIGH, ctx, List.of());
    assertEquals(new Action.RestartTask("window-agg"), r2.orElseThrow().action());
    assertEquals(Action.Level.L1, r2.orElseThrow().level());
    assertTrue(p.choose(FailureMode.TASK_CRASH, 4, Severity.HIGH, ctx, List.of()).isEmpty());
    // the actions really tried at earlier stages take precedence over the recomputed plan: after
    // a restart task, the ladder's next rung (redeploy) stays while its value is unknown ...
    QTable t = crashTable();
    LearnedRecoveryPolicy q = new LearnedRecoveryPolicy(t, ladder, 4, 2, 0.5);
    List<Action> tried = List.of(new Action.RestartTask("window-agg"));
    assertEquals(
        new Action.RedeployOperator("window-agg", 16),
        q.choose(FailureMode.TASK_CRASH, 1, Severity.HIGH, ctx, tried).orElseThrow().action());
    // ... and gives way to fail-over (not tried this time) once redeploy is known to be worse
    t.set(st(FailureMode.TASK_CRASH, 1, Severity.HIGH), RecoveryOption.REDEPLOY_SAME, 0, 10);
    assertEquals(
        new Action.Failover(),
        q.choose(FailureMode.TASK_CRASH, 1, Severity.HIGH, ctx, tried).orElseThrow().action());
  }

  @Test
  void greedyPolicyIsDeterministic() {
    LearnedRecoveryPolicy a = new LearnedRecoveryPolicy(crashTable(), ladder, 4, 2, 0.5);
    LearnedRecoveryPolicy b = new LearnedRecoveryPolicy(crashTable(), ladder, 4, 2, 0.5);
    for (FailureMode m : FailureMode.values()) {
      for (Severity sev : Severity.values()) {
        for (int stage = 0; stage < 4; stage++) {
          Optional<RecoveryLadder.Rung> x = a.choose(m, stage, sev, ctx, List.of());
          assertEquals(x, a.choose(m, stage, sev, ctx, List.of()), m + "/" + stage + "/" + sev);
          assertEquals(x, b.choose(m, stage, sev, ctx, List.of()), m + "/" + stage + "/" + sev);
        }
      }
    }
  }

  @Test
  void anEmptyTableBehavesLikeTheLadderAsFarAsTheLadderGoes() {
    LearnedRecoveryPolicy p = new LearnedRecoveryPolicy(new QTable(), ladder, 4, 2, 0.5);
    for (FailureMode m : FailureMode.values()) {
      List<Action> plan = ladder.plan(m, ctx).stream().map(RecoveryLadder.Rung::action).toList();
      for (int stage = 0; stage < Math.min(4, plan.size()); stage++) {
        assertEquals(
            plan.get(stage),
            p.choose(m, stage, Severity.MEDIUM, ctx, List.of()).orElseThrow().action());
      }
    }
  }

  @Test
  void explorationTriesUntriedOptionsFirstAndIsReproducibleForASeed() {
    LearnedRecoveryPolicy p = new LearnedRecoveryPolicy(crashTable(), ladder, 4, 2, 0.5);
    RecoveryState s0 = st(FailureMode.TASK_CRASH, 0, Severity.HIGH);
    List<Action> tried = List.of(new Action.Failover());
    List<RecoveryOption> seq1 = new ArrayList<>();
    List<RecoveryOption> seq2 = new ArrayList<>();
    SplittableRandom r1 = new SplittableRandom(3);
    SplittableRandom r2 = new SplittableRandom(3);
    for (int i = 0; i < 20; i++) {
      LearnedRecoveryPolicy.Decision d = p.explore(s0, ctx, tried, r1, 0.1).orElseThrow();
      seq1.add(d.option());
      seq2.add(p.explore(s0, ctx, tried, r2, 0.1).orElseThrow().option());
      assertFalse(d.action().equals(new Action.Failover()), "a tried action is not repeated");
      assertTrue(d.admissible().contains(d.option()));
      assertTrue(
          d.explored() || p.table().visits(s0, d.option()) > 0, "untried options come first");
    }
    assertEquals(seq1, seq2);
  }

  @ParameterizedTest
  @EnumSource(FailureMode.class)
  void ladderAdapterReproducesTheFixedLadder(FailureMode mode) {
    LadderChooser chooser = new LadderChooser(ladder);
    assertEquals(ladder.size(mode), chooser.stages(mode));
    for (int stage = 0; stage <= ladder.size(mode); stage++) {
      for (Severity sev : Severity.values()) {
        assertEquals(
            ladder.next(mode, stage, ctx), chooser.choose(mode, stage, sev, ctx, List.of()));
      }
    }
    // without a node or a known-good config the same rungs are skipped
    RecoveryLadder.Context bare = new RecoveryLadder.Context(null, null, "sink", config, null);
    for (int stage = 0; stage <= ladder.size(mode); stage++) {
      assertEquals(
          ladder.next(mode, stage, bare),
          chooser.choose(mode, stage, Severity.LOW, bare, List.of()));
    }
  }

  @Test
  void jsonRoundTripKeepsTheTableAndTheChoice() throws Exception {
    LearnedRecoveryPolicy p = new LearnedRecoveryPolicy(crashTable(), ladder, 4, 2, 0.5);
    PolicyMetrics learned = new PolicyMetrics(300, 0.9, 130.5, 20);
    PolicyMetrics lad = new PolicyMetrics(300, 0.9, 175.0, 55);
    RecoveryPolicyModel model = RecoveryPolicyModel.of("learned", learned, lad, p);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    model.write(out);
    RecoveryPolicyModel back =
        RecoveryPolicyModel.read(new ByteArrayInputStream(out.toByteArray()), "test.json");
    assertEquals(model, back);
    assertEquals(p.table().entries(), back.table().entries());
    RecoveryActionChooser c = RecoveryPolicySelector.chooser(back, settings);
    assertInstanceOf(LearnedRecoveryPolicy.class, c);
    for (int stage = 0; stage < 4; stage++) {
      assertEquals(
          p.choose(FailureMode.TASK_CRASH, stage, Severity.HIGH, ctx, List.of()),
          c.choose(FailureMode.TASK_CRASH, stage, Severity.HIGH, ctx, List.of()));
    }
  }

  @Test
  void badJsonNamesTheField() {
    String json =
        "{\"schema\":\"recovery-policy/1\",\"chosen\":\"learned\",\"learned\":null,\"ladder\":null,"
            + "\"maxStages\":4,\"minVisits\":2,\"margin\":0.5,\"qtable\":[{\"cause\":\"TASK_CRASH\",\"stage\":0,"
            + "\"severity\":\"HIGH\",\"option\":\"REBOOT_EVERYTHING\",\"q\":1.0,\"visits\":3}]}";
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RecoveryPolicyModel.read(
                    new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "p.json"));
    assertTrue(e.getMessage().contains("p.json"), e.getMessage());
    assertTrue(e.getMessage().contains("qtable[0].option"), e.getMessage());
  }

  @Test
  void selectionPicksTheBetterByTheRecordedMetric() {
    PolicyMetrics a = new PolicyMetrics(300, 0.95, 200, 40);
    PolicyMetrics b = new PolicyMetrics(300, 0.90, 100, 10);
    assertEquals("learned", RecoveryPolicySelector.choose(a, b));
    assertEquals("ladder", RecoveryPolicySelector.choose(b, a));
    // equal rate: lower MTTR wins; then fewer failed attempts; a full tie keeps the ladder
    PolicyMetrics fast = new PolicyMetrics(300, 0.9, 120, 30);
    PolicyMetrics slow = new PolicyMetrics(300, 0.9, 170, 5);
    assertEquals("learned", RecoveryPolicySelector.choose(fast, slow));
    assertEquals("ladder", RecoveryPolicySelector.choose(slow, fast));
    PolicyMetrics fewer = new PolicyMetrics(300, 0.9, 120, 10);
    assertEquals("learned", RecoveryPolicySelector.choose(fewer, fast));
    assertEquals("ladder", RecoveryPolicySelector.choose(fast, fast));
  }

  @Test
  void loaderHonoursTheRecordedChoiceAndFallsBackToTheLadder(@TempDir Path dir) {
    LearnedRecoveryPolicy p = new LearnedRecoveryPolicy(crashTable(), ladder, 4, 2, 0.5);
    PolicyMetrics m = new PolicyMetrics(10, 0.5, 100, 3);
    assertThrows(
        IllegalArgumentException.class,
        () -> new LearnedRecoveryPolicy(crashTable(), ladder, 0, 2, 0));
    for (String chosen : List.of("learned", "ladder")) {
      int v = chosen.equals("learned") ? 1 : 2;
      RecoveryPolicyModel model = RecoveryPolicyModel.of(chosen, m, m, p);
      ModelBundle.create(dir, "recovery", v, Map.of())
          .put(
              RecoveryPolicySelector.COMPONENT,
              "recovery-policy.json",
              RecoveryPolicyModel.SCHEMA,
              Map.of(),
              model::write)
          .commit();
      RecoveryActionChooser c =
          RecoveryPolicySelector.load(ModelBundle.load(dir, "recovery", v), settings);
      assertEquals(chosen, c.name());
    }
    ModelBundle.create(dir, "recovery", 3, Map.of()).commit();
    assertInstanceOf(
        LadderChooser.class,
        RecoveryPolicySelector.load(ModelBundle.load(dir, "recovery", 3), settings));
  }

  @Test
  void severityBuckets() {
    assertEquals(Severity.LOW, Severity.of(0.05, 1.1));
    assertEquals(Severity.MEDIUM, Severity.of(0.2, 1.0));
    assertEquals(Severity.MEDIUM, Severity.of(0.0, 2.0));
    assertEquals(Severity.HIGH, Severity.of(0.6, 1.0));
    assertEquals(Severity.HIGH, Severity.of(20, 100, 100, 100));
    assertEquals(Severity.LOW, Severity.of(100, 0, 100, 0));
  }
}
