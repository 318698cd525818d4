package dev.autopilot.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.api.testing.Snapshots;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The protocol records survive a Jackson round trip, as they must on the wire and in the journal. */
class ProtocolJsonTest {
  private final ObjectMapper mapper = new ObjectMapper();

  static Stream<Action> actions() {
    PipelineConfig c = Snapshots.defaultConfig();
    return Stream.of(
        new Action.Rescale(Map.of("enrich", 24)),
        new Action.ScaleTaskManagers(12),
        new Action.SetResources(6, 12),
        new Action.SetNetworkBuffers(48),
        new Action.SetCheckpointInterval(45),
        new Action.Reconfigure(c, "rollback"),
        new Action.RestartTask("parse"),
        new Action.ExpandBuffers(32, 48),
        new Action.Reconnect("enrich-db"),
        new Action.RedeployOperator("enrich", 20),
        new Action.RestoreCheckpoint(1),
        new Action.Redistribute("node-3"),
        new Action.FullRestart(c),
        new Action.DrainNode("node-3"),
        new Action.Failover());
  }

  @ParameterizedTest
  @MethodSource("actions")
  void everyActionRoundTrips(Action action) throws Exception {
    String json = mapper.writeValueAsString(action);
    assertEquals(action, mapper.readValue(json, Action.class), json);
  }

  @Test
  void everyActionKindIsCovered() {
    assertEquals(
        Action.class.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value().length,
        actions().count());
  }

  @Test
  void metricsWrittenBeforeTheAbsentListReadAsFullyObserved() throws Exception {
    OperatorMetrics op =
        mapper.readValue(
            "{\"operatorId\":\"source\",\"parallelism\":2,\"recordsInPerSecond\":5.0,"
                + "\"recordsOutPerSecond\":5.0,\"busyTimeMsPerSecond\":1.0,"
                + "\"backPressuredTimeMsPerSecond\":0.0,\"idleTimeMsPerSecond\":999.0,"
                + "\"pendingRecords\":0.0,\"stateSizeBytes\":0.0}",
            OperatorMetrics.class);
    assertEquals(new OperatorMetrics("source", 2, 5, 5, 1, 0, 999, 0, 0), op);
    JobMetrics job =
        mapper.readValue(
            "{\"state\":\"RUNNING\",\"throughputPerSecond\":5.0,\"latencyP99Ms\":3.0,"
                + "\"consumerLag\":0.0,\"restartsTotal\":0,\"runningTaskManagers\":1}",
            JobMetrics.class);
    assertEquals(new JobMetrics(JobMetrics.JobState.RUNNING, 5, 3, 0, 0, 1), job);
  }

  @Test
  void snapshotRoundTrips() throws Exception {
    TelemetrySnapshot s = Snapshots.healthy("p1", 42);
    assertEquals(s, mapper.readValue(mapper.writeValueAsString(s), TelemetrySnapshot.class));
  }

  @Test
  void decisionRoundTrips() throws Exception {
    Proposal p =
        new Proposal(
            "recovery-p1-7-0", "p1", AgentKind.RECOVERY, PriorityClass.RECOVERY,
            new Action.RestartTask("parse"), 0.8, new ExpectedEffect(0.2, -0.1, 800_000, 150, 3),
            List.of("tasks failed"), "TASK_CRASH", 7, 10);
    Decision d =
        new Decision(
            "decision-p1-7", "p1", 7, Decision.Verdict.APPLY, p, "recovery first",
            List.of(new Decision.Rejection("optimization-p1-7-0", AgentKind.OPTIMIZATION, "rescale", Decision.RejectionCode.LOWER_PRIORITY, "recovery first")));
    assertEquals(d, mapper.readValue(mapper.writeValueAsString(d), Decision.class));
  }

  @Test
  void actionTargetConfig() {
    PipelineConfig c = Snapshots.defaultConfig();
    assertEquals(48, new Action.ExpandBuffers(32, 48).targetConfig(c).networkBufferMb());
    assertEquals(c, new Action.RestartTask("parse").targetConfig(c));
    assertEquals(24, new Action.Rescale(Map.of("enrich", 24)).targetConfig(c).parallelismOf("enrich"));
  }

  @Test
  void slaUsesMinOfTargetAndOffered() {
    SlaSpec sla = new SlaSpec(800_000, 500, 0.05);
    // Offered 300k (night): processing 290k is fine, 250k is a violation.
    assertEquals(false, sla.throughputViolated(290_000, 300_000));
    assertEquals(true, sla.throughputViolated(250_000, 300_000));
    // Offered 2M (peak): the pipeline owes the 800k target.
    assertEquals(false, sla.throughputViolated(790_000, 2_000_000));
    assertEquals(true, sla.latencyViolated(501));
  }

  @Test
  void proposalsWrittenBeforeShadowProposalsReadAsNone() throws Exception {
    Proposal p =
        new Proposal(
            "optimization-p1-7-1",
            "p1",
            AgentKind.OPTIMIZATION,
            PriorityClass.OPTIMIZATION,
            new Action.Rescale(Map.of("enrich", 24)),
            0.8,
            new ExpectedEffect(0.05, -0.05, 800_000, 150, 1),
            List.of("learned policy v2"),
            "learned policy v2",
            7,
            13);
    AgentProtocol.Proposals withShadow =
        new AgentProtocol.Proposals("p1", 7, AgentKind.OPTIMIZATION, List.of(), null, List.of(p));
    assertEquals(
        withShadow,
        mapper.readValue(mapper.writeValueAsString(withShadow), AgentProtocol.Proposals.class));

    // The JSON of a Proposals from before the field existed: no "shadowProposals" at all.
    com.fasterxml.jackson.databind.node.ObjectNode old =
        mapper.valueToTree(
            new AgentProtocol.Proposals("p1", 7, AgentKind.OPTIMIZATION, List.of(p)));
    old.remove("shadowProposals");
    AgentProtocol.Proposals read = mapper.treeToValue(old, AgentProtocol.Proposals.class);
    assertEquals(List.of(), read.shadowProposals());
    assertEquals(List.of(p), read.proposals());
  }
}
