package dev.autopilot.runtime.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.agents.meta.MetaSettings;
import dev.autopilot.agents.meta.policy.Mode;
import dev.autopilot.api.Action;
import dev.autopilot.api.ActuationResult;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.AgentProtocol;
import dev.autopilot.api.Decision;
import dev.autopilot.api.ExpectedEffect;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.Platform;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PriorityClass;
import dev.autopilot.api.Proposal;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.testing.Snapshots;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The admin API in front of real sharded meta-agents (single-node cluster, persistence testkit
 * journal, every message serialized): each mutating endpoint reaches the meta-agent, has its
 * effect, and the caller's identity is in the journal.
 */
class AdminApiMetaAgentTest {
  private static final Config CONFIG =
      ConfigFactory.parseString(
              "pekko.actor.provider = cluster\n"
                  + "pekko.remote.artery.canonical.hostname = \"127.0.0.1\"\n"
                  + "pekko.remote.artery.canonical.port = 0\n"
                  + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
                  + "pekko.actor.serialize-messages = on\n"
                  + "autopilot.meta.decision-deadline = 3s\n")
          .withFallback(PersistenceTestKitPlugin.config())
          .withFallback(PersistenceTestKitSnapshotPlugin.config())
          .withFallback(ConfigFactory.load());

  private static final ActorTestKit TESTKIT = ActorTestKit.create("AdminApiMetaAgentTest", CONFIG);
  private static final SlaSpec SLA = new SlaSpec(800_000, 500, 0.05);
  private static final PipelineConfig BASE = Snapshots.defaultConfig();
  private static final String ALICE = "alice-token-0123456789abcdef";
  private static final String BOB = "bob-token-0123456789abcdef00";
  private static final List<String> PIPELINES = List.of("mode", "approve", "reject", "rollback");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Per pipeline and tick: the proposal the fake recovery or prediction agent sends. */
  private static final Map<String, Map<Long, Proposal>> SCRIPT = new ConcurrentHashMap<>();

  private static final Map<String, PipelineConfig> RUNNING = new ConcurrentHashMap<>();
  private static PersistenceTestKit journal;
  private static AdminServer server;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** Runs each pipeline at its configuration; applies and recovers always succeed. */
  private static final class MapPlatform implements Platform {
    @Override
    public Set<String> pipelines() {
      return Set.copyOf(RUNNING.keySet());
    }

    @Override
    public TelemetrySnapshot observe(String id) {
      PipelineConfig c = RUNNING.get(id);
      if (c == null) {
        throw new PlatformException(PlatformException.Kind.UNKNOWN_PIPELINE, id);
      }
      return Snapshots.builder(id, 0).config(c).build();
    }

    @Override
    public ActuationResult apply(String id, PipelineConfig desired) {
      if (desired.equals(RUNNING.put(id, desired))) {
        return ActuationResult.unchanged("already running");
      }
      return ActuationResult.applied("reconfigured", 1);
    }

    @Override
    public ActuationResult recover(String id, String actionId, Action.RecoveryAction action) {
      return ActuationResult.applied(action.describe(), 1);
    }
  }

  @BeforeAll
  static void start() throws IOException {
    Cluster cluster = Cluster.get(TESTKIT.system());
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    TESTKIT
        .createTestProbe()
        .awaitAssert(
            Duration.ofSeconds(10),
            () -> {
              assertEquals(MemberStatus.up(), cluster.selfMember().status());
              return null;
            });
    ClusterSharding sharding = ClusterSharding.get(TESTKIT.system());
    for (AgentKind kind : MetaAgent.PROPOSERS) {
      sharding.init(Entity.of(MetaAgent.agentKey(kind), ec -> fakeAgent(kind, ec.getEntityId())));
    }
    PIPELINES.forEach(p -> RUNNING.put(p, BASE));
    MetaAgent.initSharding(
        TESTKIT.system(),
        MetaSettings.create(TESTKIT.system().settings().config()),
        new MapPlatform());
    journal = PersistenceTestKit.create(TESTKIT.system());
    AdminSettings settings =
        AdminSettings.create(TESTKIT.system().settings().config())
            .with(0, Map.of("alice", ALICE, "bob", BOB));
    server =
        AdminServer.start(
            settings,
            MetaAgentControl.sharded(TESTKIT.system(), PIPELINES, Duration.ofSeconds(10)));
  }

