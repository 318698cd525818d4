package dev.autopilot.runtime.drill;

import dev.autopilot.agents.meta.Actuator;
import dev.autopilot.agents.meta.MetaAgent;
import dev.autopilot.api.PipelineConfig;
import dev.autopilot.persistence.AuditRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal of a drill against what the entities acknowledged and what the platform did.
 *
 * <p>Acknowledged events: an entity answers only after its events are journaled, so every {@link
 * MetaAgent.TickClosed} the driver received vouches for a {@code DecisionMade} of that pipeline and
 * tick when the tick had a proposal or a missing agent (the meta-agent journals exactly those
 * ticks), and for a {@code ChangeApplied}, {@code ChangeVerified} or {@code RolledBack} of the
 * proposal of each APPLIED, VERIFIED or ROLLED_BACK actuator report. An acknowledged event missing
 * from the journal is lost. A duplicate is a second {@code DecisionMade} for one pipeline and tick,
 * a second {@code ChangeStarted}, {@code ChangeApplied}, {@code ChangeVerified} or {@code
 * RolledBack} for one change, or a sequence number seen twice; a gap is a sequence number of an
 * entity that is not one more than the previous one (the first is 1).
 *
 * <p>Applications: each call that made the platform act must match a journaled {@code
 * ChangeStarted} with that target configuration (else it was unjournaled), and the platform must
 * not act more often for a pipeline than its actuator journaled {@code ChangeApplied} and {@code
 * RolledBack} events (else a decision was applied twice).
 *
 * @param events events in the journal
 * @param acknowledged acknowledged events checked
 * @param lost acknowledged events missing from the journal
 * @param duplicates duplicated events
 * @param gaps sequence-number gaps
 * @param applications platform calls that made the platform act
 * @param duplicateApplications applications beyond the journaled ones
 * @param unjournaledApplications applications without a journaled {@code ChangeStarted}
 * @param problems one line per finding
 */
