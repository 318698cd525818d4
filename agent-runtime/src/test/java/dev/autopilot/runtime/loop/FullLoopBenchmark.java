package dev.autopilot.runtime.loop;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.autopilot.runtime.RuntimeConfig;
import dev.autopilot.runtime.cluster.AutopilotNode;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import dev.autopilot.runtime.telemetry.TelemetryGateway;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Speed of the full control loop with the agents: ticks per second of observe, gateway
 * validation, the three agents, the meta-agent's decision, the actuator, the H2 journal and
 * advance, on a one-node cluster, for one pipeline of the default scenario (generated workload and
 * scheduled faults). A benchmark, not a test: run it from the command line (README, "Speed").
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
public class FullLoopBenchmark {

  @Param({"1"})
  public int pipelines;

  private Path dir;
  private AutopilotNode node;
  private ControlLoop loop;
  private SimulatedPlatform platform;
  private List<String> ids;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("autopilot-bench");
    Config config =
        RuntimeConfig.load(
            "local",
            RuntimeConfig.database(
                    "jdbc:h2:file:" + dir.resolve("journal") + ";DATABASE_TO_UPPER=false",
                    "sa",
                    "")
                .withFallback(
                    ConfigFactory.parseString(
                        "autopilot.metrics.port = 0\nautopilot.node.management-enabled = off\n"
                            + "pekko.loglevel = WARNING")));
    SimSettings sim = SimSettings.create(config);
    platform = new SimulatedPlatform(sim, Scenario.defaultScenario(sim, 42, 28, pipelines));
    ids = platform.pipelines().stream().sorted().toList();
    node = AutopilotNode.start(config, system -> AgentEntities.init(system, platform));
    node.awaitUp();
    loop = ControlLoop.start(node, PipelineSlas.of(config, ids));
  }

  /** One tick of every pipeline through the whole loop, then the platform advances. */
  @Benchmark
  public int tick() {
    int closed = 0;
    for (String p : ids) {
      TelemetryGateway.IngestResult r = loop.submitAndWait(platform.observe(p));
      if (r instanceof LoopResult.TickCompleted) {
        closed++;
      }
    }
    platform.advance();
    return closed;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    node.close();
  }

  /** Runs the benchmark with the annotations' configuration. */
  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(FullLoopBenchmark.class.getSimpleName()).build()).run();
  }
}
