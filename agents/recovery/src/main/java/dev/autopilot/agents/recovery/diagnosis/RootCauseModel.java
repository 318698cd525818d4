package dev.autopilot.agents.recovery.diagnosis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.autopilot.api.FailureMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The root-cause Bayesian network: a {@code cause} variable (no fault, or one of the 15 {@link
 * FailureMode}s) and one discrete evidence variable per observed feature (symptom strengths cut
 * into absent/weak/strong, plus a few telemetry features). Every feature depends on the cause; with
 * the tree-augmented structure each feature also has at most one other feature as parent, chosen by
 * a maximum spanning tree over the conditional mutual information given the cause (Friedman, Geiger
 * and Goldszmidt 1997), so correlated symptoms are not counted twice.
 *
 * <p>Inference is exact by {@link VariableElimination}: a feature whose value is unknown (NaN) is
 * unobserved and summed out. The CPTs are learned with a Dirichlet prior from labelled incidents
 * ({@link #fit}). Immutable and thread-safe.
 */
public final class RootCauseModel {
  /** Schema of the JSON form (also the bundle's feature schema). */
  public static final String SCHEMA = "recovery-diagnosis/1";

  /** Name of the cause variable. */
  public static final String CAUSE = "cause";

  /** The cause state meaning "no fault". */
  public static final String HEALTHY = "NONE";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int MAX_DRIVERS = 6;

  /** Network structure. */
  public enum Structure {
    /** Cause to every feature (naive Bayes). */
    NAIVE,
    /** Naive Bayes plus a spanning tree among the features (TAN). */
    TREE_AUGMENTED
  }

  /**
   * One evidence feature.
   *
   * @param name the feature (a {@link dev.autopilot.agents.recovery.policy.Symptom} name, or a
   *     telemetry feature known to {@link Observation})
   * @param cuts ascending cut points; the state is the number of cuts at or below the value
   */
  public record Feature(String name, double[] cuts) {
    public Feature {
      cuts = cuts.clone();
      for (int i = 1; i < cuts.length; i++) {
        if (!(cuts[i] > cuts[i - 1])) {
          throw new IllegalArgumentException(
              "feature '" + name + "': cuts must ascend, got " + Arrays.toString(cuts));
        }
      }
    }

    /** The discrete state of a raw value, or UNOBSERVED for NaN. */
    public int state(double value) {
      if (Double.isNaN(value)) {
        return VariableElimination.UNOBSERVED;
      }
      int s = 0;
      while (s < cuts.length && value >= cuts[s]) {
        s++;
      }
      return s;
    }

    /** State names: absent/weak/strong for two cuts, else s0..sN. */
    public List<String> states() {
      if (cuts.length == 2) {
        return List.of("absent", "weak", "strong");
      }
      if (cuts.length == 1) {
        return List.of("absent", "present");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i <= cuts.length; i++) {
        out.add("s" + i);
      }
      return out;
    }
  }

  /**
   * A labelled observation for learning.
   *
   * @param label the true root cause, or null for no fault
   * @param observation what was observed
   * @param weight sample weight (1 normally)
   */
  public record Labelled(FailureMode label, Observation observation, double weight) {}

  /**
   * Learning options.
   *
   * @param alpha Dirichlet pseudo-count per CPT cell (1 = Laplace)
   * @param structure the structure
   */
  public record Options(double alpha, Structure structure) {}

  private final List<Feature> features;
  private final BayesNet net;
  private final VariableElimination ve;
  private final Options options;
  private final int cause;
  private final int[] featureIds;
  private final FailureMode[] modeOfState;
  private final int healthyState;
  private final int[] normalState;

  private RootCauseModel(List<Feature> features, BayesNet net, Options options, String source) {
    this.features = List.copyOf(features);
    this.net = net;
    this.options = options;
    this.ve = new VariableElimination(net, VariableElimination.Heuristic.MIN_WEIGHT);
    if (!net.has(CAUSE)) {
      throw new IllegalArgumentException(source + ": the network has no '" + CAUSE + "' variable");
    }
    this.cause = net.id(CAUSE);
    List<String> states = net.variable(cause).states();
    this.modeOfState = new FailureMode[states.size()];
    int h = -1;
    for (int s = 0; s < states.size(); s++) {
      if (HEALTHY.equals(states.get(s))) {
        h = s;
      } else {
        try {
          modeOfState[s] = FailureMode.valueOf(states.get(s));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              source + ": cause state '" + states.get(s) + "' is not a failure mode", e);
        }
      }
    }
    this.healthyState = h;
    this.featureIds = new int[features.size()];
    for (int i = 0; i < features.size(); i++) {
      Feature f = features.get(i);
      if (!net.has(f.name())) {
        throw new IllegalArgumentException(
            source + ": feature '" + f.name() + "' has no variable in the network");
      }
      int id = net.id(f.name());
      if (net.variable(id).cardinality() != f.cuts().length + 1) {
        throw new IllegalArgumentException(
            source
                + ": feature '"
                + f.name()
                + "' has "
                + (f.cuts().length + 1)
                + " states by its cuts but "
                + net.variable(id).cardinality()
                + " in the network");
      }
      featureIds[i] = id;
    }
    // the most likely state of each feature when nothing is wrong (for picking drivers)
    this.normalState = new int[features.size()];
    if (healthyState >= 0) {
      int[] ev = new int[net.size()];
      Arrays.fill(ev, VariableElimination.UNOBSERVED);
      ev[cause] = healthyState;
      for (int i = 0; i < features.size(); i++) {
        double[] p = ve.query(featureIds[i], ev).posterior();
        normalState[i] = argmax(p);
      }
    }
  }

  public List<Feature> features() {
    return features;
  }

  public BayesNet network() {
    return net;
  }

  public Options options() {
    return options;
  }

  /** The discrete evidence array of an observation (cause unobserved). */
  public int[] evidence(Observation o) {
    int[] ev = new int[net.size()];
    Arrays.fill(ev, VariableElimination.UNOBSERVED);
    for (int i = 0; i < features.size(); i++) {
      ev[featureIds[i]] = features.get(i).state(o.value(features.get(i).name()));
    }
    return ev;
  }

  /** The posterior over the cause states (network order). */
  public double[] posterior(int[] evidence) {
    return ve.query(cause, evidence).posterior();
  }

  /** Ranks the causes of an observation: top 3, the healthy posterior, and the drivers. */
  public Diagnosis diagnose(Observation o) {
    return diagnose(evidence(o), true);
  }

  /**
   * Ranks the causes.
   *
   * @param evidence from {@link #evidence}
   * @param explain whether to compute the drivers (one more inference per abnormal feature)
   */
  public Diagnosis diagnose(int[] evidence, boolean explain) {
    double[] post = posterior(evidence);
    List<Diagnosis.RankedCause> ranked = new ArrayList<>();
    for (int s = 0; s < post.length; s++) {
      if (modeOfState[s] != null) {
        ranked.add(new Diagnosis.RankedCause(modeOfState[s], post[s]));
      }
    }
    ranked.sort(
        Comparator.comparingDouble((Diagnosis.RankedCause r) -> -r.posterior())
            .thenComparing(r -> r.mode().ordinal()));
    List<Diagnosis.RankedCause> top = ranked.subList(0, Math.min(3, ranked.size()));
    double healthy = healthyState < 0 ? 0 : post[healthyState];
    List<Diagnosis.Driver> drivers =
        explain ? drivers(evidence, top.get(0).mode(), post) : List.of();
    return new Diagnosis(top, healthy, drivers);
  }

  private List<Diagnosis.Driver> drivers(int[] evidence, FailureMode best, double[] post) {
    int bestState = stateOf(best);
    double lo = logOdds(post[bestState]);
    List<Diagnosis.Driver> out = new ArrayList<>();
    int[] ev = evidence.clone();
    for (int i = 0; i < features.size(); i++) {
      int id = featureIds[i];
      int observed = ev[id];
      if (observed == VariableElimination.UNOBSERVED || observed == normalState[i]) {
        continue;
      }
      ev[id] = VariableElimination.UNOBSERVED;
      double without = logOdds(ve.query(cause, ev).posterior()[bestState]);
      ev[id] = observed;
      out.add(
          new Diagnosis.Driver(
              features.get(i).name(), net.variable(id).states().get(observed), lo - without));
    }
    out.sort(Comparator.comparingDouble(d -> -Math.abs(d.logOdds())));
    return out.subList(0, Math.min(MAX_DRIVERS, out.size()));
  }

  private int stateOf(FailureMode mode) {
    for (int s = 0; s < modeOfState.length; s++) {
      if (modeOfState[s] == mode) {
        return s;
      }
    }
    throw new IllegalArgumentException("the network has no cause state " + mode);
  }

  private static double logOdds(double p) {
    double q = Math.min(1 - 1e-12, Math.max(1e-12, p));
    return Math.log(q / (1 - q));
  }

  private static int argmax(double[] p) {
    int b = 0;
    for (int i = 1; i < p.length; i++) {
      if (p[i] > p[b]) {
        b = i;
      }
    }
    return b;
  }

  // ------------------------------------------------------------------ learning

  /**
   * Learns the structure (for {@link Structure#TREE_AUGMENTED}) and the CPTs from labelled
   * observations.
   *
   * @param features the evidence features with their cut points
   * @param data labelled observations; a null label means no fault
   * @param options smoothing and structure
   */
  public static RootCauseModel fit(List<Feature> features, List<Labelled> data, Options options) {
    if (data.isEmpty()) {
      throw new IllegalArgumentException("no labelled observations to learn from");
    }
    List<Variable> vars = new ArrayList<>();
    List<String> causeStates = new ArrayList<>();
    causeStates.add(HEALTHY);
    for (FailureMode m : FailureMode.values()) {
      causeStates.add(m.name());
    }
    vars.add(new Variable(CAUSE, causeStates));
    for (Feature f : features) {
      vars.add(new Variable(f.name(), f.states()));
    }
    int n = vars.size();
    int[][] rows = new int[data.size()][];
    double[] weights = new double[data.size()];
    for (int r = 0; r < data.size(); r++) {
      Labelled l = data.get(r);
      int[] x = new int[n];
      x[0] = l.label() == null ? 0 : 1 + l.label().ordinal();
      for (int i = 0; i < features.size(); i++) {
        x[1 + i] = features.get(i).state(l.observation().value(features.get(i).name()));
      }
      rows[r] = x;
      weights[r] = l.weight();
    }
    int[][] parents = new int[n][];
    parents[0] = new int[0];
    int[] treeParent =
        options.structure() == Structure.TREE_AUGMENTED
            ? StructureLearner.chowLiuGivenClass(vars, rows, weights, 0)
            : null;
    for (int v = 1; v < n; v++) {
      parents[v] =
          treeParent == null || treeParent[v] < 0 ? new int[] {0} : new int[] {0, treeParent[v]};
    }
    BayesNet net = CptLearner.fit(vars, parents, rows, weights, options.alpha());
    return new RootCauseModel(features, net, options, "learned network");
  }

  // ------------------------------------------------------------------ JSON

  /** Writes the model as JSON. */
  public void write(OutputStream out) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("alpha", options.alpha());
    root.put("structure", options.structure().name());
    ArrayNode fs = root.putArray("features");
    for (Feature f : features) {
      ObjectNode o = fs.addObject();
      o.put("name", f.name());
      ArrayNode cuts = o.putArray("cuts");
      for (double c : f.cuts()) {
        cuts.add(c);
      }
    }
    root.set("network", BayesNetJson.toJson(net, JSON));
    JSON.writeValue(out, root);
  }

  /**
   * Reads a model written by {@link #write}.
   *
   * @param in the JSON
   * @param source its name, for error messages
   * @throws IllegalArgumentException naming the source and field when it is malformed or
   *     inconsistent
   */
  public static RootCauseModel read(InputStream in, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not valid JSON: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(source + ": expected a JSON object");
    }
    String schema = root.path("schema").asText("");
    if (!SCHEMA.equals(schema)) {
      throw new IllegalArgumentException(
          source + ": schema is '" + schema + "', expected '" + SCHEMA + "'");
    }
    double alpha = root.path("alpha").asDouble(Double.NaN);
    Structure structure;
    try {
      structure = Structure.valueOf(root.path("structure").asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          source + ": 'structure' must be one of " + Arrays.toString(Structure.values()), e);
    }
    JsonNode fs = root.get("features");
    if (fs == null || !fs.isArray() || fs.isEmpty()) {
      throw new IllegalArgumentException(source + ": 'features' must be a non-empty array");
    }
    List<Feature> features = new ArrayList<>();
    for (int i = 0; i < fs.size(); i++) {
      JsonNode f = fs.get(i);
      JsonNode cuts = f.get("cuts");
      if (!f.path("name").isTextual() || cuts == null || !cuts.isArray()) {
        throw new IllegalArgumentException(
            source + ": features[" + i + "] needs a 'name' and an array 'cuts'");
      }
      double[] c = new double[cuts.size()];
      for (int k = 0; k < c.length; k++) {
        if (!cuts.get(k).isNumber()) {
          throw new IllegalArgumentException(
              source + ": features[" + i + "].cuts[" + k + "] is not a number");
        }
        c[k] = cuts.get(k).asDouble();
      }
      try {
        features.add(new Feature(f.get("name").asText(), c));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
      }
    }
    BayesNet net = BayesNetJson.fromJson(root.get("network"), source + " (network)");
    return new RootCauseModel(features, net, new Options(alpha, structure), source);
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "RootCauseModel[%d features, %s, alpha %.2f]",
        features.size(),
        options.structure(),
        options.alpha());
  }
}
