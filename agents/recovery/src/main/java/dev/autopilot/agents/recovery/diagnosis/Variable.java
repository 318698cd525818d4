package dev.autopilot.agents.recovery.diagnosis;

import java.util.HashSet;
import java.util.List;

/**
 * A discrete random variable of a {@link BayesNet}: a unique name and its finite list of states.
 *
 * @param name unique name within the network
 * @param states the state names, at least one, distinct
 */
public record Variable(String name, List<String> states) {

  public Variable {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a variable needs a name");
    }
    if (states == null || states.isEmpty()) {
      throw new IllegalArgumentException("variable '" + name + "' needs at least one state");
    }
    states = List.copyOf(states);
    if (new HashSet<>(states).size() != states.size()) {
      throw new IllegalArgumentException("variable '" + name + "' has duplicate states " + states);
    }
  }

  /** Number of states. */
  public int cardinality() {
    return states.size();
  }

  /** Index of a state. */
  public int indexOf(String state) {
    int i = states.indexOf(state);
    if (i < 0) {
      throw new IllegalArgumentException(
          "variable '" + name + "' has no state '" + state + "'; it has " + states);
    }
    return i;
  }
}
