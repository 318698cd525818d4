package dev.autopilot.runtime.rca;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.recovery.rca.NodeSeries;
import dev.autopilot.agents.recovery.rca.ServiceGraph;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the PetShop root-cause dataset layout: {@code graph.csv} (adjacency matrix, row calls
 * column), {@code metrics.csv} (three header rows service / metric / statistic, a fourth row {@code
 * unix_timestamp}, then one row per sample; empty cells are missing) and {@code target.json}.
 * Malformed input fails with an {@link IllegalArgumentException} naming the file and line.
 */
public final class PetShopReader {

  /** One metrics column. */
  public record Column(String service, String metric, String statistic) {}

  /**
   * A parsed metrics file.
   *
   * @param timestamps unix seconds per row
   * @param columns column descriptions
   * @param values {@code values[row][column]}, NaN when missing
   */
  public record MetricsTable(double[] timestamps, List<Column> columns, double[][] values) {}

  /**
   * The labels of one issue.
   *
   * @param alarmNode service where the problem was seen
   * @param alarmMetric metric that showed it (latency, availability)
   * @param alarmTime unix seconds at which it was seen
   * @param rootCause the service where the fault was injected (ground truth, scoring only)
   */
  public record Target(String alarmNode, String alarmMetric, double alarmTime, String rootCause) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private PetShopReader() {}

