package dev.autopilot.runtime.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.runtime.TestPorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AutopilotMetricsTest {

  private enum ReportKind {
    APPLIED,
    ROLLED_BACK
  }

  @Test
  void exposesEveryMetricOverHttp() throws Exception {
    try (AutopilotMetrics metrics = AutopilotMetrics.create(ConfigFactory.load())) {
      int port = metrics.serve(TestPorts.free());
      metrics.recordTick();
      metrics.recordTick();
      metrics.recordRejected(SnapshotValidator.Reason.NAN_METRIC);
      metrics.recordProposal(AgentKind.RECOVERY, Decision.Verdict.APPLY);
      metrics.recordProposal(AgentKind.OPTIMIZATION, Decision.RejectionCode.COOLDOWN);
      metrics.recordActuation(ReportKind.ROLLED_BACK);
      metrics.recordActuationFailure("TIMEOUT");
      metrics.recordActuationFailure("INVALID");
      metrics.recordActuationFailure("NullPointerException");
      metrics.recordRollback();
      metrics.observeDecisionLatency(Duration.ofMillis(30));
      metrics.recordJournalRecoveryFailure("actuator");

      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      String body = response.body();
      String version = AutopilotMetrics.buildVersion();
      assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
      for (String line :
          new String[] {
            "autopilot_ticks_total 2.0",
            "autopilot_snapshots_rejected_total{reason=\"nan_metric\"} 1.0",
            "autopilot_snapshots_rejected_total{reason=\"unknown_pipeline\"} 0.0",
            "autopilot_proposals_total{agent=\"recovery\",verdict=\"apply\"} 1.0",
            "autopilot_proposals_total{agent=\"optimization\",verdict=\"cooldown\"} 1.0",
            "autopilot_actuations_total{kind=\"rolled_back\"} 1.0",
            "autopilot_actuation_failures_total{kind=\"timeout\"} 1.0",
            "autopilot_actuation_failures_total{kind=\"invalid\"} 1.0",
            "autopilot_actuation_failures_total{kind=\"error\"} 1.0",
            "autopilot_actuation_failures_total{kind=\"forbidden\"} 0.0",
            "autopilot_rollbacks_total 1.0",
            "autopilot_decision_latency_seconds_bucket{le=\"0.025\"} 0",
            "autopilot_decision_latency_seconds_bucket{le=\"0.05\"} 1",
            "autopilot_decision_latency_seconds_count 1",
            "autopilot_journal_recovery_failures_total{entity_type=\"actuator\"} 1.0",
            "autopilot_journal_recovery_failures_total{entity_type=\"meta\"} 0.0",
            "autopilot_build_info{version=\"" + version + "\"} 1"
          }) {
        assertTrue(body.contains(line), () -> "missing '" + line + "' in\n" + body);
      }
      assertEquals(2, metrics.tickCount());
    }
  }

  @Test
  void journalRecoveryFailuresAreCountedByEntityTypeWithABoundedLabel() {
    try (AutopilotMetrics metrics = new AutopilotMetrics("test", new double[] {1})) {
      metrics.recordJournalRecoveryFailure("prediction");
      metrics.recordJournalRecoveryFailure("prediction");
      metrics.recordJournalRecoveryFailure("a-test-entity");
      assertEquals(2, metrics.journalRecoveryFailureCount("prediction"));
      assertEquals(0, metrics.journalRecoveryFailureCount("meta"));
      assertEquals(1, metrics.journalRecoveryFailureCount("other"));
    }
  }

  @Test
  void portZeroDisablesTheExporter() {
    try (AutopilotMetrics metrics = new AutopilotMetrics("test", new double[] {1})) {
      assertEquals(0, metrics.serve(0));
    }
  }
}
