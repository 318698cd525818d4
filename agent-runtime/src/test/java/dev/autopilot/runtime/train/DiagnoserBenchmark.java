package dev.autopilot.runtime.train;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.diagnosis.Diagnoser;
import dev.autopilot.agents.recovery.diagnosis.Diagnosis;
import dev.autopilot.agents.recovery.diagnosis.Observation;
import dev.autopilot.agents.recovery.diagnosis.RootCauseModel;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.SimSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time of one root-cause diagnosis per tick: {@code rank} (exact inference, top 3) and {@code
 * diagnose} (plus the drivers for the audit explanation), on the symptoms of simulated incidents,
 * with a network learned from 5 incidents per mode. Run like {@code SimulatorBenchmark} (see the
 * {@code sim} package documentation), with {@code DiagnoserBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DiagnoserBenchmark {

  @Param({"NAIVE", "TREE_AUGMENTED"})
  public String structure;

  private Diagnoser diagnoser;
  private List<Observation> observations;
  private int next;

  @Setup
  public void setup() {
    IncidentGenerator gen =
        new IncidentGenerator(
            SimSettings.create(ConfigFactory.load()),
            RecoverySettings.create(ConfigFactory.load()),
            IncidentGenerator.Settings.defaults());
    List<IncidentGenerator.Incident> incidents = gen.generate(5, 17, ProgressListener.none());
    RootCauseModel model =
        RootCauseModel.fit(
            DiagnosisTrainer.features(),
            DiagnosisTrainer.labelled(incidents),
            new RootCauseModel.Options(1.0, RootCauseModel.Structure.valueOf(structure)));
    diagnoser = new Diagnoser(model);
    observations = new ArrayList<>();
    for (IncidentGenerator.Incident inc : incidents) {
      inc.samples().forEach(s -> observations.add(s.observation()));
    }
  }

  private Observation nextObservation() {
    Observation o = observations.get(next);
    next = (next + 1) % observations.size();
    return o;
  }

  @Benchmark
  public Diagnosis rank() {
    return diagnoser.rank(nextObservation());
  }

  @Benchmark
  public Diagnosis diagnoseWithDrivers() {
    return diagnoser.diagnose(nextObservation());
  }
}
