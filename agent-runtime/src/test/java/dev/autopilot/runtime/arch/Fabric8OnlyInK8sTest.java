package dev.autopilot.runtime.arch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md section 1: only the k8s module imports fabric8. Scans the main sources of every other
 * module (this test runs in agent-runtime, whose parent directory is the project root).
 */
class Fabric8OnlyInK8sTest {

  @Test
  void noMainSourceOutsideK8sImportsFabric8() throws IOException {
    Path root = Path.of("").toAbsolutePath().getParent();
    assertTrue(Files.isDirectory(root.resolve("k8s/src/main/java")), "project root: " + root);
    List<Path> offenders;
    try (Stream<Path> files = Files.walk(root)) {
      offenders =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> root.relativize(f).toString().contains("src/main/java"))
              .filter(f -> !root.relativize(f).startsWith("k8s"))
              .filter(Fabric8OnlyInK8sTest::importsFabric8)
              .map(root::relativize)
              .toList();
    }
    assertEquals(List.of(), offenders);
  }

  /**
   * The fabric8 package, spelled in pieces so that this file does not itself look like a fabric8
   * import to a plain text search of the sources.
   */
  private static final String FABRIC8 = String.join(".", "io", "fabric8", "");

  private static boolean importsFabric8(Path file) {
    try (Stream<String> lines = Files.lines(file)) {
      return lines.anyMatch(
          l -> l.startsWith("import " + FABRIC8) || l.startsWith("import static " + FABRIC8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
