package dev.autopilot.runtime.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The figures of one {@code drill db-outage} run ({@link DbOutageDrill}); passed when no check
 * failed.
 *
 * @param outageSeconds how long the server was down (refusing connections until the start command)
 * @param nodes nodes of the local cluster
 * @param pipelines simulated pipelines
 * @param ticksDuringOutage pipeline-ticks the driver started while the server was down
 * @param ticksClosedDuringOutage pipeline-ticks the meta-agent closed while the server was down
 * @param platformCallsDuringOutage apply or recover calls that started while the server was down
 * @param configChangedDuringOutage whether a pipeline's configuration on the platform changed then
 * @param readyDuringOutage whether {@code /ready} answered OK during the outage (after the grace)
 * @param notReadyResponse the first not-ready answer of {@code /ready} during the outage
 * @param aliveDuringOutage whether {@code /alive} answered OK throughout the outage
 * @param readyAfter whether {@code /ready} answered OK again within the resume bound
 * @param readySeconds seconds from the server accepting connections to {@code /ready} OK
 * @param resumeSeconds seconds from the server accepting connections until every pipeline closed a
 *     tick (NaN when one did not)
 * @param resumeBoundSeconds the bound on it
 * @param ticks pipeline-ticks started in the whole drill
 * @param ticksClosed of those, the ones closed
 * @param ticksFailedMetric {@code autopilot_ticks_failed_total} of the node at the end
 * @param journalCheckFailures {@code autopilot_journal_check_failures_total} of the node at the end
 * @param appliedAfter changes decided after the outage and applied
 * @param verifiedAfter of those, the ones verified
 * @param journalEvents events in the journal
 * @param acknowledgedEvents events the entities acknowledged, checked against the journal
 * @param lostEvents acknowledged events missing from the journal
 * @param duplicateEvents duplicated events in the journal
 * @param sequenceGaps sequence-number gaps in the journal
 * @param applications calls that made the platform act
 * @param duplicateApplications applications beyond the journaled ones
 * @param unjournaledApplications applications without a journaled start
 * @param historiesIntact actuators whose pre-outage history is kept in order
 * @param auditEquivalent whether the audit replay equals the live state of every entity
 * @param failures the failed checks, empty when passed
 */
public record DbOutageReport(
    double outageSeconds,
    int nodes,
    int pipelines,
    int ticksDuringOutage,
    int ticksClosedDuringOutage,
    int platformCallsDuringOutage,
    boolean configChangedDuringOutage,
    boolean readyDuringOutage,
    String notReadyResponse,
    boolean aliveDuringOutage,
    boolean readyAfter,
    double readySeconds,
    double resumeSeconds,
    long resumeBoundSeconds,
    int ticks,
    int ticksClosed,
    long ticksFailedMetric,
    long journalCheckFailures,
    int appliedAfter,
    int verifiedAfter,
    int journalEvents,
    int acknowledgedEvents,
    int lostEvents,
    int duplicateEvents,
    int sequenceGaps,
    int applications,
    int duplicateApplications,
    int unjournaledApplications,
    int historiesIntact,
    boolean auditEquivalent,
    List<String> failures) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public DbOutageReport {
    failures = List.copyOf(failures);
  }

  /** Whether every check passed. */
  public boolean passed() {
    return failures.isEmpty();
  }

  /** The report as one JSON object. */
  public ObjectNode json() {
    ObjectNode o = JSON.createObjectNode();
    o.put("drill", "db-outage");
    o.put("passed", passed());
    o.put("outage_seconds", outageSeconds);
    o.put("nodes", nodes);
    o.put("pipelines", pipelines);
    o.put("ticks_during_outage", ticksDuringOutage);
    o.put("ticks_closed_during_outage", ticksClosedDuringOutage);
    o.put("platform_calls_during_outage", platformCallsDuringOutage);
    o.put("config_changed_during_outage", configChangedDuringOutage);
    o.put("ready_during_outage", readyDuringOutage);
    o.put("not_ready_response", notReadyResponse);
    o.put("alive_during_outage", aliveDuringOutage);
    o.put("ready_after", readyAfter);
    putSeconds(o, "ready_seconds", readySeconds);
    putSeconds(o, "resume_seconds", resumeSeconds);
    o.put("resume_bound_seconds", resumeBoundSeconds);
    o.put("ticks", ticks);
    o.put("ticks_closed", ticksClosed);
    o.put("ticks_failed_metric", ticksFailedMetric);
    o.put("journal_check_failures", journalCheckFailures);
    o.put("applied_after_outage", appliedAfter);
    o.put("verified_after_outage", verifiedAfter);
    o.put("journal_events", journalEvents);
    o.put("acknowledged_events", acknowledgedEvents);
    o.put("lost_events", lostEvents);
    o.put("duplicate_events", duplicateEvents);
    o.put("sequence_gaps", sequenceGaps);
    o.put("applications", applications);
    o.put("duplicate_applications", duplicateApplications);
    o.put("unjournaled_applications", unjournaledApplications);
    o.put("histories_intact", historiesIntact);
    o.put("audit_equivalent", auditEquivalent);
    ArrayNode f = o.putArray("failures");
    failures.forEach(f::add);
    return o;
  }

  /** A few lines for a human. */
  public String text() {
    return String.format(
        Locale.ROOT,
        "drill db-outage: %s%n"
            + "  outage %.2f s on %d node(s), %d pipeline(s): %d tick(s) started, %d closed, %d"
            + " platform call(s), configuration %s%n"
            + "  /ready during the outage: %s (%s); /alive: %s; /ready again after %.2f s%n"
            + "  resumed after %.2f s (bound %d s); after the outage %d change(s) applied, %d"
            + " verified%n"
            + "  journal: %d events, %d acknowledged, %d lost, %d duplicated, %d gap(s);"
            + " %d application(s), %d twice, %d unjournaled; %d/%d histories intact; audit %s%n"
            + "%s",
        passed() ? "PASSED" : "FAILED",
        outageSeconds,
        nodes,
        pipelines,
        ticksDuringOutage,
        ticksClosedDuringOutage,
        platformCallsDuringOutage,
        configChangedDuringOutage ? "CHANGED" : "unchanged",
        readyDuringOutage ? "ready" : "not ready",
        notReadyResponse,
        aliveDuringOutage ? "OK" : "FAILED",
        readySeconds,
        resumeSeconds,
        resumeBoundSeconds,
        appliedAfter,
        verifiedAfter,
        journalEvents,
        acknowledgedEvents,
        lostEvents,
        duplicateEvents,
        sequenceGaps,
        applications,
        duplicateApplications,
        unjournaledApplications,
        historiesIntact,
        pipelines,
        auditEquivalent ? "equivalent" : "NOT equivalent",
        failures.isEmpty()
            ? ""
            : "  failures:"
                + failures.stream()
                    .map(f -> System.lineSeparator() + "    " + f)
                    .collect(Collectors.joining())
                + System.lineSeparator());
  }

  private static void putSeconds(ObjectNode o, String field, double value) {
    if (Double.isNaN(value)) {
      o.putNull(field);
    } else {
      o.put(field, value);
    }
  }
}
