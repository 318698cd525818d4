package dev.autopilot.runtime.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.optimization.learned.LearnedPolicy;
import dev.autopilot.agents.optimization.learned.ShadowEvaluation;
import dev.autopilot.api.SlaSpec;
import dev.autopilot.api.TelemetrySnapshot;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which learned policy the optimization agent gets, and how a missing one fails. */
class LearnedPolicyLoaderTest {
  private static final Config ENABLED =
      ConfigFactory.parseString(
              "autopilot.optimization.learned { enabled = on, dir = /no/models, version = 3 }")
          .withFallback(ConfigFactory.load());

  record Fake(int version) implements LearnedPolicy {
    @Override
    public LearnedPolicy fresh() {
      return new Fake(version); // another instance, as a policy with working memory gives
    }

    @Override
    public Optional<Recommendation> recommend(TelemetrySnapshot snapshot, SlaSpec sla) {
      return Optional.empty();
    }

    @Override
    public ShadowEvaluation evaluation() {
      return ShadowEvaluation.none();
    }
  }

  @Test
  void disabledGivesNoPolicyAndReadsNothing() {
    var factory =
        LearnedPolicyLoader.load(
            ConfigFactory.parseString("autopilot.optimization.learned.enabled = off")
                .withFallback(ConfigFactory.load()),
            Optional.of(
                (dir, v) -> {
                  throw new AssertionError("read while disabled");
                }));
    assertEquals(Optional.empty(), factory.apply("p1"));
  }

  @Test
  void enabledWithoutTheBundleFailsClearlyInsteadOfRunningDs2() {
    // the build's own reader (LearnedPolicies::load): /no/models holds no v3 and no release
    // bundle v3 ships on the classpath
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> LearnedPolicyLoader.load(ENABLED));
    assertTrue(e.getMessage().contains("policy v3 from /no/models"), e.getMessage());
    assertTrue(e.getMessage().contains("train optimization"), e.getMessage());
  }

  @Test
  void aMissingBundleOrAnotherVersionFailsNamingDirAndVersion() {
    IllegalStateException missing =
        assertThrows(
            IllegalStateException.class,
            () ->
                LearnedPolicyLoader.load(
                    ENABLED,
                    Optional.of(
                        (dir, v) -> {
                          throw new IllegalArgumentException("no manifest.json");
                        })));
    assertTrue(missing.getMessage().contains("policy v3 from /no/models"), missing.getMessage());
    assertEquals("no manifest.json", missing.getCause().getMessage());

    IllegalStateException other =
        assertThrows(
            IllegalStateException.class,
            () -> LearnedPolicyLoader.load(ENABLED, Optional.of((dir, v) -> new Fake(2))));
    assertTrue(other.getMessage().contains("the bundle says v2"), other.getMessage());
  }

  @Test
  void everyEntityGetsItsOwnInstanceOfTheBundleReadOnce() {
    java.util.concurrent.atomic.AtomicInteger reads = new java.util.concurrent.atomic.AtomicInteger();
    var factory =
        LearnedPolicyLoader.load(
            ENABLED,
            Optional.of(
                (dir, v) -> {
                  reads.incrementAndGet();
                  return new Fake(v);
                }));
    LearnedPolicy a = factory.apply("p1").orElseThrow();
    LearnedPolicy b = factory.apply("p2").orElseThrow();
    assertEquals(3, a.version());
    assertNotSame(a, b);
    assertEquals(1, reads.get(), "the bundle is read once, not per entity start");
  }
}
