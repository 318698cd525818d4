package dev.autopilot.api.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A versioned set of trained model files of one family (for example {@code recovery}): the files
 * plus a {@code manifest.json} that records, per component, its file, SHA-256, feature schema and
 * validation metrics, and for the bundle how it was trained (seed, weeks).
 *
 * <p>Layout: {@code <root>/<family>/v<version>/manifest.json} and the component files beside it.
 * A bundle is written into a temporary directory and renamed into place on {@link Writer#commit()},
 * so a reader never sees half a bundle. {@link #load} looks in the directory first and then on the
 * classpath under {@code models/<family>/v<version>/}, where the pinned release bundle ships. Every
 * file's digest is checked when it is opened: a corrupt or swapped file is a clear error naming the
 * file, never a silently wrong model.
 */
public final class ModelBundle {

  /** The manifest's file name. */
  public static final String MANIFEST = "manifest.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One model file.
   *
   * @param file file name inside the bundle
   * @param sha256 hex digest of the file
   * @param featureSchema name and version of the features the model reads, e.g. {@code
   *     recovery-iforest/1}
   * @param metrics validation metrics (name to value)
   */
  public record Component(
      String file, String sha256, String featureSchema, Map<String, Object> metrics) {}

  /**
   * The bundle's manifest.
   *
   * @param family model family
   * @param version bundle version
   * @param createdAt ISO-8601 instant
   * @param training how the bundle was trained (seed, weeks, sample counts)
   * @param components component name to component
   */
  public record Manifest(
      String family,
      int version,
      String createdAt,
      Map<String, Object> training,
      Map<String, Component> components) {}

  private final String location;
  private final Manifest manifest;
  private final Path dir; // null when on the classpath
  private final String resourcePrefix; // null when in a directory
  /** Component bytes already read and checked: later reads (one per pipeline entity) do no I/O. */
  private final java.util.concurrent.ConcurrentMap<String, byte[]> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  private ModelBundle(String location, Manifest manifest, Path dir, String resourcePrefix) {
    this.location = location;
    this.manifest = manifest;
    this.dir = dir;
    this.resourcePrefix = resourcePrefix;
  }

  /** The directory of one bundle version under a root. */
  public static Path versionDir(Path root, String family, int version) {
    return root.resolve(family).resolve("v" + version);
  }

  /** The highest committed version under {@code root}, if any. */
  public static Optional<Integer> latestVersion(Path root, String family) {
    Path familyDir = root.resolve(family);
    if (!Files.isDirectory(familyDir)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(familyDir)) {
      return s.filter(p -> Files.isRegularFile(p.resolve(MANIFEST)))
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("v\\d+"))
          .map(n -> Integer.parseInt(n.substring(1)))
          .max(Comparator.naturalOrder());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list model bundles in " + familyDir, e);
    }
  }

  /**
   * Loads a pinned version: from {@code root} when it holds it, else from the classpath.
   *
   * @param root directory of bundles, or null for the classpath only
   * @param family model family
   * @param version pinned version
   * @throws ModelException when the version is in neither place or its manifest is unreadable
   */
  public static ModelBundle load(Path root, String family, int version) {
    if (root != null) {
      Path dir = versionDir(root, family, version);
      Path manifestFile = dir.resolve(MANIFEST);
      if (Files.isRegularFile(manifestFile)) {
        try (InputStream in = Files.newInputStream(manifestFile)) {
          return new ModelBundle(dir.toString(), readManifest(in, manifestFile.toString()), dir, null);
        } catch (IOException e) {
          throw new ModelException("cannot read " + manifestFile + ": " + e.getMessage(), e);
        }
      }
    }
    String prefix = "models/" + family + "/v" + version + "/";
    InputStream in = ModelBundle.class.getClassLoader().getResourceAsStream(prefix + MANIFEST);
    if (in == null) {
      throw new ModelException(
          "model bundle "
              + family
              + " v"
              + version
              + " not found"
              + (root == null ? "" : " in " + versionDir(root, family, version))
              + " nor on the classpath ("
              + prefix
              + "); train it with `autopilot train "
              + family
              + "`");
    }
    try (in) {
      return new ModelBundle("classpath:" + prefix, readManifest(in, prefix + MANIFEST), null, prefix);
    } catch (IOException e) {
      throw new ModelException("cannot read " + prefix + MANIFEST + ": " + e.getMessage(), e);
    }
  }

  private static Manifest readManifest(InputStream in, String where) {
    try {
      Manifest m = JSON.readValue(in, Manifest.class);
      if (m.family() == null || m.components() == null) {
        throw new ModelException(where + ": manifest lacks family or components");
      }
      return m;
    } catch (IOException e) {
      throw new ModelException(where + ": not a valid model manifest: " + e.getMessage(), e);
    }
  }

  public Manifest manifest() {
    return manifest;
  }

  public int version() {
    return manifest.version();
  }

  /** Where the bundle was read from (a directory or {@code classpath:...}). */
  public String location() {
    return location;
  }

  public boolean has(String component) {
    return manifest.components().containsKey(component);
  }

  public Component component(String name) {
    Component c = manifest.components().get(name);
    if (c == null) {
      throw new ModelException(
          "model bundle " + location + " has no component '" + name + "'; it has "
              + manifest.components().keySet());
    }
    return c;
  }

  /**
   * The bytes of a component, after checking its digest. The file is read and checked once per
   * bundle instance; later calls return a copy from memory.
   *
   * @throws ModelException when the file is missing or its digest differs from the manifest's
   */
  public byte[] read(String name) {
    return verified.computeIfAbsent(name, this::readAndVerify).clone();
  }

  private byte[] readAndVerify(String name) {
    Component c = component(name);
    byte[] bytes;
    try (InputStream in = rawOpen(c.file())) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new ModelException("cannot read " + location + "/" + c.file() + ": " + e.getMessage(), e);
    }
    String digest = sha256(bytes);
    if (!digest.equals(c.sha256())) {
      throw new ModelException(
          location + "/" + c.file() + " is corrupt: SHA-256 " + digest + ", manifest says " + c.sha256());
    }
    return bytes;
  }

  /** A component as a stream, after checking its digest. */
  public InputStream open(String name) {
    return new ByteArrayInputStream(verified.computeIfAbsent(name, this::readAndVerify));
  }

  private InputStream rawOpen(String file) throws IOException {
    if (dir != null) {
      return Files.newInputStream(dir.resolve(file));
    }
    InputStream in = ModelBundle.class.getClassLoader().getResourceAsStream(resourcePrefix + file);
    if (in == null) {
      throw new IOException("missing on the classpath: " + resourcePrefix + file);
    }
    return in;
  }

  /**
   * Starts a new bundle version under {@code root}.
   *
   * @param root directory of bundles
   * @param family model family
   * @param version version to write; it must not exist yet
   * @param training how it was trained (seed, weeks, ...)
   */
  public static Writer create(Path root, String family, int version, Map<String, Object> training) {
    Path target = versionDir(root, family, version);
    if (Files.exists(target)) {
      throw new ModelException(target + " exists already; model versions are immutable");
    }
    try {
      Files.createDirectories(target.getParent());
      Path tmp = Files.createTempDirectory(target.getParent(), ".v" + version + "-");
      return new Writer(family, version, training, tmp, target);
    } catch (IOException e) {
      throw new ModelException("cannot create " + target + ": " + e.getMessage(), e);
    }
  }

  /** Writes a bundle; nothing is visible until {@link #commit()}. */
  public static final class Writer {
    private final String family;
    private final int version;
    private final Map<String, Object> training;
    private final Path tmp;
    private final Path target;
    private final Map<String, Component> components = new LinkedHashMap<>();

    private Writer(String family, int version, Map<String, Object> training, Path tmp, Path target) {
      this.family = family;
      this.version = version;
      this.training = new LinkedHashMap<>(training);
      this.tmp = tmp;
      this.target = target;
    }

    /** Writes the bytes a callback produces as one component. */
    public synchronized Writer put(
        String name, String file, String featureSchema, Map<String, Object> metrics, IoWriter body) {
      Objects.requireNonNull(body);
      if (components.containsKey(name)) {
        throw new IllegalArgumentException("component " + name + " written twice");
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        body.write(bytes);
        Files.write(tmp.resolve(file), bytes.toByteArray());
      } catch (IOException e) {
        throw new ModelException("cannot write " + file + ": " + e.getMessage(), e);
      }
      components.put(
          name,
          new Component(file, sha256(bytes.toByteArray()), featureSchema, new LinkedHashMap<>(metrics)));
      return this;
    }

    /** Adds a training fact to the manifest (for example sample counts). */
    public synchronized Writer training(String key, Object value) {
      training.put(key, value);
      return this;
    }

    /** The directory the bundle will have once committed. */
    public Path target() {
      return target;
    }

    /** Writes the manifest and moves the bundle into place. */
    public synchronized Path commit() {
      Manifest m = new Manifest(family, version, Instant.now().toString(), training, components);
      try {
        JSON.writeValue(tmp.resolve(MANIFEST).toFile(), m);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
      } catch (IOException e) {
        throw new ModelException("cannot commit " + target + ": " + e.getMessage(), e);
      }
    }
  }

  /** Writes one component's bytes. */
  @FunctionalInterface
  public interface IoWriter {
    void write(OutputStream out) throws IOException;
  }

  /** Hex SHA-256 of bytes, as the manifest records it. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
