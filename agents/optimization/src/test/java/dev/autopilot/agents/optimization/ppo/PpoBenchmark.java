package dev.autopilot.agents.optimization.ppo;

import dev.autopilot.agents.optimization.rl.Environment;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Speed of PPO with the default settings (45-256-128-64 networks, 2048-step rollouts, 10 epochs of
 * minibatch 32 = 640 update steps) against a trivial environment, so that the figures are the
 * trainer's own: one whole iteration, and one plain-Java policy inference. A benchmark, not a test.
 * Run from {@code agents/optimization} after building the test classpath:
 *
 * <pre>
 * mvn -B -q -o -pl agents/optimization -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) org.openjdk.jmh.Main PpoBenchmark
 * java -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *     dev.autopilot.agents.optimization.ppo.PpoBenchmark --cpu-time
 * </pre>
 *
 * The second form prints the thread CPU time and wall time of each of a few iterations, their
 * update part, and the time per update step (PyTorch runs one intra-op thread, on the caller's
 * thread, so thread CPU time is the work itself, whatever else the machine runs).
 */
@State(Scope.Thread)
@Fork(1)
public class PpoBenchmark {

  /** States of 45 values that barely change, a reward from the first action, 200-step episodes. */
  static final class TrivialEnv implements Environment {
    private int t;

    @Override
    public int stateSize() {
      return 45;
    }

    @Override
    public int actionSize() {
      return 8;
    }

    @Override
    public double[] reset(long seed) {
      t = 0;
      return new double[45];
    }

    @Override
    public Step step(double[] action) {
      t++;
      double[] s = new double[45];
      s[0] = t % 7;
      return new Step(s, action[0], t % 200 == 0, new StepInfo(1, true, 1, 0, 0.5, 0));
    }
  }

  private PpoTrainer trainer;
  private TrivialEnv env;
  private PpoPolicy policy;
  private double[] state;

  @Setup(Level.Trial)
  public void setUp() {
    trainer = new PpoTrainer(PpoSettings.defaults(), 45, 8, 1);
    env = new TrivialEnv();
    policy = trainer.policy();
    Random r = new Random(1);
    state = new double[45];
    for (int i = 0; i < state.length; i++) {
      state[i] = r.nextGaussian();
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    trainer.close();
  }

  /** One PPO iteration: a 2048-step rollout and 640 minibatch steps. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  public IterationStats iteration() {
    return trainer.iterate(env, () -> 1);
  }

  /** One deterministic action of the plain-Java policy. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 2, time = 2)
  @Measurement(iterations = 3, time = 3)
  public double[] act() {
    return policy.act(state);
  }

  /** Runs the benchmarks, or with {@code --cpu-time [iterations]} the CPU-time measurement. */
  public static void main(String[] args) throws RunnerException {
    if (args.length >= 1 && args[0].equals("--cpu-time")) {
      int n = args.length > 1 ? Integer.parseInt(args[1]) : 6;
      PpoBenchmark b = new PpoBenchmark();
      b.setUp();
      ThreadMXBean mx = ManagementFactory.getThreadMXBean();
      PpoSettings s = PpoSettings.defaults();
      int steps = s.epochs() * ((s.rolloutSteps() + s.minibatch() - 1) / s.minibatch());
      for (int i = 0; i < n; i++) {
        long cpu0 = mx.getCurrentThreadCpuTime();
        IterationStats it = b.iteration();
        double cpu = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        double update = b.trainer.lastUpdateSeconds();
        System.out.printf(
            "iteration %d: %.3f s CPU, %.3f s wall (update %.3f s wall, rollout %.3f s wall);"
                + " per update step %.2f ms CPU (upper bound: all CPU / %d), %.2f ms wall%n",
            it.iteration(),
            cpu,
            it.seconds(),
            update,
            it.seconds() - update,
            cpu * 1000 / steps,
            steps,
            update * 1000 / steps);
      }
      b.tearDown();
      return;
    }
    new Runner(new OptionsBuilder().include(PpoBenchmark.class.getSimpleName()).build()).run();
  }
}