  @AfterAll
  static void stop() {
    server.close();
    TESTKIT.shutdownTestKit();
  }

  private static Behavior<AgentProtocol.Command> fakeAgent(AgentKind kind, String pipelineId) {
    return Behaviors.receive(AgentProtocol.Command.class)
        .onMessage(
            AgentProtocol.Evaluate.class,
            e -> {
              long tick = e.snapshot().tick();
              Proposal p = SCRIPT.getOrDefault(pipelineId, Map.of()).get(tick);
              List<Proposal> answer = p != null && p.agent() == kind ? List.of(p) : List.of();
              e.replyTo()
                  .tell(new AgentProtocol.Proposals(pipelineId, tick, kind, answer, null, null));
              return Behaviors.same();
            })
        .onMessage(AgentProtocol.Outcome.class, o -> Behaviors.same())
        .build();
  }

  private static Proposal proposal(
      String pipelineId, AgentKind agent, PriorityClass pc, Action action, long tick) {
    return new Proposal(
        agent.entityTypeName() + "-" + pipelineId + "-" + tick + "-0",
        pipelineId,
        agent,
        pc,
        action,
        0.9,
        new ExpectedEffect(0.05, -0.05, 500_000, 120, 1),
        List.of("evidence"),
        "cause",
        tick,
        tick + 3);
  }

