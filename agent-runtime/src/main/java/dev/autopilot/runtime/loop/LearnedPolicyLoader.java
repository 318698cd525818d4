package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import dev.autopilot.agents.optimization.learned.LearnedPolicies;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.agents.optimization.policy.LearnedSettings;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root's one place that decides which learned policy the optimization agent gets
 * ({@code autopilot.optimization.learned}): none when disabled (the agent is DS2 alone, exactly as
 * before), else the pinned bundle version from the models directory, one instance per entity (a
 * policy keeps per-pipeline working memory and is not thread-safe).
 *
 * <p>Enabled, a node does not start without its policy: a missing reader, a missing or corrupt
 * bundle fails here, before any entity runs, with a message naming the directory and the version.
 * The bundle is read once, up front; each entity gets a {@link LearnedPolicy#fresh} instance of it
 * (the model shared, its own working memory), so an entity start does no I/O.
 *
 * <p>{@link #bundleReader()} names this build's bundle reader, {@link LearnedPolicies#load(Path,
 * int)} (the PPO policy bundles {@code train optimization} writes).
 */
public final class LearnedPolicyLoader {
  private static final Logger LOG = LoggerFactory.getLogger(LearnedPolicyLoader.class);

  private LearnedPolicyLoader() {}

  /** Reads one policy bundle version from a models directory. */
  @FunctionalInterface
  public interface BundleReader {
    /**
     * @param dir the models directory ({@code autopilot.optimization.learned.dir})
     * @param version the pinned version
     * @throws RuntimeException when the bundle is missing or does not verify
     */
    LearnedPolicy read(Path dir, int version);
  }

  /** The bundle reader of this build: the PPO policy bundles of {@code train optimization}. */
  static Optional<BundleReader> bundleReader() {
    return Optional.of(LearnedPolicies::load);
  }

  /** The optimization agent's learned-policy factory for this configuration. */
  public static Function<String, Optional<LearnedPolicy>> load(Config config) {
    return load(config, bundleReader());
  }

  /**
   * As {@link #load(Config)} with the bundle reader given (tests pass a fake one).
   *
   * @throws IllegalStateException when enabled and the reader is absent or the bundle cannot be
   *     read
   */
  public static Function<String, Optional<LearnedPolicy>> load(
      Config config, Optional<BundleReader> reader) {
    LearnedSettings settings = LearnedSettings.create(config);
    if (!settings.enabled()) {
      LOG.info("learned optimizer disabled (autopilot.optimization.learned.enabled = off): DS2");
      return pipeline -> Optional.empty();
    }
    BundleReader r =
        reader.orElseThrow(
            () ->
                new IllegalStateException(
                    "the learned optimizer is enabled (autopilot.optimization.learned.enabled = on)"
                        + " but this build has no policy bundle reader: plug"
                        + " LearnedPolicies::load into LearnedPolicyLoader.bundleReader(), or turn"
                        + " the learned optimizer off"));
    LearnedPolicy probe = read(r, settings);
    ShadowEvaluation e = probe.evaluation();
    LOG.info(
        "learned optimizer: policy v{} from {}, shadow evaluation {} DS2 on seeds {},"
            + " require-shadow-win = {}",
        probe.version(),
        settings.dir(),
        e != null && e.beatsBaseline() ? "beats" : "does not beat",
        e == null ? "[]" : e.validationSeeds(),
        settings.requireShadowWin());
    return pipeline -> Optional.of(probe.fresh());
  }

  private static LearnedPolicy read(BundleReader reader, LearnedSettings s) {
    LearnedPolicy policy;
    try {
      policy = reader.read(s.dir(), s.version());
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot load learned optimizer policy v"
              + s.version()
              + " from "
              + s.dir().toAbsolutePath()
              + " (autopilot.optimization.learned.dir / version; train one with `autopilot train"
              + " optimization`)",
          e);
    }
    if (policy == null) {
      throw new IllegalStateException(
          "the policy bundle reader returned no policy for v"
              + s.version()
              + " in "
              + s.dir().toAbsolutePath());
    }
    if (policy.version() != s.version()) {
      throw new IllegalStateException(
          "asked for learned optimizer policy v"
              + s.version()
              + " in "
              + s.dir().toAbsolutePath()
              + ", the bundle says v"
              + policy.version());
    }
    return policy;
  }
}