  /** Reads a call graph; nodes are the header's and the rows' names, in order of appearance. */
  public static ServiceGraph readGraph(Path file) throws IOException {
    List<String> lines = readLines(file);
    if (lines.isEmpty()) {
      throw bad(file, 1, "empty graph file");
    }
    List<String> header = splitCsv(lines.get(0));
    if (header.size() < 2) {
      throw bad(file, 1, "the header needs a corner cell and at least one node name");
    }
    List<String> cols = header.subList(1, header.size());
    Set<String> nodes = new LinkedHashSet<>(cols);
    if (nodes.size() != cols.size()) {
      throw bad(file, 1, "duplicate node names in the header");
    }
    Map<String, Set<String>> edges = new LinkedHashMap<>();
    Set<String> rowNames = new HashSet<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> cells = splitCsv(lines.get(i));
      String from = cells.get(0);
      if (from.isEmpty()) {
        throw bad(file, i + 1, "empty row name");
      }
      if (!rowNames.add(from)) {
        throw bad(file, i + 1, "duplicate row " + from);
      }
      if (cells.size() - 1 > cols.size()) {
        throw bad(
            file, i + 1, "row has " + (cells.size() - 1) + " values, header has " + cols.size());
      }
      nodes.add(from);
      for (int j = 1; j < cells.size(); j++) {
        double w = parse(file, i + 1, j + 1, cells.get(j));
        if (!Double.isNaN(w) && w != 0) {
          edges.computeIfAbsent(from, k -> new LinkedHashSet<>()).add(cols.get(j - 1));
        }
      }
    }
    return ServiceGraph.of(new ArrayList<>(nodes), edges);
  }

  /** Reads a metrics file. */
  public static MetricsTable readMetrics(Path file) throws IOException {
    List<String> lines = readLines(file);
    if (lines.size() < 4) {
      throw bad(file, lines.size(), "expected 3 header rows and an 'unix_timestamp' row");
    }
    List<String> svc = splitCsv(lines.get(0));
    List<String> met = splitCsv(lines.get(1));
    List<String> stat = splitCsv(lines.get(2));
    if (met.size() != svc.size() || stat.size() != svc.size()) {
      throw bad(
          file,
          met.size() != svc.size() ? 2 : 3,
          "header rows differ in length ("
              + svc.size()
              + ", "
              + met.size()
              + ", "
              + stat.size()
              + ")");
    }
    if (!"unix_timestamp".equals(splitCsv(lines.get(3)).get(0).trim())) {
      throw bad(file, 4, "expected 'unix_timestamp' in the first cell");
    }
    List<Column> columns = new ArrayList<>();
    Set<Column> seen = new HashSet<>();
    for (int j = 1; j < svc.size(); j++) {
      Column c = new Column(svc.get(j), met.get(j), stat.get(j));
      if (c.service().isEmpty()) {
        throw bad(file, 1, "empty service name in column " + (j + 1));
      }
      if (!seen.add(c)) {
        throw bad(file, 1, "duplicate column " + c);
      }
      columns.add(c);
    }
    List<double[]> rows = new ArrayList<>();
    List<Double> ts = new ArrayList<>();
    for (int i = 4; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      List<String> cells = splitCsv(lines.get(i));
      if (cells.size() > svc.size()) {
        throw bad(file, i + 1, "row has " + cells.size() + " cells, header has " + svc.size());
      }
      double t = parse(file, i + 1, 1, cells.get(0));
      if (Double.isNaN(t)) {
        throw bad(file, i + 1, "missing timestamp");
      }
      if (!ts.isEmpty() && !(t > ts.get(ts.size() - 1))) {
        throw bad(file, i + 1, "timestamp " + t + " does not increase");
      }
      double[] row = new double[columns.size()];
      for (int j = 0; j < row.length; j++) {
        row[j] = j + 1 < cells.size() ? parse(file, i + 1, j + 2, cells.get(j + 1)) : Double.NaN;
      }
      ts.add(t);
      rows.add(row);
    }
    if (rows.isEmpty()) {
      throw bad(file, lines.size(), "no data rows");
    }
    return new MetricsTable(
        ts.stream().mapToDouble(Double::doubleValue).toArray(),
        List.copyOf(columns),
        rows.toArray(new double[0][]));
  }

  /**
   * Per-service series of a metrics table: latency statistics, requests ({@code Sum}) and
   * availability ({@code Average}); other columns are ignored.
   */
  public static Map<String, NodeSeries> toSeries(MetricsTable t) {
    Map<String, Map<String, double[]>> lat = new LinkedHashMap<>();
    Map<String, double[]> req = new LinkedHashMap<>();
    Map<String, double[]> ava = new LinkedHashMap<>();
    for (int j = 0; j < t.columns().size(); j++) {
      Column c = t.columns().get(j);
      double[] v = new double[t.timestamps().length];
      for (int i = 0; i < v.length; i++) {
        v[i] = t.values()[i][j];
      }
      lat.computeIfAbsent(c.service(), k -> new LinkedHashMap<>());
      switch (c.metric()) {
        case "latency" -> lat.get(c.service()).put(c.statistic(), v);
        case "requests" -> req.put(c.service(), v);
        case "availability" -> ava.put(c.service(), v);
        default -> {}
      }
    }
    Map<String, NodeSeries> out = new LinkedHashMap<>();
    lat.forEach((s, l) -> out.put(s, new NodeSeries(l, req.get(s), ava.get(s))));
    return out;
  }

  /** Reads an issue's {@code target.json}. */
  public static Target readTarget(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          file
              + ": not valid JSON (line "
              + e.getLocation().getLineNr()
              + "): "
              + e.getOriginalMessage(),
          e);
    }
    JsonNode target = root.path("target");
    JsonNode rc = root.path("root_cause").path("node");
    return new Target(
        target.path("node").asText(""),
        target.path("metric").asText(""),
        target.path("timestamp").isNumber() ? target.path("timestamp").asDouble() : Double.NaN,
        rc.isTextual() ? rc.asText() : null);
  }

  private static List<String> readLines(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return r.lines().toList();
    }
  }

  private static double parse(Path file, int line, int column, String cell) {
    String s = cell.trim();
    if (s.isEmpty()) {
      return Double.NaN;
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw bad(file, line, "column " + column + ": not a number '" + s + "'");
    }
  }

  private static IllegalArgumentException bad(Path file, int line, String message) {
    return new IllegalArgumentException(file + " line " + line + ": " + message);
  }

  /** Splits one CSV line (RFC 4180 quotes; no embedded line breaks). */
  static List<String> splitCsv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"') {
          if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
