package dev.autopilot.runtime.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.prediction.PredictionAgent;
import dev.autopilot.api.AuditEvent;
import dev.autopilot.api.Explanation;
import dev.autopilot.persistence.AuditRecord;
import dev.autopilot.persistence.AuditReplay;
import dev.autopilot.persistence.JournalSchema;
import dev.autopilot.runtime.RuntimeConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code autopilot audit [--pipeline P] [--json]}: replays the journal through the persistence
 * query API and prints the decision timeline, ordered by pipeline, tick, agent and sequence number.
 * A table by default; with {@code --json} one JSON object per line with {@code pipeline}, {@code
 * persistence_id}, {@code sequence_nr}, {@code tick}, {@code agent}, {@code type}, {@code summary}
 * and, for applied or rolled-back changes, {@code explanation} (trigger, evidence, cause, action,
 * impact, verification). Journaled events that are not {@link AuditEvent}s show only their type and
 * sequence number. Unreadable journal rows are reported on the error stream, naming the entity and
 * sequence number, and make the exit code 1; the rest of the timeline is still printed.
 *
 * <p>The prediction agent's model history: every pre-scale proposal names the version of the
 * violation model that scored its tick (in its summary, and as {@code model_version} in JSON), and
 * when the journal holds model events the table is followed by a per-pipeline model timeline
 * (promotions with their window metrics, rejected candidates, failed trainings, fallbacks) and the
 * number of proposals each version made.
 *
 * <p>It runs a local (non-cluster) actor system of its own over the configured journal.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = "Replays the journal and prints the decision timeline with its explanations.")
