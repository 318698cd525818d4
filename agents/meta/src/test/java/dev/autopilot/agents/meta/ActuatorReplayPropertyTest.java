package dev.autopilot.agents.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.testing.RandomTelemetry;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;

/**
 * Replay property (issue 8): after a random sequence of ticks (random telemetry of the running
 * configuration, sometimes with a change to apply: rescales, TaskManager counts and recovery
 * actions, some of which the platform fails) and manual rollbacks, the actuator restarted from its
 * journal has the state it had before: history, change under verification, counters. The actuator's
 * transient fields (the tick in progress, a pending rollback's reply) are empty between commands
 * and are not part of the state.
 */
class ActuatorReplayPropertyTest {
  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(
          "ActuatorReplayPropertyTest",
          EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final MetaSettings SETTINGS =
      MetaSettings.create(TEST_KIT.system().settings().config());
  private static final PipelineConfig BASE = Snapshots.defaultConfig();
  private static final ExpectedEffect EFFECT = new ExpectedEffect(0.05, -0.05, 500_000, 120, 1);

  @AfterContainer
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Property(tries = 60, seed = "42")
  void theRecoveredStateEqualsTheStateBeforeTheRestart(
      @ForAll long seed, @ForAll @IntRange(min = 30, max = 120) int commands) {
    String pipeline = "replay-" + Long.toHexString(seed);
    Random rnd = new Random(seed);
    RecordingPlatform platform = new RecordingPlatform(1);
    platform.register(pipeline, BASE);
    EventSourcedBehaviorTestKit<Actuator.Command, Actuator.Event, Actuator.State> kit =
        EventSourcedBehaviorTestKit.create(
            TEST_KIT.system(),
            Actuator.create(pipeline, Actuator.persistenceId(pipeline), SETTINGS, platform));
    kit.clear();
    RandomTelemetry telemetry = new RandomTelemetry(pipeline, rnd);
    int events = 0;
    Set<String> kinds = new TreeSet<>();
    for (int i = 0; i < commands; i++) {
      if (i > 0 && rnd.nextInt(25) == 0) {
        int levels = 1 + rnd.nextInt(2);
        events +=
            kit.<StatusReply<PipelineConfig>>runCommand(
                    r -> new Actuator.Rollback(levels, "property", "test", r))
                .events()
                .size();
        continue;
      }
      long tick = telemetry.tick();
      Decision decision =
          i > 0
                  && (rnd.nextInt(3) == 0 && !kit.getState().verificationOpen()
                      || rnd.nextInt(40) == 0)
              ? decision(pipeline, tick, action(rnd), rnd)
              : null;
      if (decision != null && rnd.nextInt(6) == 0) {
        platform.failNext(1, PlatformException.Kind.UNAVAILABLE);
      }
      var snapshot = telemetry.next(platform.config(pipeline));
      var result = kit.<Actuator.TickDone>runCommand(r -> new Actuator.Tick(snapshot, decision, r));
      events += result.events().size();
      result.events().forEach(e -> kinds.add(e.getClass().getSimpleName()));
    }
    Actuator.State before = kit.getState();
    Actuator.State after = kit.restart().state();

    assertEquals(before, after);
    Statistics.label("verified").collect(kinds.contains("ChangeVerified"));
    Statistics.label("rolled back").collect(kinds.contains("RolledBack"));
    Statistics.label("history").collect(Math.min(before.history().entries().size(), 3));
    Statistics.label("journaled more than the baseline").collect(events > 1);
    Statistics.label("verified").coverage(c -> c.check(true).percentage(p -> p >= 20));
    Statistics.label("rolled back").coverage(c -> c.check(true).percentage(p -> p >= 10));
  }

  private static Action action(Random rnd) {
    String op = Snapshots.OPERATORS.get(rnd.nextInt(Snapshots.OPERATORS.size()));
    return switch (rnd.nextInt(4)) {
      case 0 -> new Action.ScaleTaskManagers(4 + rnd.nextInt(8));
      case 1 -> new Action.RestartTask(op);
      default -> new Action.Rescale(Map.of(op, 8 + rnd.nextInt(25)));
    };
  }

  private static Decision decision(String pipeline, long tick, Action action, Random rnd) {
    AgentKind agent =
        action instanceof Action.RecoveryAction
            ? AgentKind.RECOVERY
            : (rnd.nextBoolean() ? AgentKind.OPTIMIZATION : AgentKind.PREDICTION);
    Proposal p =
        new Proposal(
            agent.entityTypeName() + "-" + pipeline + "-" + tick + "-0",
            pipeline,
            agent,
            action instanceof Action.RecoveryAction
                ? PriorityClass.RECOVERY
                : PriorityClass.OPTIMIZATION,
            action,
            0.5 + 0.5 * rnd.nextDouble(),
            EFFECT,
            List.of("random evidence"),
            "random cause",
            tick,
            tick + 3);
    return new Decision(
        "decision-" + pipeline + "-" + tick,
        pipeline,
        tick,
        Decision.Verdict.APPLY,
        p,
        "property",
        List.of());
  }
}
