package dev.autopilot.runtime.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.autopilot.agents.recovery.nab.NabFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NAB's {@code combined_windows.json}: for each relative data path ({@code folder/name.csv}) a list
 * of {@code [start, end]} timestamp pairs.
 */
public final class NabLabels {

  /** A window's limits, inclusive. */
  public record Limits(LocalDateTime start, LocalDateTime end) {}

  private final Path source;
  private final Map<String, List<Limits>> windows;

  private NabLabels(Path source, Map<String, List<Limits>> windows) {
    this.source = source;
    this.windows = windows;
  }

  /** Reads a windows file; malformed content names the file and entry. */
  public static NabLabels read(Path file) throws IOException {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(file.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": expected a JSON object of path -> windows");
    }
    Map<String, List<Limits>> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      List<Limits> list = new ArrayList<>();
      if (!e.getValue().isArray()) {
        throw new IllegalArgumentException(
            file + ": " + e.getKey() + ": expected a list of windows");
      }
      for (JsonNode w : e.getValue()) {
        if (!w.isArray() || w.size() != 2) {
          throw new IllegalArgumentException(
              file + ": " + e.getKey() + ": window " + w + " is not [start, end]");
        }
        try {
          list.add(
              new Limits(
                  SeriesCsv.parseTimestamp(w.get(0).asText()),
                  SeriesCsv.parseTimestamp(w.get(1).asText())));
        } catch (DateTimeParseException ex) {
          throw new IllegalArgumentException(
              file + ": " + e.getKey() + ": bad timestamp in window " + w);
        }
      }
      out.put(normalize(e.getKey()), list);
    }
    return new NabLabels(file, out);
  }

  private static String normalize(String key) {
    return key.replace('\\', '/');
  }

  /** Whether the file has an entry. */
  public boolean has(String relativePath) {
    return windows.containsKey(normalize(relativePath));
  }

  /** Number of entries. */
  public int size() {
    return windows.size();
  }

  /**
   * The file's windows as row-index ranges: from the first row at or after the start to the last
   * row at or before the end.
   */
  public NabFile toNabFile(String relativePath, List<LocalDateTime> timestamps, double[] scores) {
    List<Limits> limits = windows.get(normalize(relativePath));
    if (limits == null) {
      throw new IllegalArgumentException(source + ": no windows for " + relativePath);
    }
    List<NabFile.Window> idx = new ArrayList<>();
    for (Limits l : limits) {
      // As NAB: the window opens at the row whose timestamp equals the start and closes at the
      // first row equal to the end (timestamps may repeat, e.g. at a clock change); without an
      // exact match, the first row at or after the start and the last at or before the end.
      int start = -1;
      for (int i = 0; i < timestamps.size() && start < 0; i++) {
        if (timestamps.get(i).equals(l.start())) {
          start = i;
        }
      }
      for (int i = 0; i < timestamps.size() && start < 0; i++) {
        if (!timestamps.get(i).isBefore(l.start())) {
          start = i;
        }
      }
      int end = -1;
      for (int i = Math.max(0, start); i < timestamps.size() && end < 0; i++) {
        if (timestamps.get(i).equals(l.end())) {
          end = i;
        }
      }
      if (end < 0) {
        for (int i = Math.max(0, start); i < timestamps.size(); i++) {
          if (!timestamps.get(i).isAfter(l.end())) {
            end = i;
          }
        }
      }
      if (start < 0 || end < start) {
        throw new IllegalArgumentException(
            source + ": window " + l + " of " + relativePath + " contains no row of the data");
      }
      idx.add(new NabFile.Window(start, end));
    }
    return new NabFile(relativePath, scores, idx);
  }
}