public final class AuditCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--pipeline", paramLabel = "P", description = "Only the entities of pipeline P.")
  String pipeline;

  @Option(names = "--json", description = "One JSON object per line instead of a table.")
  boolean json;

  private final Supplier<Config> config;
  private final PrintWriter out;
  private final PrintWriter err;

  /** Reads the configuration of the environment's profile ({@link RuntimeConfig#load()}). */
  public AuditCommand() {
    this(RuntimeConfig::load, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
  }

  /**
   * @param config the node configuration whose journal is replayed
   * @param out where the timeline goes
   * @param err where unreadable rows are reported
   */
  public AuditCommand(Config config, PrintWriter out, PrintWriter err) {
    this(() -> config, out, err);
  }

  private AuditCommand(Supplier<Config> config, PrintWriter out, PrintWriter err) {
    this.config = config;
    this.out = out;
    this.err = err;
  }

  /** Restricts the replay to one pipeline (null: all); same as {@code --pipeline}. */
  public AuditCommand pipeline(String pipelineId) {
    this.pipeline = pipelineId;
    return this;
  }

  /** JSON lines instead of a table; same as {@code --json}. */
  public AuditCommand json(boolean jsonLines) {
    this.json = jsonLines;
    return this;
  }

  @Override
  public Integer call() throws Exception {
    Config local =
        ConfigFactory.parseString("pekko.actor.provider = local").withFallback(config.get());
    Duration timeout = local.getDuration("autopilot.audit.timeout");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "autopilot-audit", local);
    try {
      JournalSchema.ensure(system);
      AuditReplay replay = AuditReplay.create(system);
      AuditReplay.Result result =
          (pipeline == null ? replay.replayAll() : replay.replayPipeline(pipeline))
              .toCompletableFuture()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      List<Entry> timeline = timeline(result.records());
      for (String line : json ? jsonLines(timeline) : table(timeline)) {
        out.println(line);
      }
      out.flush();
      for (AuditReplay.ReplayError e : result.errors()) {
        err.println("error: " + e.message());
      }
      err.flush();
      return result.errors().isEmpty() ? 0 : 1;
    } catch (JournalSchema.SchemaException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return 2;
    } catch (TimeoutException e) {
      err.println("error: the journal replay did not finish within " + timeout);
      err.flush();
      return 2;
    } catch (ExecutionException e) {
      err.println("error: the journal replay failed: " + e.getCause());
      err.flush();
      return 2;
    } finally {
      system.terminate();
      system
          .getWhenTerminated()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * One line of the timeline.
   *
   * @param pipeline the pipeline
   * @param persistenceId the entity
   * @param sequenceNr the event's sequence number
   * @param tick the event's tick, null for events that are not {@link AuditEvent}s
   * @param agent the persistence-id prefix
   * @param type the event class's simple name
   * @param summary the one-line summary, null for events that are not {@link AuditEvent}s
   * @param explanation the explanation of an applied or rolled-back change, else null
   * @param modelVersion for the prediction agent's proposals the violation model version that
   *     scored the tick, for its promotions and fallbacks the version now in use; else null
   */
  public record Entry(
      String pipeline,
      String persistenceId,
      long sequenceNr,
      Long tick,
      String agent,
      String type,
      String summary,
      Explanation explanation,
      Integer modelVersion) {

    /** Whether this entry changes or tries to change the prediction model. */
    public boolean isModelEvent() {
      return type.equals(PredictionAgent.ModelPromoted.class.getSimpleName())
          || type.equals(PredictionAgent.ModelRejected.class.getSimpleName())
          || type.equals(PredictionAgent.TrainingFailed.class.getSimpleName())
          || type.equals(PredictionAgent.ModelFallback.class.getSimpleName());
    }
  }

  /** The model version an event names, or null. */
  private static Integer modelVersion(Object event) {
    if (event instanceof PredictionAgent.PreScaleProposed p) {
      return p.modelVersion();
    }
    if (event instanceof PredictionAgent.ModelPromoted m) {
      return m.toVersion();
    }
    if (event instanceof PredictionAgent.ModelFallback f) {
      return f.toVersion();
    }
    if (event instanceof PredictionAgent.ModelRejected r) {
      return r.currentVersion();
    }
    return null;
  }

  /**
   * The timeline of replayed records, ordered by pipeline, tick, agent and sequence number. An
   * event without a tick (not an {@link AuditEvent}) sorts with the last tick of its entity before
   * it.
   */
  public static List<Entry> timeline(List<AuditRecord> records) {
    record Keyed(Entry entry, long sortTick) {}
    Map<String, Long> lastTick = new HashMap<>();
    List<Keyed> keyed = new ArrayList<>();
    for (AuditRecord r : records) {
      Object event = r.event();
      String type = event == null ? "null" : event.getClass().getSimpleName();
      Entry entry;
      if (event instanceof AuditEvent a) {
        String pipelineId = a.pipelineId() != null ? a.pipelineId() : r.pipeline();
        entry =
            new Entry(
                pipelineId,
                r.persistenceId(),
                r.sequenceNr(),
                a.tick(),
                r.agent(),
                type,
                a.summary(),
                a.explanationOrNull(),
                modelVersion(event));
        lastTick.put(r.persistenceId(), a.tick());
      } else {
        entry =
            new Entry(
                r.pipeline(),
                r.persistenceId(),
                r.sequenceNr(),
                null,
                r.agent(),
                type,
                null,
                null,
                null);
      }
      long sortTick =
          entry.tick() != null
              ? entry.tick()
              : lastTick.getOrDefault(r.persistenceId(), Long.MIN_VALUE);
      keyed.add(new Keyed(entry, sortTick));
    }
    keyed.sort(
        Comparator.comparing((Keyed k) -> k.entry().pipeline())
            .thenComparingLong(Keyed::sortTick)
            .thenComparing(k -> k.entry().agent())
            .thenComparing(k -> k.entry().persistenceId())
            .thenComparingLong(k -> k.entry().sequenceNr()));
    return keyed.stream().map(Keyed::entry).toList();
  }

  /** The timeline as a table, explanations indented under their change. */
  public static List<String> table(List<Entry> timeline) {
    String[] header = {"PIPELINE", "TICK", "AGENT", "SEQ", "TYPE", "SUMMARY"};
    List<String[]> rows = new ArrayList<>();
    for (Entry e : timeline) {
      rows.add(
          new String[] {
            e.pipeline(),
            e.tick() == null ? "-" : Long.toString(e.tick()),
            e.agent(),
            Long.toString(e.sequenceNr()),
            e.type(),
            e.summary() == null ? "" : e.summary()
          });
    }
    int[] width = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      width[i] = header[i].length();
      for (String[] row : rows) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(format(header, width));
    for (int i = 0; i < rows.size(); i++) {
      lines.add(format(rows.get(i), width));
      Explanation x = timeline.get(i).explanation();
      if (x != null) {
        String indent = "    ";
        lines.add(indent + "trigger:      " + x.trigger());
        lines.add(indent + "evidence:     " + String.join("; ", x.evidence()));
        lines.add(indent + "cause:        " + x.cause());
        lines.add(indent + "action:       " + x.action());
        lines.add(indent + "impact:       " + x.impact());
        lines.add(indent + "verification: " + x.verification());
      }
    }
    lines.addAll(modelTimeline(timeline));
    return lines;
  }

  /**
   * The prediction model timeline: per pipeline, its model events in order and the proposals each
   * version made. Empty when the journal holds no model event and no proposal scored by a model.
   */
  public static List<String> modelTimeline(List<Entry> timeline) {
    Map<String, List<Entry>> events = new LinkedHashMap<>();
    Map<String, Map<String, Long>> proposalsByVersion = new LinkedHashMap<>();
    for (Entry e : timeline) {
      if (e.isModelEvent()) {
        events.computeIfAbsent(e.pipeline(), k -> new ArrayList<>()).add(e);
      } else if (e.type().equals(PredictionAgent.PreScaleProposed.class.getSimpleName())) {
        String version = e.modelVersion() == null ? "no model" : "v" + e.modelVersion();
        proposalsByVersion
            .computeIfAbsent(e.pipeline(), k -> new TreeMap<>())
            .merge(version, 1L, Long::sum);
      }
    }
    boolean anyModel =
        !events.isEmpty()
            || proposalsByVersion.values().stream()
                .anyMatch(m -> m.keySet().stream().anyMatch(v -> !v.equals("no model")));
    if (!anyModel) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("PREDICTION MODEL TIMELINE");
    TreeSet<String> pipelines = new TreeSet<>(events.keySet());
    pipelines.addAll(proposalsByVersion.keySet());
    for (String p : pipelines) {
      for (Entry e : events.getOrDefault(p, List.of())) {
        lines.add(String.format("%s  tick %d  %s", p, e.tick(), e.summary()));
      }
      Map<String, Long> counts = proposalsByVersion.get(p);
      if (counts != null) {
        StringBuilder sb = new StringBuilder(p + "  proposals by model version:");
        counts.forEach((v, n) -> sb.append(' ').append(v).append('=').append(n));
        lines.add(sb.toString());
      }
    }
    return lines;
  }

  private static String format(String[] cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      boolean numeric = i == 1 || i == 3;
      String cell = cells[i];
      if (i == cells.length - 1) {
        sb.append(cell);
      } else if (numeric) {
        sb.append(" ".repeat(width[i] - cell.length())).append(cell).append("  ");
      } else {
        sb.append(cell).append(" ".repeat(width[i] - cell.length())).append("  ");
      }
    }
    return sb.toString().stripTrailing();
  }

  /** The timeline as JSON lines. */
  public static List<String> jsonLines(List<Entry> timeline) {
    List<String> lines = new ArrayList<>();
    for (Entry e : timeline) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("pipeline", e.pipeline());
      o.put("persistence_id", e.persistenceId());
      o.put("sequence_nr", e.sequenceNr());
      if (e.tick() != null) {
        o.put("tick", e.tick());
      }
      o.put("agent", e.agent());
      o.put("type", e.type());
      if (e.summary() != null) {
        o.put("summary", e.summary());
      }
      if (e.modelVersion() != null) {
        o.put("model_version", e.modelVersion());
      }
      Explanation x = e.explanation();
      if (x != null) {
        Map<String, Object> ex = new LinkedHashMap<>();
        ex.put("trigger", x.trigger());
        ex.put("evidence", x.evidence());
        ex.put("cause", x.cause());
        ex.put("action", x.action());
        ex.put("impact", x.impact());
        ex.put("verification", x.verification());
        o.put("explanation", ex);
      }
      try {
        lines.add(JSON.writeValueAsString(o));
      } catch (JsonProcessingException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return lines;
  }
}