  private static MetaAgent.TickClosed tick(String pipelineId, long tick) {
    TestProbe<MetaAgent.TickClosed> probe = TESTKIT.createTestProbe();
    TelemetrySnapshot s =
        Snapshots.builder(pipelineId, tick).config(RUNNING.get(pipelineId)).build();
    ClusterSharding.get(TESTKIT.system())
        .entityRefFor(MetaAgent.ENTITY_TYPE_KEY, pipelineId)
        .tell(new MetaAgent.OpenTick(s, SLA, probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  private static JsonNode send(String method, String path, String token, String body, int status)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(20));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(status, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  private static JsonNode pipeline(String id) throws IOException, InterruptedException {
    for (JsonNode p : send("GET", "/pipelines", null, null, 200).path("pipelines")) {
      if (p.path("id").asText().equals(id)) {
        return p;
      }
    }
    throw new AssertionError("no pipeline " + id);
  }

  private static List<Object> events(String persistenceId) {
    return journal.persistedInStorage(persistenceId);
  }

  @Test
  void aModeChangeIsJournaledWithTheCallersIdentity() throws Exception {
    assertEquals("autonomous", pipeline("mode").path("mode").asText());
    send("PUT", "/pipelines/mode/mode", BOB, "{\"mode\": \"shadow\"}", 200);
    assertEquals("shadow", pipeline("mode").path("mode").asText());
    MetaAgent.ModeChanged changed =
        assertInstanceOf(MetaAgent.ModeChanged.class, events("meta|mode").get(0));
    assertEquals(Mode.SHADOW, changed.to());
    assertEquals("bob", changed.requestedBy());
    assertTrue(changed.summary().endsWith("by bob"), changed.summary());
  }

  @Test
  void anApprovalReachesTheMetaAgentAndIsAppliedAtTheNextTick() throws Exception {
    String p = "approve";
    send("PUT", "/pipelines/approve/mode", ALICE, "{\"mode\": \"approval\"}", 200);
    SCRIPT.put(
        p,
        Map.of(
            1L, proposal(p, AgentKind.RECOVERY, PriorityClass.RECOVERY, new Action.Failover(), 1)));
    assertEquals(Decision.Verdict.AWAITING_APPROVAL, tick(p, 1).decision().verdict());
    JsonNode pending = pipeline(p).path("pendingApprovals");
    assertEquals(1, pending.size());
    assertEquals("recovery-approve-1-0", pending.get(0).path("proposalId").asText());
    // Unknown ids are refused by the meta-agent's own state.
    send(
        "POST",
        "/pipelines/approve/approvals/decision-approve-9",
        BOB,
        "{\"decision\": \"approve\"}",
        409);
    JsonNode ok =
        send(
            "POST",
            "/pipelines/approve/approvals/recovery-approve-1-0",
            BOB,
            "{\"decision\": \"approve\", \"reason\": \"on call agrees\"}",
            200);
    assertEquals("decision-approve-1", ok.path("decisionId").asText());
    MetaAgent.TickClosed applied = tick(p, 2);
    assertEquals(Decision.Verdict.APPLY, applied.decision().verdict());
    assertEquals("recovery-approve-1-0", applied.decision().chosen().id());
    MetaAgent.ApprovalGranted granted =
        events("meta|approve").stream()
            .filter(MetaAgent.ApprovalGranted.class::isInstance)
            .map(MetaAgent.ApprovalGranted.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals("bob", granted.approver());
    assertEquals("decision-approve-1", granted.decisionId());
  }

  @Test
  void aRejectionIsJournaledWithApproverAndReason() throws Exception {
    String p = "reject";
    send("PUT", "/pipelines/reject/mode", ALICE, "{\"mode\": \"approval\"}", 200);
    SCRIPT.put(
        p,
        Map.of(
            1L, proposal(p, AgentKind.RECOVERY, PriorityClass.RECOVERY, new Action.Failover(), 1)));
    assertEquals(Decision.Verdict.AWAITING_APPROVAL, tick(p, 1).decision().verdict());
    send(
        "POST",
        "/pipelines/reject/approvals/decision-reject-1",
        ALICE,
        "{\"decision\": \"reject\", \"reason\": \"peak hour\"}",
        200);
    assertEquals(0, pipeline(p).path("pendingApprovals").size());
    MetaAgent.ApprovalDenied denied =
        events("meta|reject").stream()
            .filter(MetaAgent.ApprovalDenied.class::isInstance)
            .map(MetaAgent.ApprovalDenied.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals("alice", denied.approver());
    assertEquals("peak hour", denied.reason());
    assertTrue(denied.summary().contains("denied by alice"), denied.summary());
  }

  @Test
  void aRollbackRestoresTheKnownGoodConfigurationAndNamesTheCaller() throws Exception {
    String p = "rollback";
    // Nothing to roll back to yet: the actuator refuses, the API says why.
    JsonNode refused = send("POST", "/pipelines/rollback/rollback", ALICE, "{\"levels\": 1}", 409);
    assertTrue(refused.path("error").asText().contains("cannot roll back"), refused.toString());
    Action rescale = new Action.Rescale(Map.of("enrich", 24));
    SCRIPT.put(
        p, Map.of(1L, proposal(p, AgentKind.PREDICTION, PriorityClass.SLA_PROTECTION, rescale, 1)));
    MetaAgent.TickClosed applied = tick(p, 1);
    assertEquals(Decision.Verdict.APPLY, applied.decision().verdict());
    assertEquals(rescale.targetConfig(BASE), RUNNING.get(p));
    JsonNode ok =
        send(
            "POST",
            "/pipelines/rollback/rollback",
            ALICE,
            "{\"levels\": 1, \"reason\": \"latency regression\"}",
            200);
    assertEquals(BASE.summary(), ok.path("restored").asText());
    assertEquals(BASE, RUNNING.get(p));
    Actuator.RolledBack rolledBack =
        events(Actuator.persistenceId(p).id()).stream()
            .filter(Actuator.RolledBack.class::isInstance)
            .map(Actuator.RolledBack.class::cast)
            .findFirst()
            .orElseThrow();
    assertEquals(BASE, rolledBack.to());
    assertTrue(
        rolledBack.explanation().trigger().contains("requested by alice: latency regression"),
        rolledBack.explanation().trigger());
    // The audit timeline's line of the rollback names the caller.
    assertTrue(rolledBack.summary().contains("(requested by alice)"), rolledBack.summary());
  }
}
