package dev.autopilot.runtime.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.api.AgentKind;
import dev.autopilot.api.Decision;
import dev.autopilot.api.SnapshotValidator;
import dev.autopilot.runtime.metrics.AutopilotMetrics;
import dev.autopilot.runtime.telemetry.TelemetryCollector;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shipped with the manifests ({@code /grafana/autopilot-dashboard.json}, k8s
 * module) queries the metrics the runtime really exports: every {@code autopilot_} series and label
 * it names is one {@link AutopilotMetrics} exposes, and every metric the runtime registers has a
 * panel.
 */
class GrafanaDashboardTest {
  private static final Pattern METRIC = Pattern.compile("\\bautopilot_[A-Za-z0-9_:]*");
  private static final Pattern SELECTOR =
      Pattern.compile("\\b(autopilot_[A-Za-z0-9_:]*)\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*(=~|!~|!=|=)");
  private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
  private static final Pattern TEMPLATE_VAR = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

  /** Labels Prometheus attaches to every scraped series (and {@code le} of histogram buckets). */
  private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

  /** Exposed series name to its label names, as the exporter writes them. */
  private static final Map<String, Set<String>> EXPOSED = new HashMap<>();

  /** Family name to its exposed series names. */
  private static final Map<String, Set<String>> FAMILIES = new HashMap<>();

  private static JsonNode dashboard;
  private static final List<String> QUERIES = new ArrayList<>();

  @BeforeAll
  static void load() throws IOException {
    AutopilotMetrics metrics = new AutopilotMetrics("test", new double[] {0.01, 0.1, 1});
    // One event of each kind, so that every labelled series is exposed with its labels.
    metrics.recordTick();
    metrics.recordRejected(SnapshotValidator.Reason.values()[0]);
    metrics.recordProposal(AgentKind.PREDICTION, Decision.Verdict.APPLY);
    metrics.recordShadowProposal(AgentKind.OPTIMIZATION, null);
    metrics.recordActuation(Actuator.Report.Kind.ROLLED_BACK);
    metrics.recordActuationFailure("UNAVAILABLE");
    metrics.recordRollback();
    metrics.observeDecisionLatency(Duration.ofMillis(20));
    metrics.recordCollection();
    metrics.recordCollectionSkipped();
    metrics.recordCollectionFailure(TelemetryCollector.FailureKind.PLATFORM);
    metrics.recordJournalRecoveryFailure("prediction");

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, metrics.registry().scrape());
    String family = null;
    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
      if (line.startsWith("# TYPE ")) {
        family = line.split(" ")[2];
        FAMILIES.put(family, new TreeSet<>());
      } else if (!line.isBlank() && !line.startsWith("#")) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name = line.substring(0, brace >= 0 && brace < space ? brace : space);
        Set<String> labels = EXPOSED.computeIfAbsent(name, n -> new HashSet<>());
        if (brace >= 0 && brace < space) {
          Matcher m = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"").matcher(line);
          while (m.find()) {
            labels.add(m.group(1));
          }
        }
        assertNotNull(family, line);
        FAMILIES.get(family).add(name);
      }
    }
    metrics.close();

    try (InputStream in =
        GrafanaDashboardTest.class.getResourceAsStream("/grafana/autopilot-dashboard.json")) {
      assertNotNull(in, "/grafana/autopilot-dashboard.json is not on the classpath");
      dashboard = new ObjectMapper().readTree(in);
    }
    collectQueries(dashboard.path("panels"));
    for (JsonNode var : dashboard.path("templating").path("list")) {
      if ("query".equals(var.path("type").asText())) {
        QUERIES.add(var.path("definition").asText());
        QUERIES.add(var.path("query").path("query").asText());
      }
    }
  }

  private static void collectQueries(JsonNode panels) {
    for (JsonNode panel : panels) {
      for (JsonNode target : panel.path("targets")) {
        QUERIES.add(target.path("expr").asText());
      }
      collectQueries(panel.path("panels"));
    }
  }

  @Test
  void theExporterWasReadAndTheDashboardHasQueries() {
    // Sanity of the fixture itself: families with their series, and queries to check.
    assertTrue(FAMILIES.size() >= 10, FAMILIES.keySet().toString());
    assertTrue(EXPOSED.containsKey("autopilot_ticks_total"), EXPOSED.keySet().toString());
    assertTrue(EXPOSED.containsKey("autopilot_decision_latency_seconds_bucket"));
    assertTrue(QUERIES.size() >= 10);
    assertFalse(QUERIES.stream().anyMatch(String::isBlank), "a panel target without expr");
  }

  @Test
  void everySeriesTheDashboardQueriesIsExported() {
    Set<String> unknown = new TreeSet<>();
    for (String q : QUERIES) {
      Matcher m = METRIC.matcher(q);
      while (m.find()) {
        if (!EXPOSED.containsKey(m.group())) {
          unknown.add(m.group());
        }
      }
    }
    assertEquals(Set.of(), unknown, "series the runtime does not export; it exports " + EXPOSED);
  }

  @Test
  void everyLabelTheDashboardUsesIsOneTheSeriesCarries() {
    for (String q : QUERIES) {
      Set<String> labelsOfQuery = new HashSet<>(TARGET_LABELS);
      Matcher metric = METRIC.matcher(q);
      while (metric.find()) {
        labelsOfQuery.addAll(EXPOSED.getOrDefault(metric.group(), Set.of()));
      }
      Matcher selector = SELECTOR.matcher(q);
      while (selector.find()) {
        Set<String> allowed = new HashSet<>(TARGET_LABELS);
        allowed.addAll(EXPOSED.getOrDefault(selector.group(1), Set.of()));
        Matcher label = MATCHER.matcher(selector.group(2));
        while (label.find()) {
          assertTrue(
              allowed.contains(label.group(1)),
              selector.group(1) + " has no label " + label.group(1) + " (query " + q + ")");
        }
      }
      Matcher grouping = GROUPING.matcher(q);
      while (grouping.find()) {
        for (String label : grouping.group(1).split(",")) {
          assertTrue(
              labelsOfQuery.contains(label.trim()),
              "grouping by " + label.trim() + " which no series of " + q + " carries");
        }
      }
    }
  }

  @Test
  void everyRegisteredMetricHasAPanel() {
    Set<String> queried = new HashSet<>();
    for (String q : QUERIES) {
      Matcher m = METRIC.matcher(q);
      while (m.find()) {
        queried.add(m.group());
      }
    }
    for (Map.Entry<String, Set<String>> f : FAMILIES.entrySet()) {
      assertTrue(
          f.getValue().stream().anyMatch(queried::contains),
          "no panel queries " + f.getKey() + " (series " + f.getValue() + ")");
    }
  }

  @Test
  void templateVariablesUsedByQueriesAreDefined() {
    Set<String> defined = new HashSet<>();
    for (JsonNode var : dashboard.path("templating").path("list")) {
      defined.add(var.path("name").asText());
    }
    for (String q : QUERIES) {
      Matcher m = TEMPLATE_VAR.matcher(q);
      while (m.find()) {
        assertTrue(defined.contains(m.group(1)), "$" + m.group(1) + " undefined in " + q);
      }
    }
  }
}
