package dev.autopilot.agents.recovery.diagnosis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.agents.recovery.policy.Symptom;
import dev.autopilot.agents.recovery.policy.Symptoms;
import dev.autopilot.api.FailureMode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RootCauseModelTest {

  /** A characteristic symptom pattern per mode (what the fault catalogue describes). */
  static final Map<FailureMode, List<Symptom>> PATTERNS = new EnumMap<>(FailureMode.class);

  static {
    PATTERNS.put(
        FailureMode.TASK_CRASH,
        List.of(
            Symptom.TASK_FAILURES,
            Symptom.JOB_RESTARTING,
            Symptom.EXCEPTIONS,
            Symptom.OPERATOR_INPUT_DROP));
    PATTERNS.put(
        FailureMode.CHECKPOINT_TIMEOUT,
        List.of(
            Symptom.CHECKPOINT_SLOW,
            Symptom.CHECKPOINT_FAILING,
            Symptom.CHECKPOINT_ALIGNMENT_SLOW));
    PATTERNS.put(
        FailureMode.NETWORK_PARTITION,
        List.of(Symptom.NET_DEGRADED, Symptom.BACKPRESSURE_HIGH, Symptom.THROUGHPUT_DROP));
    PATTERNS.put(
        FailureMode.DISK_FULL,
        List.of(Symptom.DISK_FULL, Symptom.DISK_STALL, Symptom.CHECKPOINT_FAILING));
    PATTERNS.put(FailureMode.MEMORY_LEAK, List.of(Symptom.HEAP_CLIMBING, Symptom.GC_PRESSURE));
    PATTERNS.put(
        FailureMode.CPU_SATURATION,
        List.of(Symptom.CPU_SATURATED, Symptom.CPU_THROTTLED, Symptom.LAG_GROWING));
    PATTERNS.put(
        FailureMode.BACKPRESSURE_DEADLOCK,
        List.of(Symptom.BUFFERS_FULL_STUCK, Symptom.THROUGHPUT_DROP, Symptom.LAG_GROWING));
    PATTERNS.put(
        FailureMode.STATE_CORRUPTION,
        List.of(Symptom.DESERIALIZATION_ERRORS, Symptom.RESTART_LOOP, Symptom.RESTORE_REPEATED));
    PATTERNS.put(
        FailureMode.EXTERNAL_DEPENDENCY_FAILURE,
        List.of(Symptom.EXTERNAL_ERRORS, Symptom.RECORDS_DROPPED, Symptom.LATENCY_HIGH));
    PATTERNS.put(
        FailureMode.CONFIGURATION_ERROR,
        List.of(Symptom.LOG_ERRORS_AFTER_RESTART, Symptom.LOG_ERRORS, Symptom.RECENT_RESTART));
    PATTERNS.put(
        FailureMode.RESOURCE_EXHAUSTION,
        List.of(Symptom.FD_EXHAUSTED, Symptom.THREADS_HIGH, Symptom.TM_MISSING));
    PATTERNS.put(
        FailureMode.OPERATOR_BUG,
        List.of(Symptom.RECORDS_DROPPED, Symptom.EXCEPTIONS, Symptom.LOG_ERRORS));
    PATTERNS.put(FailureMode.DATA_SKEW, List.of(Symptom.HOT_OPERATOR, Symptom.BACKPRESSURE_HIGH));
    PATTERNS.put(
        FailureMode.VERSION_INCOMPATIBILITY,
        List.of(Symptom.CLASSLOADING_ERRORS, Symptom.SERIALIZATION_ERRORS, Symptom.JOB_RESTARTING));
    PATTERNS.put(
        FailureMode.INFRASTRUCTURE_FAILURE,
        List.of(Symptom.NODE_NOT_READY, Symptom.TM_MISSING, Symptom.JOB_RESTARTING));
  }

  static List<RootCauseModel.Feature> features() {
    List<RootCauseModel.Feature> out = new ArrayList<>();
    for (Symptom s : Symptom.values()) {
      out.add(new RootCauseModel.Feature(s.name(), new double[] {0.1, 0.5}));
    }
    return out;
  }

  static Observation observe(Map<Symptom, Double> strengths) {
    Map<Symptom, Symptoms.Finding> f = new EnumMap<>(Symptom.class);
    strengths.forEach((s, v) -> f.put(s, new Symptoms.Finding(s, v, null, null, "test")));
    return Observation.of(new Symptoms(0, f));
  }

  /** Noisy samples: each pattern symptom shows with probability 0.85, others with 0.03. */
  static List<RootCauseModel.Labelled> data(Random rnd, int perMode) {
    List<RootCauseModel.Labelled> out = new ArrayList<>();
    for (int k = 0; k < perMode; k++) {
      for (FailureMode m : FailureMode.values()) {
        Map<Symptom, Double> s = new EnumMap<>(Symptom.class);
        for (Symptom sy : PATTERNS.get(m)) {
          if (rnd.nextDouble() < 0.85) {
            s.put(sy, 0.5 + 0.5 * rnd.nextDouble());
          }
        }
        noise(rnd, s);
        out.add(new RootCauseModel.Labelled(m, observe(s), 1));
      }
      Map<Symptom, Double> healthy = new EnumMap<>(Symptom.class);
      noise(rnd, healthy);
      out.add(new RootCauseModel.Labelled(null, observe(healthy), 1));
    }
    return out;
  }

  private static void noise(Random rnd, Map<Symptom, Double> s) {
    for (Symptom sy : Symptom.values()) {
      if (!s.containsKey(sy) && rnd.nextDouble() < 0.03) {
        s.put(sy, 0.1 + 0.8 * rnd.nextDouble());
      }
    }
  }

  private static final RootCauseModel TAN =
      RootCauseModel.fit(
          features(),
          data(new Random(11), 60),
          new RootCauseModel.Options(1.0, RootCauseModel.Structure.TREE_AUGMENTED));

  @ParameterizedTest
  @EnumSource(FailureMode.class)
  void ranksTheRightCauseFirstOnItsClearPattern(FailureMode mode) {
    Map<Symptom, Double> s = new EnumMap<>(Symptom.class);
    PATTERNS.get(mode).forEach(sy -> s.put(sy, 1.0));
    Diagnosis d = new Diagnoser(TAN).diagnose(observe(s));
    assertEquals(mode, d.best().mode(), "ranking " + d.top());
    assertEquals(3, d.top().size());
    assertTrue(d.top().get(0).posterior() >= d.top().get(1).posterior());
    assertTrue(d.best().posterior() > 0.5, d.best().label());
    assertTrue(d.healthy() < 0.05, "healthy " + d.healthy());
    assertFalse(d.drivers().isEmpty());
    assertTrue(
        PATTERNS.get(mode).stream().anyMatch(sy -> sy.name().equals(d.drivers().get(0).feature())),
        "the strongest driver is one of the pattern's symptoms: " + d.drivers());
    assertTrue(d.drivers().get(0).logOdds() > 0);
  }

  @Test
  void noSymptomsMeansHealthy() {
    Diagnosis d = new Diagnoser(TAN).rank(observe(Map.of()));
    assertTrue(d.healthy() > 0.9, "healthy " + d.healthy());
    assertTrue(d.drivers().isEmpty());
  }

  @Test
  void unknownFeaturesAreSummedOut() {
    // a model with a feature the observation lacks still answers, treating it as unobserved
    List<RootCauseModel.Feature> f = new ArrayList<>(features());
    f.add(new RootCauseModel.Feature(Observation.CONFIG_CHANGED, new double[] {0.5}));
    RootCauseModel m =
        RootCauseModel.fit(
            f,
            data(new Random(3), 20),
            new RootCauseModel.Options(1.0, RootCauseModel.Structure.NAIVE));
    Map<Symptom, Double> s = new EnumMap<>(Symptom.class);
    PATTERNS.get(FailureMode.DISK_FULL).forEach(sy -> s.put(sy, 1.0));
    int[] ev = m.evidence(observe(s));
    assertEquals(VariableElimination.UNOBSERVED, ev[m.network().id(Observation.CONFIG_CHANGED)]);
    assertEquals(FailureMode.DISK_FULL, m.diagnose(ev, false).best().mode());
  }

  @Test
  void jsonRoundTripKeepsEveryPosterior() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    TAN.write(out);
    RootCauseModel back = RootCauseModel.read(new ByteArrayInputStream(out.toByteArray()), "mem");
    assertEquals(TAN.options(), back.options());
    assertEquals(TAN.network().size(), back.network().size());
    Random rnd = new Random(5);
    for (RootCauseModel.Labelled l : data(rnd, 3)) {
      int[] ev = TAN.evidence(l.observation());
      assertArrayEquals(TAN.posterior(ev), back.posterior(back.evidence(l.observation())), 1e-12);
    }
    for (int v = 0; v < TAN.network().size(); v++) {
      assertArrayEquals(TAN.network().parents(v), back.network().parents(v));
    }
  }

  @Test
  void loadsFromABundleAndRejectsATamperedFile(@TempDir Path root) throws IOException {
    ModelBundle.create(root, "recovery", 1, Map.of("seed", 1))
        .put(
            Diagnoser.COMPONENT,
            "diagnosis.json",
            RootCauseModel.SCHEMA,
            Map.of("top1", 1.0),
            TAN::write)
        .commit();
    Diagnoser d = Diagnoser.load(ModelBundle.load(root, "recovery", 1));
    Map<Symptom, Double> s = new EnumMap<>(Symptom.class);
    PATTERNS.get(FailureMode.NETWORK_PARTITION).forEach(sy -> s.put(sy, 1.0));
    assertEquals(FailureMode.NETWORK_PARTITION, d.diagnose(observe(s)).best().mode());

    Path file = ModelBundle.versionDir(root, "recovery", 1).resolve("diagnosis.json");
    Files.writeString(file, Files.readString(file) + " ");
    ModelException e =
        assertThrows(
            ModelException.class, () -> Diagnoser.load(ModelBundle.load(root, "recovery", 1)));
    assertTrue(e.getMessage().contains("diagnosis.json"), e.getMessage());
  }

  private static String json() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RootCauseModel.fit(
            features().subList(0, 2),
            data(new Random(1), 5),
            new RootCauseModel.Options(1.0, RootCauseModel.Structure.NAIVE))
        .write(out);
    return out.toString(StandardCharsets.UTF_8);
  }

  private static IllegalArgumentException readError(String text) {
    return assertThrows(
        IllegalArgumentException.class,
        () ->
            RootCauseModel.read(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "net.json"));
  }

  @Test
  void corruptOrInconsistentFilesAreClearErrors() throws IOException {
    String ok = json();
    RootCauseModel.read(new ByteArrayInputStream(ok.getBytes(StandardCharsets.UTF_8)), "net.json");

    assertTrue(readError("{not json").getMessage().startsWith("net.json: not valid JSON"));
    assertTrue(
        readError(ok.replace(RootCauseModel.SCHEMA, "other/9")).getMessage().contains("schema"));
    // a CPT row that does not sum to one
    String badRow = ok.replaceFirst("\"cpt\" : \\[ \\[ 0\\.\\d+", "\"cpt\" : [ [ 0.999");
    IllegalArgumentException e = readError(badRow);
    assertTrue(
        e.getMessage().contains("net.json") && e.getMessage().contains("sums to"), e.getMessage());
    // an unknown parent
    e = readError(ok.replace("\"parents\" : [ \"cause\" ]", "\"parents\" : [ \"nope\" ]"));
    assertTrue(e.getMessage().contains("unknown parent"), e.getMessage());
    // a cycle: the cause depends on a feature that depends on it
    e =
        readError(
            ok.replaceFirst(
                "\"parents\" : \\[ \\]",
                "\"parents\" : [ \"" + Symptom.values()[0].name() + "\" ]"));
    assertTrue(e.getMessage().contains("cpt") || e.getMessage().contains("cycle"), e.getMessage());
    // cut points that do not match the network's states
    e = readError(ok.replaceFirst("\"cuts\" : \\[ 0\\.1, 0\\.5 \\]", "\"cuts\" : [ 0.5 ]"));
    assertTrue(e.getMessage().contains("states"), e.getMessage());
    // a cause state that is not a failure mode
    e = readError(ok.replace("\"DISK_FULL\"", "\"DISK_EMPTY\""));
    assertTrue(e.getMessage().contains("DISK_EMPTY"), e.getMessage());
    // missing network
    e =
        readError(
            "{\"schema\":\""
                + RootCauseModel.SCHEMA
                + "\",\"alpha\":1,\"structure\":\"NAIVE\","
                + "\"features\":[{\"name\":\"X\",\"cuts\":[0.5]}]}");
    assertTrue(e.getMessage().contains("variables"), e.getMessage());
  }

  @Test
  void networkValidationNamesTheVariable() {
    List<Variable> vars =
        List.of(new Variable("a", List.of("x", "y")), new Variable("b", List.of("u", "v")));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new BayesNet(
                    vars,
                    new int[][] {{1}, {0}},
                    new double[][] {{.5, .5, .5, .5}, {.5, .5, .5, .5}}));
    assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BayesNet(vars, new int[][] {{}, {0}}, new double[][] {{.5, .5}, {.5, .5}}));
    assertTrue(e.getMessage().contains("CPT of 'b'"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new BayesNet(vars, new int[][] {{}, {}}, new double[][] {{1.5, -0.5}, {.5, .5}}));
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
  }
}
