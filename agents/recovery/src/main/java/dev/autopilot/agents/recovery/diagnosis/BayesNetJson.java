package dev.autopilot.agents.recovery.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON form of a {@link BayesNet}:
 *
 * <pre>{@code
 * {"variables": [
 *   {"name": "cause", "states": ["a", "b"], "parents": [], "cpt": [[0.3, 0.7]]},
 *   {"name": "x", "states": ["off", "on"], "parents": ["cause"], "cpt": [[0.9, 0.1], [0.2, 0.8]]}
 * ]}
 * }</pre>
 *
 * One CPT row per parent assignment (row-major over the parents, the last fastest). Reading checks
 * everything and names the source, the variable and the field at fault.
 */
public final class BayesNetJson {
  private BayesNetJson() {}

  /** The network as a JSON tree. */
  public static ObjectNode toJson(BayesNet net, ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode vars = root.putArray("variables");
    for (int v = 0; v < net.size(); v++) {
      Variable var = net.variable(v);
      ObjectNode o = vars.addObject();
      o.put("name", var.name());
      ArrayNode states = o.putArray("states");
      var.states().forEach(states::add);
      ArrayNode ps = o.putArray("parents");
      for (int p : net.parents(v)) {
        ps.add(net.variable(p).name());
      }
      ArrayNode cpt = o.putArray("cpt");
      double[] t = net.cpt(v);
      int card = var.cardinality();
      for (int r = 0; r < t.length / card; r++) {
        ArrayNode row = cpt.addArray();
        for (int s = 0; s < card; s++) {
          row.add(t[r * card + s]);
        }
      }
    }
    return root;
  }

  /**
   * Reads a network.
   *
   * @param node the JSON tree
   * @param source where it came from, for error messages
   * @throws IllegalArgumentException naming the source and the field when it is malformed
   */
  public static BayesNet fromJson(JsonNode node, String source) {
    JsonNode vars = node == null ? null : node.get("variables");
    if (vars == null || !vars.isArray() || vars.isEmpty()) {
      throw new IllegalArgumentException(source + ": 'variables' must be a non-empty array");
    }
    List<Variable> variables = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    for (int v = 0; v < vars.size(); v++) {
      JsonNode o = vars.get(v);
      String where = source + ": variables[" + v + "]";
      JsonNode name = o.get("name");
      if (name == null || !name.isTextual()) {
        throw new IllegalArgumentException(where + ".name must be a string");
      }
      where = source + ": variable '" + name.asText() + "'";
      JsonNode states = o.get("states");
      if (states == null || !states.isArray()) {
        throw new IllegalArgumentException(where + ": 'states' must be an array of strings");
      }
      List<String> st = new ArrayList<>();
      for (JsonNode s : states) {
        if (!s.isTextual()) {
          throw new IllegalArgumentException(where + ": 'states' must be an array of strings");
        }
        st.add(s.asText());
      }
      try {
        variables.add(new Variable(name.asText(), st));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
      }
      if (ids.put(name.asText(), v) != null) {
        throw new IllegalArgumentException(where + " is defined twice");
      }
    }
    int n = variables.size();
    int[][] parents = new int[n][];
    double[][] cpts = new double[n][];
    for (int v = 0; v < n; v++) {
      JsonNode o = vars.get(v);
      String where = source + ": variable '" + variables.get(v).name() + "'";
      JsonNode ps = o.get("parents");
      if (ps == null || !ps.isArray()) {
        throw new IllegalArgumentException(where + ": 'parents' must be an array of names");
      }
      parents[v] = new int[ps.size()];
      int rows = 1;
      for (int k = 0; k < ps.size(); k++) {
        Integer id = ps.get(k).isTextual() ? ids.get(ps.get(k).asText()) : null;
        if (id == null) {
          throw new IllegalArgumentException(where + ": unknown parent " + ps.get(k));
        }
        parents[v][k] = id;
        rows *= variables.get(id).cardinality();
      }
      JsonNode cpt = o.get("cpt");
      int card = variables.get(v).cardinality();
      if (cpt == null || !cpt.isArray() || cpt.size() != rows) {
        throw new IllegalArgumentException(
            where
                + ": 'cpt' must be an array of "
                + rows
                + " rows (one per parent assignment), got "
                + (cpt == null || !cpt.isArray() ? "none" : cpt.size()));
      }
      double[] t = new double[rows * card];
      for (int r = 0; r < rows; r++) {
        JsonNode row = cpt.get(r);
        if (!row.isArray() || row.size() != card) {
          throw new IllegalArgumentException(
              where + ": cpt row " + r + " must hold " + card + " numbers");
        }
        for (int s = 0; s < card; s++) {
          if (!row.get(s).isNumber()) {
            throw new IllegalArgumentException(
                where + ": cpt row " + r + ", entry " + s + " is not a number: " + row.get(s));
          }
          t[r * card + s] = row.get(s).asDouble();
        }
      }
      cpts[v] = t;
    }
    try {
      return new BayesNet(variables, parents, cpts);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }
}
