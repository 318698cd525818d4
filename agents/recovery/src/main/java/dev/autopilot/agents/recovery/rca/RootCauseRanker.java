package dev.autopilot.agents.recovery.rca;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Ranks the services of a call graph as root-cause candidates of one incident.
 *
 * <p>A fault in a service shows in that service and spreads to its callers (latency adds up,
 * failures surface), never to its callees. So, per symptom kind k, with {@code p(v)} the
 * probability that v is anomalous (a logistic of its standardized score):
 *
 * <pre>
 *   own(v)        = p(v)
 *   unexplained(v)= prod over callees c with pre-fault traffic of (1 - p(c) * min(1, rise(c) / (rho * rise(v))))
 *   support(v)    = sum over ancestors u reachable through anomalous callers of the path product of p
 *   score_k(v)    = own(v) * unexplained(v) * (1 + lambda * support(v)) * weight(k)
 * </pre>
 *
 * and {@code score(v) = sum_k score_k(v)}. A callee explains its caller only if it is anomalous and
 * its rise in natural units (seconds, failed requests) is comparable to the caller's; a callee that
 * had no traffic before the fault (a newly called dependency) explains nothing, and a service that
 * had no traffic itself is penalised, since a behaviour change of its caller made it anomalous. The
 * support term prefers a candidate that accounts for many anomalous upstream services (the
 * propagation evidence) over an isolated anomaly. The alarm's kind gets weight 1, other kinds
 * {@code otherKindWeight}, request floods {@code requestWeight}.
 */
public final class RootCauseRanker {

  /** One ranked service. */
  public record Candidate(String node, double score) {}

  private final RcaSettings settings;

  public RootCauseRanker(RcaSettings settings) {
    this.settings = settings;
  }

  /**
   * Ranks every node of the graph, most likely root cause first (ties by name).
   *
   * @param graph the call graph
   * @param anomalies per-service anomaly (services without an entry count as normal, no traffic)
   * @param alarmKind the symptom that raised the alarm, if known
   */
  public List<Candidate> rank(
      ServiceGraph graph, Map<String, NodeAnomaly> anomalies, Optional<SymptomKind> alarmKind) {
    Map<SymptomKind, Double> weights = new EnumMap<>(SymptomKind.class);
    for (SymptomKind k : SymptomKind.values()) {
      double w = alarmKind.isEmpty() || alarmKind.get() == k ? 1.0 : settings.otherKindWeight();
      if (k == SymptomKind.REQUESTS) {
        w = settings.requestWeight();
      }
      if (w > 0) {
        weights.put(k, w);
      }
    }
    List<Candidate> out = new ArrayList<>();
    for (String v : graph.nodes()) {
      double total = 0;
      for (Map.Entry<SymptomKind, Double> e : weights.entrySet()) {
        total += score(graph, anomalies, v, e.getKey()) * e.getValue();
      }
      out.add(new Candidate(v, total));
    }
    out.sort(
        Comparator.comparingDouble(Candidate::score).reversed().thenComparing(Candidate::node));
    return out;
  }

  private double score(
      ServiceGraph graph, Map<String, NodeAnomaly> anomalies, String v, SymptomKind k) {
    NodeAnomaly a = anomalies.getOrDefault(v, NodeAnomaly.NONE);
    double own = p(a, k);
    double unexplained = 1;
    double rise = a.magnitude(k);
    for (String c : graph.callees(v)) {
      NodeAnomaly ac = anomalies.getOrDefault(c, NodeAnomaly.NONE);
      if (ac.preRequests() <= 0) {
        continue;
      }
      double e = p(ac, k);
      if (settings.explainRatio() > 0 && rise > 0) {
        e *= Math.min(1, Math.max(0, ac.magnitude(k)) / (settings.explainRatio() * rise));
      }
      unexplained *= 1 - e;
    }
    Map<String, Double> seen = new HashMap<>();
    Deque<Map.Entry<String, Double>> frontier = new ArrayDeque<>();
    frontier.push(Map.entry(v, 1.0));
    while (!frontier.isEmpty()) {
      Map.Entry<String, Double> u = frontier.pop();
      for (String q : graph.callers(u.getKey())) {
        double pq = u.getValue() * p(anomalies.getOrDefault(q, NodeAnomaly.NONE), k);
        if (pq > seen.getOrDefault(q, 0.0) && pq > settings.supportFloor()) {
          seen.put(q, pq);
          frontier.push(Map.entry(q, pq));
        }
      }
    }
    double support = seen.values().stream().mapToDouble(Double::doubleValue).sum();
    double s = own * unexplained * (1 + settings.ancestorWeight() * support);
    if (a.preRequests() <= 0) {
      s *= settings.newNodePenalty();
    }
    return s;
  }

  private double p(NodeAnomaly a, SymptomKind k) {
    double z = a.score(k);
    return 1 / (1 + Math.exp(-(z - settings.anomalyThreshold()) / settings.anomalyWidth()));
  }
}
