package dev.autopilot.agents.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.Action;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.testing.RandomTelemetry;
import dev.autopilot.api.testing.Snapshots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.typed.PersistenceId;

/**
 * Replay property (issue 8): after a random sequence of ticks (the three proposing agents, faked
 * through sharding on a one-node cluster, answer with random proposals drawn from the sequence's
 * seed), mode changes, approvals, denials and rollback requests, the meta-agent restarted from its
 * journal has the state it had before: mode, decision count, proposals awaiting approval and
 * approved, shadow counts. The tick in flight is transient by design and empty between commands.
 */
class MetaAgentReplayPropertyTest {
  private static final Config CONFIG =
      ConfigFactory.parseString(
              "pekko.actor.provider = cluster\n"
                  + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                  + "pekko.remote.artery.canonical.port = 0\n"
                  + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n")
          .withFallback(EventSourcedBehaviorTestKit.config())
          .withFallback(ConfigFactory.load());
  private static final ActorTestKit TEST_KIT =
      ActorTestKit.create("MetaAgentReplayPropertyTest", CONFIG);
  private static final MetaSettings SETTINGS = MetaSettings.create(CONFIG);
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final RecordingPlatform PLATFORM = new RecordingPlatform(1);
  private static final ExpectedEffect EFFECT = new ExpectedEffect(0.05, -0.05, 500_000, 120, 1);

  /** Per pipeline: the seed the fake agents draw their answers from. */
  private static final Map<String, Long> SEEDS = new ConcurrentHashMap<>();

  @BeforeContainer
  static void startCluster() {
    Cluster cluster = Cluster.get(TEST_KIT.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TEST_KIT
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertEquals(MemberStatus.up(), cluster.selfMember().status());
              return null;
            });
    ClusterSharding sharding = ClusterSharding.get(TEST_KIT.system());
    for (AgentKind kind : MetaAgent.PROPOSERS) {
      sharding.init(Entity.of(MetaAgent.agentKey(kind), ec -> fakeAgent(kind, ec.getEntityId())));
    }
  }

  @AfterContainer
  static void shutdown() {
    TEST_KIT.shutdownTestKit();
  }

  /** Answers every evaluation (never silent, so no tick waits for the deadline). */
  private static Behavior<AgentProtocol.Command> fakeAgent(AgentKind kind, String pipelineId) {
    return Behaviors.receive(AgentProtocol.Command.class)
        .onMessage(
            AgentProtocol.Evaluate.class,
            e -> {
              long tick = e.snapshot().tick();
              Random rnd = new Random(Objects.hash(SEEDS.get(pipelineId), kind, tick));
              List<Proposal> answer =
                  rnd.nextInt(3) == 0
                      ? List.of(proposal(pipelineId, kind, tick, e.snapshot().config(), rnd))
                      : List.of();
              e.replyTo().tell(new AgentProtocol.Proposals(pipelineId, tick, kind, answer));
              return Behaviors.same();
            })
        .onMessage(AgentProtocol.Outcome.class, o -> Behaviors.same())
        .build();
  }

  private static Proposal proposal(
      String pipelineId, AgentKind kind, long tick, PipelineConfig config, Random rnd) {
    String op = Snapshots.OPERATORS.get(rnd.nextInt(Snapshots.OPERATORS.size()));
    int current = config.parallelism().get(op);
    Action action =
        kind == AgentKind.RECOVERY
            ? (rnd.nextInt(3) == 0 ? new Action.Failover() : new Action.RestartTask(op))
            : new Action.Rescale(
                Map.of(
                    op,
                    rnd.nextInt(3) == 0
                        // more than large-change-fraction: high risk, waits in approval mode
                        ? current * 2
                        : Math.max(2, current + rnd.nextInt(9) - 4)));
    PriorityClass priority =
        switch (kind) {
          case RECOVERY -> PriorityClass.RECOVERY;
          case PREDICTION -> PriorityClass.SLA_PROTECTION;
          default -> PriorityClass.OPTIMIZATION;
        };
    return new Proposal(
        kind.entityTypeName() + "-" + pipelineId + "-" + tick + "-0",
        pipelineId,
        kind,
        priority,
        action,
        0.5 + 0.5 * rnd.nextDouble(),
        EFFECT,
        List.of("random evidence of " + kind),
        "random cause",
        tick,
        tick + 3);
  }

  @Property(tries = 30, seed = "42")
  void theRecoveredStateEqualsTheStateBeforeTheRestart(
      @ForAll long seed, @ForAll @IntRange(min = 30, max = 90) int commands) {
    String pipeline = "replay-" + Long.toHexString(seed);
    SEEDS.put(pipeline, seed);
    PLATFORM.register(pipeline, Snapshots.defaultConfig());
    Random rnd = new Random(seed);
    EventSourcedBehaviorTestKit<MetaAgent.Command, MetaAgent.Event, MetaAgent.State> kit =
        EventSourcedBehaviorTestKit.create(
            TEST_KIT.system(),
            MetaAgent.create(
                pipeline,
                PersistenceId.of(MetaAgent.ENTITY_TYPE_KEY.name(), pipeline),
                SETTINGS,
                PLATFORM));
    kit.clear();
    RandomTelemetry telemetry = new RandomTelemetry(pipeline, rnd);
    int events = 0;
    int approvals = 0;
    Set<String> verdicts = new TreeSet<>();
    for (int i = 0; i < commands; i++) {
      MetaAgent.State state = kit.getState();
      int dice = rnd.nextInt(100);
      if (!state.awaitingApproval().isEmpty() && dice < 30) {
        List<String> ids = new ArrayList<>(state.awaitingApproval().keySet());
        String id = ids.get(rnd.nextInt(ids.size()));
        events +=
            (rnd.nextBoolean()
                    ? kit.<StatusReply<Done>>runCommand(r -> new MetaAgent.Approve(id, "ops", r))
                    : kit.<StatusReply<Done>>runCommand(
                        r -> new MetaAgent.Deny(id, "ops", "property", r)))
                .events()
                .size();
        approvals++;
      } else if (dice < 40 || i == 0) {
        Mode mode = Mode.values()[rnd.nextInt(Mode.values().length)];
        events +=
            kit.<StatusReply<Done>>runCommand(r -> new MetaAgent.SetMode(mode, "ops", r))
                .events()
                .size();
      } else if (dice < 43) {
        events +=
            kit.<StatusReply<PipelineConfig>>runCommand(
                    r -> new MetaAgent.RequestRollback(1, "property", "ops", r))
                .events()
                .size();
      } else {
        var snapshot = telemetry.next(PLATFORM.config(pipeline));
        var closed =
            kit.<MetaAgent.TickClosed>runCommand(r -> new MetaAgent.OpenTick(snapshot, SLA, r));
        events += closed.events().size();
        if (closed.reply().decision() != null) {
          verdicts.add(closed.reply().decision().verdict().name());
          closed.reply().decision().rejections().forEach(rj -> verdicts.add(rj.code().name()));
        }
      }
    }
    MetaAgent.State before = kit.getState();
    MetaAgent.State after = kit.restart().state();

    assertEquals(before, after);
    Statistics.label("held for approval").collect(verdicts.contains("AWAITING_APPROVAL"));
    Statistics.label("shadow decisions").collect(verdicts.contains("SHADOW"));
    Statistics.label("decided").collect(before.decisions() > 0);
    Statistics.label("approvals or denials").collect(approvals > 0);
    Statistics.label("decided").coverage(c -> c.check(true).percentage(p -> p >= 50));
    Statistics.label("approvals or denials").coverage(c -> c.check(true).percentage(p -> p >= 10));
  }
}
