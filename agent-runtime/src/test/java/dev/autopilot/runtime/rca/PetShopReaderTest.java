package dev.autopilot.runtime.rca;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.rca.NodeSeries;
import dev.autopilot.agents.recovery.rca.ServiceGraph;
import dev.autopilot.runtime.Main;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PetShop layout reader on small synthetic files, and the rca command end to end on them. */
class PetShopReaderTest {

  @TempDir Path dir;

  private static final String GRAPH =
      ",front,mid,leaf\n" + "front,0.0,1.0,0.0\n" + "mid,0.0,0.0,1.0\n" + "leaf,0.0,0.0,0.0\n";

  private static String metrics(double leafExtra) {
    StringBuilder b = new StringBuilder();
    b.append("microservice,front,mid,leaf,front,mid,leaf,front,mid,leaf\n");
    b.append(
        "metric,latency,latency,latency,requests,requests,requests,availability,availability,availability\n");
    b.append("statistic,Average,Average,Average,Sum,Sum,Sum,Average,Average,Average\n");
    b.append("unix_timestamp,,,,,,,,,\n");
    double[] base = {0.10, 0.05, 0.01};
    for (int i = 0; i < 5; i++) {
      double extra = i >= 2 ? leafExtra : 0;
      b.append(1000 + 300 * i)
          .append(',')
          .append(base[0] + extra / 2)
          .append(',')
          .append(base[1] + extra)
          .append(',')
          .append(base[2] + extra)
          .append(",700,400,800,100,100,")
          .append(i == 4 ? "" : "100")
          .append('\n');
    }
    return b.toString();
  }

  private static final String TARGET =
      "{\"target\": {\"node\": \"front\", \"metric\": \"latency\", \"agg\": \"Average\","
          + " \"timestamp\": 1600}, \"root_cause\": {\"node\": \"leaf\", \"metric\": null}}";

  private Path write(String rel, String text) throws IOException {
    Path p = dir.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
    return p;
  }

  @Test
  void readsTheGraph() throws IOException {
    ServiceGraph g = PetShopReader.readGraph(write("s/graph.csv", GRAPH));
    assertEquals(List.of("front", "mid", "leaf"), g.nodes());
    assertEquals(Set.of("mid"), g.callees("front"));
    assertEquals(Set.of("mid"), g.callers("leaf"));
  }

  @Test
  void readsMetricsWithMissingCells() throws IOException {
    PetShopReader.MetricsTable t = PetShopReader.readMetrics(write("s/m.csv", metrics(0.2)));
    assertEquals(5, t.timestamps().length);
    assertEquals(9, t.columns().size());
    assertEquals(new PetShopReader.Column("leaf", "availability", "Average"), t.columns().get(8));
    assertTrue(Double.isNaN(t.values()[4][8]));
    Map<String, NodeSeries> s = PetShopReader.toSeries(t);
    assertEquals(0.21, s.get("leaf").latency().get("Average")[2], 1e-9);
    assertEquals(800, s.get("leaf").requests()[0]);
  }

  @Test
  void readsTheTarget() throws IOException {
    PetShopReader.Target t = PetShopReader.readTarget(write("s/t.json", TARGET));
    assertEquals("front", t.alarmNode());
    assertEquals("latency", t.alarmMetric());
    assertEquals(1600, t.alarmTime());
    assertEquals("leaf", t.rootCause());
    PetShopReader.Target none =
        PetShopReader.readTarget(write("s/u.json", "{\"target\": {\"metric\": \"latency\"}}"));
    assertNull(none.rootCause());
    assertTrue(Double.isNaN(none.alarmTime()));
  }

  @Test
  void malformedFilesNameTheFileAndLine() throws IOException {
    Path bad = write("s/bad.csv", metrics(0.2).replace("700,400", "700,abc"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> PetShopReader.readMetrics(bad));
    assertTrue(
        e.getMessage().contains("bad.csv line 5: column 6: not a number 'abc'"), e.getMessage());

    Path noTs = write("s/nots.csv", metrics(0.2).replace("unix_timestamp", "time"));
    e = assertThrows(IllegalArgumentException.class, () -> PetShopReader.readMetrics(noTs));
    assertTrue(e.getMessage().contains("nots.csv line 4"), e.getMessage());

    Path shortHeader =
        write("s/short.csv", metrics(0.2).replace("statistic,Average,", "statistic,"));
    e = assertThrows(IllegalArgumentException.class, () -> PetShopReader.readMetrics(shortHeader));
    assertTrue(e.getMessage().contains("short.csv line 3"), e.getMessage());

    Path g = write("s/g.csv", GRAPH.replace("mid,0.0,0.0,1.0", "mid,0.0,x,1.0"));
    e = assertThrows(IllegalArgumentException.class, () -> PetShopReader.readGraph(g));
    assertTrue(e.getMessage().contains("g.csv line 3: column 3"), e.getMessage());

    Path j = write("s/bad.json", "{\"target\": ");
    e = assertThrows(IllegalArgumentException.class, () -> PetShopReader.readTarget(j));
    assertTrue(e.getMessage().contains("bad.json: not valid JSON"), e.getMessage());
  }

  @Test
  void splitsQuotedCsvCells() {
    assertEquals(List.of("a", "b,c", "d\"e", ""), PetShopReader.splitCsv("a,\"b,c\",\"d\"\"e\","));
  }

  @Test
  void theRcaCommandRanksTheFaultyLeafFirstWithoutABaseline() throws Exception {
    write("scen/graph.csv", GRAPH);
    write("scen/test/issue_0/metrics.csv", metrics(0.3));
    write("scen/test/issue_0/target.json", TARGET);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                RuntimeConfig.load("local", ConfigFactory.empty()),
                null,
                new PrintWriter(out),
                new PrintWriter(err),
                false)
            .execute("rca", "--petshop", dir.toString(), "--json");
    assertEquals(0, code, err.toString());
    JsonNode r = new ObjectMapper().readTree(out.toString());
    assertEquals(1, r.get("issues").asInt());
    assertEquals(1.0, r.get("top1").asDouble());
    JsonNode issue = r.get("per_issue").get(0);
    assertEquals("scen", issue.get("scenario").asText());
    assertEquals("test/issue_0", issue.get("issue").asText());
    assertEquals("leaf", issue.get("candidates").get(0).get("node").asText());
  }

  @Test
  void theRcaCommandFailsClearlyOnAFolderWithoutScenarios() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.commandLine(
                RuntimeConfig.load("local", ConfigFactory.empty()),
                null,
                new PrintWriter(out),
                new PrintWriter(err),
                false)
            .execute("rca", "--petshop", dir.toString());
    assertEquals(1, code);
    assertTrue(err.toString().contains("no SCENARIO/graph.csv"), err.toString());
  }
}
