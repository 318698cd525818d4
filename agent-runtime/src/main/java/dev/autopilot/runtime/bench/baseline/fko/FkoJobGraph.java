package dev.autopilot.runtime.bench.baseline.fko;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.flink.runtime.jobgraph.JobVertexID;

/**
 * The job graph the FKO autoscaler sees of a simulated pipeline: what Flink's job plan would tell
 * it. The simulated job is a chain of operators in job-graph order (the order of {@code
 * TelemetrySnapshot.operators()}, source first), each a job vertex of its own; the edge into an
 * operator that keeps keyed state is a key-by ({@code HASH}), every other edge a {@code REBALANCE}
 * (the parallelism changes between the operators, so nothing is chained or forwarded).
 *
 * @param operators operator ids in job-graph order, source first
 * @param keyed the operators whose input is keyed (they keep keyed state)
 */
public record FkoJobGraph(List<String> operators, Set<String> keyed) {

  public FkoJobGraph {
    operators = List.copyOf(operators);
    keyed = Set.copyOf(keyed);
    if (operators.isEmpty()) {
      throw new IllegalArgumentException("the job graph needs at least one operator");
    }
    if (Set.copyOf(operators).size() != operators.size()) {
      throw new IllegalArgumentException("operator ids repeat: " + operators);
    }
    if (!operators.containsAll(keyed)) {
      throw new IllegalArgumentException(
          "keyed operators " + keyed + " are not all in the graph " + operators);
    }
  }

  /** The Flink vertex id of each operator (stable: derived from the operator id), in order. */
  public Map<String, JobVertexID> vertexIds() {
    Map<String, JobVertexID> ids = new LinkedHashMap<>();
    for (String op : operators) {
      UUID u = UUID.nameUUIDFromBytes(("autopilot-vertex/" + op).getBytes(StandardCharsets.UTF_8));
      ids.put(op, new JobVertexID(u.getLeastSignificantBits(), u.getMostSignificantBits()));
    }
    return ids;
  }

  /** The ship strategy of the edge into {@code operator} (not the source). */
  public String shipStrategyInto(String operator) {
    return keyed.contains(operator) ? "HASH" : "REBALANCE";
  }
}
