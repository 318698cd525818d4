package dev.autopilot.agents.optimization.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.api.model.ModelException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The plain-Java policy and its codec (no DJL involved). */
class PpoPolicyTest {

  private static PpoPolicy policy;

  @BeforeAll
  static void build() {
    Random r = new Random(5);
    int[] hidden = {16, 8};
    Mlp actor = Mlp.xavier(6, hidden, 3, r);
    Mlp critic = Mlp.xavier(6, hidden, 1, r);
    double[] mean = new double[6];
    double[] var = new double[6];
    for (int i = 0; i < 6; i++) {
      mean[i] = r.nextGaussian();
      var[i] = 0.5 + r.nextDouble();
    }
    policy = new PpoPolicy(mean, var, 123.0, new float[] {-0.5f, -1f, 0.2f}, actor, critic);
  }

  private static double[] state(Random r) {
    double[] s = new double[6];
    for (int i = 0; i < s.length; i++) {
      s[i] = r.nextGaussian() * 3;
    }
    return s;
  }

  @Test
  void roundTripGivesTheSameActionsValuesAndBytes() {
    byte[] bytes = policy.toBytes();
    PpoPolicy back = PpoPolicy.fromBytes(bytes, "test");
    assertArrayEquals(bytes, back.toBytes());
    assertEquals(6, back.stateSize());
    assertEquals(3, back.actionSize());
    assertEquals(List.of(16, 8), back.hidden());
    assertArrayEquals(policy.logStd(), back.logStd(), 0);
    Random r = new Random(1);
    for (int i = 0; i < 50; i++) {
      double[] s = state(r);
      assertArrayEquals(policy.act(s), back.act(s), 0);
      assertEquals(policy.value(s), back.value(s), 0);
      assertArrayEquals(policy.sample(s, new Random(i)), back.sample(s, new Random(i)), 0);
    }
  }

  @Test
  void actionsAreTanhMeansAndSamplesSpreadByTheLogStd() {
    Random r = new Random(2);
    double[] s = state(r);
    double[] a = policy.act(s);
    for (double v : a) {
      assertTrue(v >= -1 && v <= 1, Arrays.toString(a));
    }
    int n = 20000;
    double[] sum = new double[3];
    double[] sq = new double[3];
    Random noise = new Random(9);
    for (int i = 0; i < n; i++) {
      double[] x = policy.sample(s, noise);
      for (int k = 0; k < 3; k++) {
        sum[k] += x[k];
        sq[k] += (x[k] - a[k]) * (x[k] - a[k]);
      }
    }
    double[] logStd = policy.logStd();
    for (int k = 0; k < 3; k++) {
      assertEquals(a[k], sum[k] / n, 0.03);
      assertEquals(Math.exp(logStd[k]), Math.sqrt(sq[k] / n), 0.03);
    }
    assertEquals(Gaussian.logProb(a, a, logStd), policy.logProb(s, a), 1e-12);
  }

  @Test
  void rejectsStatesOfTheWrongShape() {
    assertThrows(IllegalArgumentException.class, () -> policy.act(new double[5]));
    assertThrows(IllegalArgumentException.class, () -> policy.value(null));
    double[] s = new double[6];
    s[2] = Double.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.act(s));
    assertTrue(e.getMessage().contains("state[2]"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 7, 15, 40, 200, -1})
  void truncatedBytesAreAModelExceptionNamingTheSource(int length) {
    byte[] bytes = policy.toBytes();
    byte[] cut = Arrays.copyOf(bytes, length < 0 ? bytes.length - 1 : length);
    ModelException e =
        assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(cut, "models/ppo.bin"));
    assertTrue(e.getMessage().startsWith("models/ppo.bin: "), e.getMessage());
  }

  @Test
  void aFlippedWeightByteIsCaughtByTheChecksum() {
    byte[] bytes = policy.toBytes();
    bytes[bytes.length / 2] ^= 0x01;
    ModelException e = assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(bytes, "b"));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void otherCorruptionsAreClearModelExceptions() {
    byte[] good = policy.toBytes();
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertTrue(
        assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(magic, "m"))
            .getMessage()
            .contains("not a PPO policy"));
    byte[] version = good.clone();
    version[7] = 9;
    assertTrue(
        assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(version, "v"))
            .getMessage()
            .contains("format 9"));
    byte[] size = good.clone();
    size[8] = (byte) 0xff; // negative state size
    assertTrue(
        assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(size, "s"))
            .getMessage()
            .contains("implausible state size"));
    byte[] longer = Arrays.copyOf(good, good.length + 3);
    assertTrue(
        assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(longer, "l"))
            .getMessage()
            .contains("unexpected bytes"));
    assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(null, "n"));
    Random r = new Random(4);
    for (int i = 0; i < 200; i++) {
      byte[] garbage = new byte[r.nextInt(600)];
      r.nextBytes(garbage);
      assertThrows(ModelException.class, () -> PpoPolicy.fromBytes(garbage, "g"));
    }
  }
}
