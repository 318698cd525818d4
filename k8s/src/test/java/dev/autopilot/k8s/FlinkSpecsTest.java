package dev.autopilot.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.PipelineConfig;
import dev.autopilot.api.PlatformException;
import dev.autopilot.api.PlatformException.Kind;
import dev.autopilot.api.testing.Snapshots;
import dev.autopilot.k8s.FlinkSpecs.OperatorVertices;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkDeploymentSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Reading a PipelineConfig out of a FlinkDeployment spec and the merge patch between two. */
class FlinkSpecsTest {
  private static final String W = "FlinkDeployment flink/orders";

  @ParameterizedTest
  @CsvSource({
    "16g, 16384",
    "16 gb, 16384",
    "16Gi, 16384",
    "16384m, 16384",
    "2048mb, 2048",
    "1G, 953.67431640625",
    "1048576, 1",
    "512Mi, 512"
  })
  void memorySizesInFlinkAndKubernetesNotation(String value, double mb) {
    assertEquals(mb, FlinkSpecs.memoryMb(W, "k", value), 1e-9);
  }

  @ParameterizedTest
  @CsvSource({
    "30 s, 30000",
    "30s, 30000",
    "1 min, 60000",
    "30000, 30000",
    "PT45S, 45000",
    "2 h, 7200000"
  })
  void durationsInFlinkNotation(String value, long millis) {
    assertEquals(millis, FlinkSpecs.durationMillis(W, "k", value));
  }

  @Test
  void malformedValuesNameTheKey() {
    PlatformException m =
        assertThrows(
            PlatformException.class,
            () -> FlinkSpecs.memoryMb(W, "spec.taskManager.resource.memory", "lots"));
    assertEquals(Kind.MALFORMED_RESPONSE, m.kind());
    assertTrue(m.getMessage().contains("spec.taskManager.resource.memory"), m.getMessage());
    assertEquals(
        Kind.MALFORMED_RESPONSE,
        assertThrows(
                PlatformException.class, () -> FlinkSpecs.durationMillis(W, "k", "30 fortnights"))
            .kind());
    assertEquals(
        Kind.MALFORMED_RESPONSE,
        assertThrows(PlatformException.class, () -> FlinkSpecs.parseOverrides(W, "abc:x")).kind());
    assertEquals(
        Kind.REJECTED,
        assertThrows(PlatformException.class, () -> OperatorVertices.parse(W, "source")).kind());
    assertEquals(
        Kind.REJECTED,
        assertThrows(PlatformException.class, () -> OperatorVertices.parse(W, "a=v1,a=v2")).kind());
  }

  @Test
  void networkMemoryFollowsFlinksDerivationWhenNotPinned() {
    // 16 GiB process: overhead capped at 1 GiB, Flink memory 15104 MiB, 10 % capped at 1 GiB
    assertEquals(1024, FlinkSpecs.networkMb(W, Map.of(), 16384));
    // 2 GiB process: overhead 204.8, Flink memory 1587.2, 10 % = 158.72
    assertEquals(159, FlinkSpecs.networkMb(W, Map.of(), 2048));
    assertEquals(
        256,
        FlinkSpecs.networkMb(
            W,
            Map.of(
                "taskmanager.memory.network.fraction",
                "0.2",
                "taskmanager.memory.network.max",
                "256m"),
            16384));
    assertEquals(
        48,
        FlinkSpecs.networkMb(
            W,
            Map.of(
                "taskmanager.memory.network.min", "48m", "taskmanager.memory.network.max", "48m"),
            16384));
  }

  @Test
  void theFixtureSpecReadsAsTheDefaultConfig() {
    FlinkDeployment fd = Fixtures.deployment("orders");
    OperatorVertices ops =
        OperatorVertices.parse(
            W, fd.getMetadata().getAnnotations().get("autopilot.dev/operator-vertices"));
    assertEquals(Snapshots.defaultConfig(), FlinkSpecs.configOf(W, fd.getSpec(), ops, null));
    assertEquals(
        12, FlinkSpecs.configOf(W, fd.getSpec(), ops, 12).taskManagers(), "standalone override");
  }

  @Test
  void withoutReplicasTheTaskManagersAreTheSlotsTheJobNeeds() {
    FlinkDeploymentSpec spec = Fixtures.deployment("orders").getSpec();
    spec.getTaskManager().setReplicas(null);
    spec.getJob().setParallelism(18);
    spec.getFlinkConfiguration().remove("pipeline.jobvertex-parallelism-overrides");
    PipelineConfig c = FlinkSpecs.configOf(W, spec, OperatorVertices.parse(W, null), null);
    assertEquals(Map.of("job", 18), c.parallelism());
    assertEquals(5, c.taskManagers(), "ceil(18 / 4 slots)");
  }

  @Test
  void thePatchOfEqualConfigsIsEmptyAndOtherwiseHoldsOnlyTheDifferences() {
    FlinkDeployment fd = Fixtures.deployment("orders");
    OperatorVertices ops =
        OperatorVertices.parse(
            W, fd.getMetadata().getAnnotations().get("autopilot.dev/operator-vertices"));
    PipelineConfig current = Snapshots.defaultConfig();
    assertTrue(FlinkSpecs.specPatch(W, fd.getSpec(), ops, current, current).isEmpty());

    Map<String, Object> slots =
        FlinkSpecs.specPatch(
            W,
            fd.getSpec(),
            ops,
            current,
            new PipelineConfig(current.parallelism(), 32, 30, 8, 4.0, 16.0, 2));
    assertEquals(Map.of("flinkConfiguration", Map.of("taskmanager.numberOfTaskSlots", "2")), slots);

    Map<String, Integer> lower = new LinkedHashMap<>(current.parallelism());
    lower.replaceAll((op, p) -> 8);
    Map<String, Object> down =
        FlinkSpecs.specPatch(W, fd.getSpec(), ops, current, current.withParallelism(lower));
    assertEquals(
        8, ((Map<?, ?>) down.get("job")).get("parallelism"), "job parallelism is the largest");
  }

  @Test
  void overridesRoundTrip() {
    Map<String, Integer> o = FlinkSpecs.parseOverrides(W, " a:1, b:22 ,");
    assertEquals(Map.of("a", 1, "b", 22), o);
    assertEquals("a:1,b:22", FlinkSpecs.formatOverrides(o));
  }
}
