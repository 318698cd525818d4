package dev.autopilot.runtime.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.Metric;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.runtime.bench.BenchSettings;
import dev.autopilot.runtime.bench.FaultOracle;
import dev.autopilot.runtime.bench.FaultOracle.ActiveFault;
import dev.autopilot.runtime.bench.baseline.BaselineStep.FaultEvent;
import dev.autopilot.runtime.bench.baseline.StaticControllerTest.ListOracle;
import dev.autopilot.runtime.bench.baseline.fko.FkoController;
import dev.autopilot.runtime.bench.baseline.fko.FkoJobGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The alert-then-approved recovery that rule-based, ds2 and fko share. */
class AlertRecoveryTest {

  private static final Config CONFIG = ConfigFactory.load();
  private static final BenchSettings BENCH = BenchSettings.create(CONFIG);
  private static final Action RESTART = new Action.RestartTask("parse");
  private static final ActiveFault CRASH =
      new ActiveFault("f1", FailureMode.TASK_CRASH, "parse", 10, List.of(RESTART));

  static Stream<Arguments> baselines() {
    Function<FaultOracle, BaselineController> ruleBased =
        o -> new RuleBasedController(BENCH.ruleBased(), o);
    Function<FaultOracle, BaselineController> ds2 =
        o -> Ds2BaselineTest.ds2(AlertRecovery.of(BENCH.ruleBased(), o));
    Function<FaultOracle, BaselineController> fko =
        o ->
            new FkoController(
                "p1",
                BENCH.fko(),
                new FkoJobGraph(Snapshots.OPERATORS, Set.of()),
                10,
                Ds2BaselineTest.BOUNDS,
                AlertRecovery.of(BENCH.ruleBased(), o));
    return Stream.of(
        Arguments.of("rule-based", ruleBased), Arguments.of("ds2", ds2), Arguments.of("fko", fko));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("baselines")
  void aFaultIsAlertedThenFixedAfterTheApproval(
      String name, Function<FaultOracle, BaselineController> factory) {
    BaselineController c = factory.apply(new ListOracle(List.of(CRASH), Map.of()));
    long detected = 10 + BENCH.ruleBased().detectionDelayTicks();
    long fixed = detected + BENCH.ruleBased().approvalDelayTicks();
    List<FaultEvent> events = new ArrayList<>();
    List<Long> fixTicks = new ArrayList<>();
    for (long t = 0; t < fixed + 50; t++) {
      TelemetrySnapshot s = Snapshots.builder("p1", t).tm(Metric.CPU_LOAD, 0.5).build();
      BaselineStep step = c.onTick(s);
      events.addAll(step.faultEvents());
      if (step.actions().contains(RESTART)) {
        fixTicks.add(t);
      }
    }
    assertEquals(List.of(fixed), fixTicks, name + " applies the fix once, after the approval");
    assertEquals(
        List.of(
            new FaultEvent("f1", FaultEvent.Kind.DETECTED, detected, false, null),
            new FaultEvent("f1", FaultEvent.Kind.FIX_APPLIED, fixed, true, RESTART.describe())),
        events,
        name);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("baselines")
  void aFaultThatHealedBeforeTheApprovalIsLeftAlone(
      String name, Function<FaultOracle, BaselineController> factory) {
    long detected = 10 + BENCH.ruleBased().detectionDelayTicks();
    BaselineController c =
        factory.apply(new ListOracle(List.of(CRASH), Map.of("f1", detected + 1)));
    for (long t = 0; t < detected + 100; t++) {
      BaselineStep step = c.onTick(Snapshots.builder("p1", t).tm(Metric.CPU_LOAD, 0.5).build());
      assertTrue(step.actions().stream().noneMatch(RESTART::equals), name + " tick " + t);
    }
  }
}
