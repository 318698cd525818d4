package dev.autopilot.runtime.drill;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The figures of one {@code drill node-loss} run: trials passed, time to resume, history entries
 * lost, duplicate applications, the audit check, and why each failed trial failed. Printed as one
 * JSON object ({@link #toJson()}) or as a few lines of text ({@link #toText()}).
 *
 * @param trials trials requested
 * @param trialsRun trials run (fewer only when the cluster could not be made whole again)
 * @param passed trials that passed every check
 * @param resumeSeconds time to resume over the trials run: p50 and max, seconds
 * @param hostingKills trials whose killed node hosted at least one pipeline's meta-agent (the
 *     others only had proposers, or nothing, to move)
 * @param hostingResumeSeconds time to resume over those trials
 * @param resumeBoundSeconds the stated bound on the time to resume
 * @param lostHistoryEntries known-good configurations missing after the trials, in total
 * @param duplicateApplications platform applications beyond the changes the journal closed
 * @param moments trials and passes per moment of the kill, by name
 * @param auditEquivalent whether the journal's replay equals the live state of every entity
 * @param auditEntities entities compared
 * @param auditMismatches the entities whose replayed state differs, or the replay's errors
 * @param failures the failed trials
 * @param seed the seed
 * @param nodes nodes of the cluster
 * @param pipelines pipelines
 * @param platformApplications calls that made the platform act, in total
 * @param unansweredTicks ticks the drill drove that no meta-agent answered within the ask timeout
 *     (lost, as the runtime's control loop loses them: the next tick goes on), outside the
 *     measurement of the time to resume
 * @param wallSeconds wall time of the drill, seconds
 */
@JsonPropertyOrder({
  "drill",
  "trials",
  "trials_run",
  "passed",
  "resume_seconds",
  "hosting_kills",
  "hosting_resume_seconds",
  "resume_bound_seconds",
  "lost_history_entries",
  "duplicate_applications",
  "moments",
  "audit_equivalent",
  "audit_entities",
  "audit_mismatches",
  "failures",
  "seed",
  "nodes",
  "pipelines",
  "platform_applications",
  "unanswered_ticks",
  "wall_seconds"
})
public record NodeLossReport(
    @JsonProperty("trials") int trials,
    @JsonProperty("trials_run") int trialsRun,
    @JsonProperty("passed") int passed,
    @JsonProperty("resume_seconds") Resume resumeSeconds,
    @JsonProperty("hosting_kills") int hostingKills,
    @JsonProperty("hosting_resume_seconds") Resume hostingResumeSeconds,
    @JsonProperty("resume_bound_seconds") double resumeBoundSeconds,
    @JsonProperty("lost_history_entries") int lostHistoryEntries,
    @JsonProperty("duplicate_applications") int duplicateApplications,
    @JsonProperty("moments") Map<String, MomentCount> moments,
    @JsonProperty("audit_equivalent") boolean auditEquivalent,
    @JsonProperty("audit_entities") int auditEntities,
    @JsonProperty("audit_mismatches") List<String> auditMismatches,
    @JsonProperty("failures") List<Failure> failures,
    @JsonProperty("seed") long seed,
    @JsonProperty("nodes") int nodes,
    @JsonProperty("pipelines") int pipelines,
    @JsonProperty("platform_applications") int platformApplications,
    @JsonProperty("unanswered_ticks") int unansweredTicks,
    @JsonProperty("wall_seconds") double wallSeconds) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public NodeLossReport {
    moments = Collections.unmodifiableMap(new TreeMap<>(moments));
    auditMismatches = List.copyOf(auditMismatches);
    failures = List.copyOf(failures);
  }

  /** The drill's name, first in the JSON object. */
  @JsonProperty("drill")
  public String drill() {
    return "node-loss";
  }

  /** Whether every trial requested ran and passed, and the audit replay matched. */
  public boolean ok() {
    return trialsRun == trials && passed == trials && auditEquivalent;
  }

  /**
   * Time to resume, seconds.
   *
   * @param p50 median over the trials run
   * @param max the longest
   */
  public record Resume(@JsonProperty("p50") double p50, @JsonProperty("max") double max) {

    /** The p50 (nearest rank) and max of {@code seconds}; zeros when empty. */
    public static Resume of(List<Double> seconds) {
      if (seconds.isEmpty()) {
        return new Resume(0, 0);
      }
      double[] sorted = seconds.stream().mapToDouble(Double::doubleValue).toArray();
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(0.5 * sorted.length);
      return new Resume(round(sorted[rank - 1]), round(sorted[sorted.length - 1]));
    }
  }

  /**
   * Trials of one moment of the kill.
   *
   * @param trials trials run
   * @param passed of which passed
   */
  public record MomentCount(
      @JsonProperty("trials") int trials, @JsonProperty("passed") int passed) {}

  /**
   * A failed trial.
   *
   * @param trial its number, from 1
   * @param moment the moment of the kill
   * @param pipeline the pipeline it drove
   * @param killedNode index of the node killed, -1 when the trial failed before the kill
   * @param reasons every check that failed, in words
   */
  @JsonPropertyOrder({"trial", "moment", "pipeline", "killed_node", "reasons"})
  public record Failure(
      @JsonProperty("trial") int trial,
      @JsonProperty("moment") String moment,
      @JsonProperty("pipeline") String pipeline,
      @JsonProperty("killed_node") int killedNode,
      @JsonProperty("reasons") List<String> reasons) {
    public Failure {
      reasons = List.copyOf(reasons);
    }
  }

  /** One JSON object, on one line. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the node-loss report", e);
    }
  }

  /** A few lines for a terminal. */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "drill node-loss: %d/%d trials passed (%d run) on %d nodes, %d pipelines, seed %d,"
                + " %.1f s%n",
            passed,
            trials,
            trialsRun,
            nodes,
            pipelines,
            seed,
            wallSeconds));
    b.append(
        String.format(
            Locale.ROOT,
            "resume (kill -> every pipeline closes a tick again): p50 %.3f s, max %.3f s, bound"
                + " %.1f s%n",
            resumeSeconds.p50(),
            resumeSeconds.max(),
            resumeBoundSeconds));
    b.append(
        String.format(
            Locale.ROOT,
            "  of which %d kills of a node hosting a meta-agent: p50 %.3f s, max %.3f s%n",
            hostingKills,
            hostingResumeSeconds.p50(),
            hostingResumeSeconds.max()));
    b.append(
        String.format(
            Locale.ROOT,
            "lost history entries: %d, duplicate applications: %d (platform applications: %d),"
                + " ticks not answered: %d%n",
            lostHistoryEntries,
            duplicateApplications,
            platformApplications,
            unansweredTicks));
    moments.forEach(
        (m, c) ->
            b.append(
                String.format(Locale.ROOT, "  %-16s %d/%d passed%n", m, c.passed(), c.trials())));
    b.append(
        String.format(
            Locale.ROOT,
            "audit replay equals live state: %s (%d entities)%n",
            auditEquivalent ? "yes" : "NO",
            auditEntities));
    auditMismatches.forEach(m -> b.append("  audit: ").append(m).append('\n'));
    for (Failure f : failures) {
      b.append(
          String.format(
              Locale.ROOT,
              "  trial %d (%s, %s, node %d): %s%n",
              f.trial(),
              f.moment(),
              f.pipeline(),
              f.killedNode(),
              String.join("; ", f.reasons())));
    }
    return b.toString();
  }

  private static double round(double seconds) {
    return Math.round(seconds * 1000) / 1000.0;
  }
}
