package dev.autopilot.runtime.bench;

import dev.autopilot.api.FailureMode;
import dev.autopilot.api.SlaSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small deterministic stand-in for the simulator-backed runner, for the harness tests only: a
 * sine-shaped demand, a capacity that follows the parallelism, faults at seeded ticks that each
 * controller detects and resolves after its own fixed delays.
 */
final class FakeScenarioRunner implements ScenarioRunner {

  private final double ticksPerSecond;
  final List<ControllerKind> calls = new ArrayList<>();

  FakeScenarioRunner(double ticksPerSecond) {
    this.ticksPerSecond = ticksPerSecond;
  }

  @Override
  public ControllerRun run(
      Scenario scenario, ControllerKind controller, ProgressListener progress) {
    calls.add(controller);
    long total = scenario.totalTicks();
    long detectDelay =
        switch (controller) {
          case STATIC -> 75;
          case RULE_BASED, DS2, FKO -> 27;
          case AGENTS -> 3;
          case AGENTS_NO_PREDICTION -> 4;
          case AGENTS_NO_OPTIMIZATION -> 3;
          case AGENTS_LEARNED -> 3;
        };
    long resolveDelay = detectDelay + 6;
    Map<String, SlaSpec> slas = new LinkedHashMap<>();
    List<FaultRecord> faults = new ArrayList<>();
    List<String> pipelines = new ArrayList<>();
    for (int p = 1; p <= scenario.pipelines(); p++) {
      String id = "p" + p;
      pipelines.add(id);
      slas.put(id, new SlaSpec(800_000, 500, 0.05));
    }
    Random schedule = new Random(scenario.seed());
    FailureMode[] modes = FailureMode.values();
    for (int i = 0; i < scenario.faults(); i++) {
      long at = schedule.nextLong(Math.max(1, total - 1));
      String pipeline = pipelines.get(i % pipelines.size());
      Long detected = at + detectDelay < total ? at + detectDelay : null;
      Long resolved = at + resolveDelay < total ? at + resolveDelay : null;
      faults.add(
          new FaultRecord(
              "f" + i,
              modes[i % modes.length].name(),
              pipeline,
              at,
              detected,
              resolved,
              controller == ControllerKind.AGENTS && resolved != null,
              false));
    }
    faults.sort(
        java.util.Comparator.comparingLong(FaultRecord::injectedTick)
            .thenComparing(FaultRecord::id));

    List<TickRecord> ticks = new ArrayList<>();
    List<ConfigChangeRecord> changes = new ArrayList<>();
    Random noise = new Random(scenario.seed() * 31 + controller.ordinal());
    // the offered load is the scenario's, the same for every controller (the runner contract)
    Random workload = new Random(scenario.seed() * 17);
    Map<String, double[]> cum = new LinkedHashMap<>();
    for (long t = 0; t < total; t++) {
      for (String pipeline : pipelines) {
        double offered =
            850_000 * (1 + 0.5 * Math.sin(2 * Math.PI * t / 8640.0))
                + workload.nextGaussian() * 5_000;
        int parallelism =
            controller == ControllerKind.STATIC
                ? 128
                : 96 + (int) (32 * Math.sin(2 * Math.PI * t / 8640.0));
        double capacity = parallelism * 10_000.0;
        List<String> active = new ArrayList<>();
        for (FaultRecord f : faults) {
          long end = f.resolvedTick() == null ? total : f.resolvedTick();
          if (f.pipelineId().equals(pipeline) && t >= f.injectedTick() && t < end) {
            active.add(f.id());
          }
        }
        double processed = Math.min(offered, capacity) * (active.isEmpty() ? 1 : 0.5);
        double latency =
            120 + (processed < offered ? 900 : 0) + Math.abs(noise.nextGaussian()) * 20;
        List<String> actions = new ArrayList<>();
        if (controller != ControllerKind.STATIC && t % 360 == 0 && t > 0) {
          actions.add("rescale to " + parallelism);
          changes.add(new ConfigChangeRecord(t, pipeline, "rescale to " + parallelism));
        }
        double[] c = cum.computeIfAbsent(pipeline, k -> new double[2]);
        c[0] += parallelism * 0.0001;
        c[1] += processed * scenario.tickSeconds();
        boolean violated = slas.get(pipeline).violated(processed, offered, latency);
        ticks.add(
            new TickRecord(
                t,
                pipeline,
                offered,
                processed,
                latency,
                capacity,
                parallelism * 8,
                (parallelism + 3) / 4,
                Math.min(1, offered / capacity) * 0.8,
                c[0],
                c[1],
                violated,
                active,
                actions));
      }
      progress.onProgress(t + 1, total);
    }
    List<RollbackRecord> rollbacks =
        controller == ControllerKind.AGENTS && total > 100
            ? List.of(new RollbackRecord(100, pipelines.get(0), "throughput 20 % under prediction"))
            : List.of();
    return new ControllerRun(
        controller,
        scenario.tickSeconds(),
        total,
        slas,
        ticks,
        faults,
        changes,
        rollbacks,
        ticksPerSecond);
  }

  static Scenario scenario(double days, long seed, int pipelines, int faults) {
    return new Scenario(
        days,
        seed,
        pipelines,
        Scenario.GENERATED,
        faults,
        Math.min(faults, 8),
        RunMode.AUTONOMOUS,
        10,
        List.of(ControllerKind.STATIC, ControllerKind.RULE_BASED, ControllerKind.AGENTS));
  }
}
