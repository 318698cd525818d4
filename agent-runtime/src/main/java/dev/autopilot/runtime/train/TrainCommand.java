package dev.autopilot.runtime.train;

import dev.autopilot.agents.prediction.model.ViolationModels;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelRuntime;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code autopilot train <family>}: trains a model family offline and saves a new version. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train models offline on simulator data and save them as a new versioned bundle.",
    subcommands = {
      TrainCommand.Recovery.class,
      TrainCommand.Prediction.class,
      TrainCommand.Optimization.class
    })
public final class TrainCommand implements Runnable {

  @Spec private CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(
        spec.commandLine(), "Missing model family (recovery, prediction, optimization)");
  }

  /** Options every family shares. */
  abstract static class FamilyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--weeks", defaultValue = "4", description = "Simulated weeks of training telemetry (default ${DEFAULT-VALUE}).")
    int weeks;

    @Option(names = "--seed", defaultValue = "42", description = "Base seed; validation and test use other seeds (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--models-dir", defaultValue = "models", description = "Directory of model bundles (default ${DEFAULT-VALUE}).")
    Path modelsDir;

    @Option(names = "--version", description = "Version to write (default: one above the highest in --models-dir, at least 1).")
    Integer version;

    abstract String family();

    abstract List<TrainingStep> steps();

    @Override
    public Integer call() throws Exception {
      if (weeks < 1 || weeks > 52) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--weeks must be 1..52, got " + weeks);
      }
      ModelRuntime.configureOffline();
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      int v = version != null ? version : ModelBundle.latestVersion(modelsDir, family()).orElse(0) + 1;
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("seed", seed);
      training.put("weeks", weeks);
      ModelBundle.Writer writer = ModelBundle.create(modelsDir, family(), v, training);
      Path work = Files.createDirectories(modelsDir.resolve(".work").resolve(family() + "-v" + v));
      boolean terminal = dev.autopilot.runtime.bench.ProgressBar.detectTerminal();
      TrainingContext ctx = new TrainingContext(seed, weeks, writer, work, err, terminal);
      Map<String, Map<String, Object>> summary = new LinkedHashMap<>();
      for (TrainingStep step : steps()) {
        long t0 = System.nanoTime();
        Map<String, Object> metrics = new LinkedHashMap<>(step.train(ctx));
        metrics.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
        summary.put(step.name(), metrics);
        writer.training(step.name() + ".seconds", metrics.get("seconds"));
      }
      Path dir = writer.commit();
      out.println("saved " + family() + " v" + v + " to " + dir);
      summary.forEach((name, m) -> out.println("  " + name + ": " + m));
      out.flush();
      return 0;
    }
  }

  /** {@code train recovery}: detectors, root-cause network and recovery policy. */
  @Command(name = "recovery", mixinStandardHelpOptions = true, description = "Train the recovery agent's models: isolation forest, autoencoder, LSTM, the root-cause Bayesian network and the recovery policy.")
  static final class Recovery extends FamilyCommand {
    @Override
    String family() {
      return "recovery";
    }

    @Override
    List<TrainingStep> steps() {
      return RecoverySteps.all();
    }
  }

  /** {@code train prediction}: the SLA-violation forecaster. */
  @Command(name = "prediction", mixinStandardHelpOptions = true, description = "Train the prediction agent's SLA-violation forecaster (MLP) on simulated weeks; test metrics on other seeds and weeks.")
  static final class Prediction extends FamilyCommand {
    @Override
    String family() {
      return ViolationModels.FAMILY;
    }

    @Override
    List<TrainingStep> steps() {
      return PredictionSteps.all();
    }
  }

  /** {@code train optimization}: the PPO optimizer, with its shadow evaluation against DS2. */
  @Command(name = "optimization", mixinStandardHelpOptions = true, description = "Train the optimization agent's PPO policy in the simulator; writes the learning curve (CSV and chart) and the shadow evaluation against the DS2 baseline on validation seeds.")
  static final class Optimization extends FamilyCommand {
    @Option(names = "--iterations", description = "PPO iterations of 2048 decisions each (default: autopilot.train.optimization.iterations).")
    Integer iterations;

    @Override
    String family() {
      return dev.autopilot.agents.optimization.learned.LearnedPolicies.FAMILY;
    }

    @Override
    List<TrainingStep> steps() {
      if (iterations != null && iterations < 1) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--iterations must be >= 1, got " + iterations);
      }
      return OptimizationSteps.all(iterations);
    }
  }
}
