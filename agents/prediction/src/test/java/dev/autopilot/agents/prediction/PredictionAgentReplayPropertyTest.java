package dev.autopilot.agents.prediction;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.policy.PredictionSettings;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.ProposerReplay;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * Replay property (issue 8): after a random sequence of evaluations (a walk through healthy,
 * overload, idle, crash-loop, checkpoint and memory regimes) and outcomes of its proposals, the
 * prediction entity restarted from its journal has the state it had before. The entity runs the
 * Holt-trend baseline policy; the learned model's promotions are covered by its own tests.
 */
class PredictionAgentReplayPropertyTest {
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create(EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
  private static final PredictionSettings SETTINGS =
      PredictionSettings.create(ConfigFactory.load());

  @AfterContainer
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Property(tries = 60, seed = "42")
  void theRecoveredStateEqualsTheStateBeforeTheRestart(
      @ForAll long seed, @ForAll @IntRange(min = 40, max = 150) int commands) {
    String pipeline = "replay-" + Long.toHexString(seed);
    EventSourcedBehaviorTestKit<AgentProtocol.Command, PredictionAgent.Event, PredictionAgent.State>
        kit =
            EventSourcedBehaviorTestKit.create(
                TEST_KIT.system(),
                PredictionAgent.create(
                    pipeline,
                    PersistenceId.of(PredictionAgent.ENTITY_TYPE_KEY.name(), pipeline),
                    SETTINGS));
    ProposerReplay.assertReplays(kit, pipeline, SLA, seed, commands);
  }
}
