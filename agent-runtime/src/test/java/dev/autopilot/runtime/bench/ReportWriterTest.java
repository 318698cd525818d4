package dev.autopilot.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

class ReportWriterTest {

  private static final Pattern EXTERNAL =
      Pattern.compile(
          "(src|href|xlink:href)\\s*=\\s*[\"']?\\s*(https?:)?//", Pattern.CASE_INSENSITIVE);

  private static List<ControllerRun> runs(Scenario scenario) throws Exception {
    FakeScenarioRunner runner = new FakeScenarioRunner(100);
    List<ControllerRun> runs = new ArrayList<>();
    for (ControllerKind k : scenario.controllers()) {
      runs.add(runner.run(scenario, k, ProgressListener.none()));
    }
    return runs;
  }

  private static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    f.setExpandEntityReferences(false);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void writesWellFormedSelfContainedHtmlWithOneSvgPerChart(@TempDir Path dir) throws Exception {
    Scenario scenario = FakeScenarioRunner.scenario(0.5, 11, 2, 20);
    List<ControllerRun> runs = runs(scenario);
    List<Score> scores = runs.stream().map(Scorer::score).toList();
    Path file = new ReportWriter(2000).write(dir, scenario, runs, scores);

    assertEquals(dir.resolve("report.html"), file);
    String html = Files.readString(file);
    Document doc = parse(html);
    NodeList svgs = doc.getElementsByTagName("svg");
    // 3 charts per controller and pipeline
    assertEquals(3 * 3 * 2, svgs.getLength());
    assertEquals(18, doc.getElementsByTagName("figure").getLength());
    assertFalse(EXTERNAL.matcher(html).find(), "no external src/href");
    assertFalse(html.contains("http://") || html.contains("https://"));
    assertFalse(html.toLowerCase().contains("<script"));
    assertFalse(html.toLowerCase().contains("<link"));
    assertFalse(html.contains("@import") || html.contains("url("));
    // the results table, the scenario parameters and the markers are in
    for (Score.Field f : Score.FIELDS) {
      assertTrue(html.contains(ReportWriter.esc(f.label())), f.label());
    }
    assertTrue(html.contains("<th>seed</th><td>11</td>"));
    assertTrue(html.contains("injected at tick"));
    assertTrue(html.contains("detected at tick"));
    assertTrue(html.contains("resolved at tick"));
    assertTrue(html.contains("rollback, throughput"));
    assertTrue(html.contains("SLA p99 bound"));
  }

  @Test
  void aWeekLongRunIsDownsampledPerSeries() throws Exception {
    Scenario scenario =
        new Scenario(
            7,
            5,
            1,
            Scenario.GENERATED,
            24,
            8,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.AGENTS));
    List<ControllerRun> runs = runs(scenario);
    assertEquals(60_480, runs.get(0).ticks().size());
    String html =
        new ReportWriter(1000).html(scenario, runs, runs.stream().map(Scorer::score).toList());
    Document doc = parse(html);
    NodeList lines = doc.getElementsByTagName("polyline");
    assertEquals(6, lines.getLength());
    for (int i = 0; i < lines.getLength(); i++) {
      String points = lines.item(i).getAttributes().getNamedItem("points").getNodeValue();
      int n = points.split(" ").length;
      assertTrue(n <= 1000 && n >= 500, "points " + n);
    }
    assertTrue(html.length() < 2_000_000, "size " + html.length());
  }

  @Test
  void sameInputGivesTheSameReport() throws Exception {
    Scenario scenario = FakeScenarioRunner.scenario(0.2, 9, 1, 20);
    List<ControllerRun> a = runs(scenario);
    List<ControllerRun> b = runs(scenario);
    ReportWriter w = new ReportWriter(500);
    assertEquals(
        w.html(scenario, a, a.stream().map(Scorer::score).toList()),
        w.html(scenario, b, b.stream().map(Scorer::score).toList()));
  }

  @Test
  void escapesMarkupInNames() throws Exception {
    Scenario scenario =
        new Scenario(
            0.01,
            1,
            1,
            "<weird>&\"file\".csv",
            1,
            1,
            RunMode.AUTONOMOUS,
            10,
            List.of(ControllerKind.STATIC));
    List<ControllerRun> runs = runs(scenario);
    String html =
        new ReportWriter(100).html(scenario, runs, runs.stream().map(Scorer::score).toList());
    parse(html);
    assertTrue(html.contains("&lt;weird&gt;&amp;&quot;file&quot;.csv"));
  }
}
