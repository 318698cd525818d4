package dev.autopilot.api.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

  @TempDir Path root;

  @Test
  void writesAndReadsAVersionWithItsMetrics() {
    ModelBundle.create(root, "recovery", 3, Map.of("seed", 42))
        .put("iforest", "iforest.bin", "recovery-iforest/1", Map.of("auc", 0.93),
            out -> out.write("forest".getBytes(StandardCharsets.UTF_8)))
        .commit();
    assertEquals(Optional.of(3), ModelBundle.latestVersion(root, "recovery"));
    ModelBundle b = ModelBundle.load(root, "recovery", 3);
    assertEquals(3, b.version());
    assertEquals(42, b.manifest().training().get("seed"));
    assertEquals("recovery-iforest/1", b.component("iforest").featureSchema());
    assertEquals(0.93, b.component("iforest").metrics().get("auc"));
    assertArrayEquals("forest".getBytes(StandardCharsets.UTF_8), b.read("iforest"));
  }

  @Test
  void aCorruptFileIsAClearErrorNamingIt() throws Exception {
    Path dir =
        ModelBundle.create(root, "recovery", 1, Map.of())
            .put("ae", "ae.params", "s/1", Map.of(), out -> out.write(new byte[] {1, 2, 3}))
            .commit();
    Files.write(dir.resolve("ae.params"), new byte[] {1, 2, 4});
    ModelException e =
        assertThrows(ModelException.class, () -> ModelBundle.load(root, "recovery", 1).read("ae"));
    assertTrue(e.getMessage().contains("ae.params is corrupt"), e.getMessage());
  }

  @Test
  void versionsAreImmutableAndMissingOnesAreNamed() {
    ModelBundle.create(root, "recovery", 1, Map.of()).commit();
    assertThrows(ModelException.class, () -> ModelBundle.create(root, "recovery", 1, Map.of()));
    ModelException e =
        assertThrows(ModelException.class, () -> ModelBundle.load(root, "recovery", 99));
    assertTrue(e.getMessage().contains("v99 not found"), e.getMessage());
  }

  @Test
  void anUncommittedBundleIsInvisible() {
    ModelBundle.create(root, "recovery", 5, Map.of())
        .put("x", "x.bin", "s/1", Map.of(), out -> out.write(1));
    assertEquals(Optional.empty(), ModelBundle.latestVersion(root, "recovery"));
  }

  @Test
  void aComponentIsReadOnceAndCallersGetTheirOwnCopy() throws Exception {
    Path dir =
        ModelBundle.create(root, "recovery", 2, Map.of())
            .put("ae", "ae.params", "s/1", Map.of(), out -> out.write(new byte[] {1, 2, 3}))
            .commit();
    ModelBundle b = ModelBundle.load(root, "recovery", 2);
    byte[] first = b.read("ae");
    first[0] = 9;
    Files.delete(dir.resolve("ae.params"));
    assertArrayEquals(new byte[] {1, 2, 3}, b.read("ae"), "read from memory, unaffected by the caller");
    assertArrayEquals(new byte[] {1, 2, 3}, b.open("ae").readAllBytes());
  }
}
