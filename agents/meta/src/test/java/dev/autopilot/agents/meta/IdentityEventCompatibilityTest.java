package dev.autopilot.agents.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.agents.meta.policy.Mode;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link MetaAgent.ModeChanged} gained {@code requestedBy}: events journaled before it still read,
 * with no identity, and new ones round-trip it.
 */
class IdentityEventCompatibilityTest {
  private static final ActorTestKit TESTKIT = ActorTestKit.create("IdentityEventCompatibility");

  @AfterAll
  static void stop() {
    TESTKIT.shutdownTestKit();
  }

  @Test
  void aModeChangeWithoutRequestedByStillReadsAndANewOneKeepsIt() {
    Serialization serialization = SerializationExtension.get(TESTKIT.system());
    MetaAgent.ModeChanged now =
        new MetaAgent.ModeChanged("p", 7, Mode.AUTONOMOUS, Mode.SHADOW, "alice");
    Serializer serializer = serialization.findSerializerFor(now);
    String manifest = Serializers.manifestFor(serializer, now);
    byte[] bytes = serialization.serialize(now).get();
    assertEquals(now, serialization.deserialize(bytes, serializer.identifier(), manifest).get());

    String json = new String(bytes, StandardCharsets.UTF_8);
    assertTrue(json.contains("\"requestedBy\":\"alice\""), json);
    byte[] old = json.replace(",\"requestedBy\":\"alice\"", "").getBytes(StandardCharsets.UTF_8);
    MetaAgent.ModeChanged read =
        (MetaAgent.ModeChanged)
            serialization.deserialize(old, serializer.identifier(), manifest).get();
    assertEquals(Mode.SHADOW, read.to());
    assertNull(read.requestedBy());
    assertEquals("mode AUTONOMOUS -> SHADOW", read.summary());
  }
}
