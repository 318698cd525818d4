package dev.autopilot.api.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Process-wide settings for the model libraries, applied once before DJL or Smile is first used.
 *
 * <p>DJL must never download: it runs with {@code ai.djl.offline=true} and extracts the PyTorch
 * native library that ships on the classpath ({@code pytorch-native-cpu}) into a writable cache.
 * JNA and JavaCPP (Smile's natives) also need writable directories. The cache root is, in order:
 * the system property {@code autopilot.model.cache}, the environment variable {@code
 * AUTOPILOT_CACHE_DIR}, or {@code <java.io.tmpdir>/autopilot-cache-<user>}. Settings the caller
 * already made (system properties) are kept.
 *
 * <p>This class only sets system properties, so it has no dependency on the model libraries.
 */
public final class ModelRuntime {

  private static volatile Path configured;

  private ModelRuntime() {}

  /**
   * Applies the offline settings once; later calls return the same cache root.
   *
   * @return the cache root in use
   */
  public static synchronized Path configureOffline() {
    if (configured != null) {
      return configured;
    }
    Path root = cacheRoot();
    setIfAbsent("ai.djl.offline", "true");
    setIfAbsent("DJL_CACHE_DIR", dir(root.resolve("djl")).toString());
    setIfAbsent("ENGINE_CACHE_DIR", dir(root.resolve("engine")).toString());
    setIfAbsent("jna.tmpdir", dir(root.resolve("jna")).toString());
    setIfAbsent("org.bytedeco.javacpp.cachedir", dir(root.resolve("javacpp")).toString());
    // One intra-op thread per predictor: the control loop runs many small inferences, and the
    // machine has 2 cores shared with the actor system.
    setIfAbsent("ai.djl.pytorch.num_threads", "1");
    setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    setIfAbsent("ai.djl.default_engine", "PyTorch");
    configured = root;
    return root;
  }

  static Path cacheRoot() {
    String prop = System.getProperty("autopilot.model.cache");
    if (prop != null && !prop.isBlank()) {
      return Path.of(prop).toAbsolutePath();
    }
    String env = System.getenv("AUTOPILOT_CACHE_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env).toAbsolutePath();
    }
    String user = System.getProperty("user.name", "user").replaceAll("[^A-Za-z0-9_.-]", "_");
    return Path.of(System.getProperty("java.io.tmpdir"), "autopilot-cache-" + user).toAbsolutePath();
  }

  private static Path dir(Path p) {
    try {
      return Files.createDirectories(p);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create model cache directory " + p, e);
    }
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
