package dev.autopilot.agents.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.Snapshots;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The entity registered with {@code initSharding} on a one-node cluster, addressed by pipeline id.
 */
@ExtendWith(LogCapturingExtension.class)
class RecoveryAgentShardingTest {
  private static final Config CONFIG =
      ConfigFactory.parseString(
              """
              pekko.actor.provider = cluster
              pekko.actor.serialize-messages = on
              pekko.remote.artery.canonical.hostname = 127.0.0.1
              pekko.remote.artery.canonical.port = 0
              pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
              """)
          .withFallback(EventSourcedBehaviorTestKit.config())
          .withFallback(ConfigFactory.load());
  private static final ActorTestKit TEST_KIT = ActorTestKit.create("recovery-sharding", CONFIG);

  @AfterAll
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  @Test
  void anEvaluateReachesTheEntityOfItsPipelineAndIsAnswered() {
    Cluster cluster = Cluster.get(TEST_KIT.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    RecoveryAgent.initSharding(
        TEST_KIT.system(), RecoverySettings.create(TEST_KIT.system().settings().config()));

    assertEquals("recovery", RecoveryAgent.ENTITY_TYPE_KEY.name());
    EntityRef<AgentProtocol.Command> p7 =
        ClusterSharding.get(TEST_KIT.system()).entityRefFor(RecoveryAgent.ENTITY_TYPE_KEY, "p7");
    TestProbe<AgentProtocol.Proposals> replies = TEST_KIT.createTestProbe();
    p7.tell(
        new AgentProtocol.Evaluate(
            Snapshots.healthy("p7", 1), new SlaSpec(800_000, 500, 0.05), replies.ref()));
    AgentProtocol.Proposals answer =
        replies.expectMessageClass(AgentProtocol.Proposals.class, Duration.ofSeconds(20));
    assertEquals("p7", answer.pipelineId());
    assertEquals(1, answer.tick());
    assertEquals(AgentKind.RECOVERY, answer.agent());
    assertTrue(answer.proposals().isEmpty());

    TestProbe<RecoveryAgent.State> states = TEST_KIT.createTestProbe();
    p7.tell(new RecoveryAgent.GetState(states.ref()));
    RecoveryAgent.State state =
        states.expectMessageClass(RecoveryAgent.State.class, Duration.ofSeconds(10));
    assertEquals("p7", state.pipelineId());
    assertNull(state.incident());
  }
}