public record DbOutageJournalCheck(
    int events,
    int acknowledged,
    int lost,
    int duplicates,
    int gaps,
    int applications,
    int duplicateApplications,
    int unjournaledApplications,
    List<String> problems) {

  public DbOutageJournalCheck {
    problems = List.copyOf(problems);
  }

  /**
   * Checks a journal.
   *
   * @param journal every event, in sequence order per persistence id ({@code AuditReplay})
   * @param closed every tick the driver got closed
   * @param applications per pipeline, the platform calls that made it act, in order
   */
  public static DbOutageJournalCheck of(
      List<AuditRecord> journal,
      List<MetaAgent.TickClosed> closed,
      Map<String, List<DrillPlatform.Call>> applications) {
    List<String> problems = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, Long> lastSeq = new LinkedHashMap<>();
    Map<String, Set<PipelineConfig>> started = new LinkedHashMap<>();
    Map<String, Integer> journaledApplications = new LinkedHashMap<>();
    int gaps = 0;
    int duplicates = 0;
    for (AuditRecord r : journal) {
      String pid = r.persistenceId();
      long previous = lastSeq.getOrDefault(pid, 0L);
      if (r.sequenceNr() == previous) {
        duplicates++;
        problems.add(pid + ": sequence number " + r.sequenceNr() + " twice");
      } else if (r.sequenceNr() != previous + 1) {
        gaps++;
        problems.add(pid + ": sequence number " + r.sequenceNr() + " after " + previous);
      }
      lastSeq.put(pid, r.sequenceNr());
      String key = key(r.pipeline(), r.event());
      if (key != null) {
        counts.merge(key, 1, Integer::sum);
      }
      if (r.event() instanceof Actuator.ChangeStarted s) {
        started.computeIfAbsent(s.pipelineId(), k -> new HashSet<>()).add(s.change().target());
      }
      if (r.event() instanceof Actuator.ChangeApplied || r.event() instanceof Actuator.RolledBack) {
        journaledApplications.merge(r.pipeline(), 1, Integer::sum);
      }
    }
    for (var e : counts.entrySet()) {
      if (e.getValue() > 1) {
        duplicates += e.getValue() - 1;
        problems.add(e.getKey() + " journaled " + e.getValue() + " times");
      }
    }
    Set<String> acknowledged = new HashSet<>();
    for (MetaAgent.TickClosed t : closed) {
      if (!t.proposals().isEmpty() || !t.missingAgents().isEmpty()) {
        acknowledged.add(decisionKey(t.pipelineId(), t.tick()));
      }
      for (Actuator.Report r : t.actuations()) {
        String type =
            switch (r.kind()) {
              case APPLIED -> "ChangeApplied";
              case VERIFIED -> "ChangeVerified";
              case ROLLED_BACK -> "RolledBack";
              case FAILED -> null;
            };
        if (type != null && r.proposalId() != null) {
          acknowledged.add(changeKey(t.pipelineId(), type, r.proposalId()));
        }
      }
    }
    int lost = 0;
    for (String k : acknowledged) {
      if (!counts.containsKey(k)) {
        lost++;
        problems.add("acknowledged but not journaled: " + k);
      }
    }
    int total = 0;
    int duplicateApplications = 0;
    int unjournaled = 0;
    for (var e : applications.entrySet()) {
      String p = e.getKey();
      List<DrillPlatform.Call> calls = e.getValue();
      total += calls.size();
      int journaled = journaledApplications.getOrDefault(p, 0);
      if (calls.size() > journaled) {
        duplicateApplications += calls.size() - journaled;
        problems.add(
            p
                + ": the platform acted "
                + calls.size()
                + " times, the actuator journaled "
                + journaled
                + " applications");
      }
      Set<PipelineConfig> targets = started.getOrDefault(p, Set.of());
      for (DrillPlatform.Call c : calls) {
        if (c.target() != null && !targets.contains(c.target())) {
          unjournaled++;
          problems.add(p + ": applied " + c.target().summary() + " without a journaled start");
        }
      }
    }
    return new DbOutageJournalCheck(
        journal.size(),
        acknowledged.size(),
        lost,
        duplicates,
        gaps,
        total,
        duplicateApplications,
        unjournaled,
        problems);
  }

  /**
   * Whether an actuator's history after the drill keeps the one before it in order: the entries
   * verified since come first, then the old ones, of which only the oldest may have been dropped,
   * and only when the history is full.
   *
   * @param before the history before (newest first)
   * @param after the history after (newest first)
   * @param capacity the history's capacity
   */
  public static boolean historyIntact(
      List<PipelineConfig> before, List<PipelineConfig> after, int capacity) {
    for (int fresh = 0; fresh <= after.size(); fresh++) {
      int kept = after.size() - fresh;
      if (kept > before.size()) {
        continue;
      }
      boolean all = kept == before.size();
      if ((all || after.size() == capacity)
          && after.subList(fresh, after.size()).equals(before.subList(0, kept))) {
        return true;
      }
    }
    return false;
  }

  private static String key(String pipeline, Object event) {
    if (event instanceof MetaAgent.DecisionMade d) {
      return decisionKey(pipeline, d.tick());
    }
    if (event instanceof Actuator.ChangeStarted s) {
      return "actuator|" + pipeline + " ChangeStarted " + s.change().changeId();
    }
    if (event instanceof Actuator.ChangeApplied a) {
      return changeKey(pipeline, "ChangeApplied", a.proposalId());
    }
    if (event instanceof Actuator.ChangeVerified v) {
      return changeKey(pipeline, "ChangeVerified", v.proposalId());
    }
    if (event instanceof Actuator.RolledBack b && b.proposalId() != null) {
      return changeKey(pipeline, "RolledBack", b.proposalId());
    }
    return null;
  }

  private static String decisionKey(String pipeline, long tick) {
    return "meta|" + pipeline + " DecisionMade of tick " + tick;
  }

  private static String changeKey(String pipeline, String type, String proposalId) {
    return "actuator|" + pipeline + " " + type + " of " + proposalId;
  }
}
