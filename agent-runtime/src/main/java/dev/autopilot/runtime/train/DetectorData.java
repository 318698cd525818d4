package dev.autopilot.runtime.train;

import dev.autopilot.agents.recovery.detect.SnapshotFeatures;
import dev.autopilot.api.FailureMode;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.runtime.bench.ProgressListener;
import dev.autopilot.runtime.sim.FaultSchedule;
import dev.autopilot.runtime.sim.Scenario;
import dev.autopilot.runtime.sim.SimSettings;
import dev.autopilot.runtime.sim.SimulatedPlatform;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Labelled simulator telemetry for the detectors. One episode is one simulated day of one pipeline
 * (default workload of its seed) with one fault, of a random mode, injected at a random time after
 * the first hour; the episode stops {@code faultTicks} after the injection. Every tick is turned
 * into {@link SnapshotFeatures} and labelled faulty when the ground truth has an active fault.
 * Without a controller nothing repairs the fault, so each episode holds one normal stretch and one
 * fault stretch (or a shorter one when the fault heals by itself).
 */
final class DetectorData {

  /**
   * One episode.
   *
   * @param seed scenario seed
   * @param mode the injected fault's mode
   * @param faultTick the planned injection tick
   * @param features one feature vector per tick from 0
   * @param faulty whether a fault was active at the tick
   */
  record Episode(long seed, FailureMode mode, long faultTick, float[][] features, boolean[] faulty) {

    int length() {
      return features.length;
    }

    /** Number of ticks before the first faulty tick (the whole episode when none). */
    int normalPrefix() {
      for (int t = 0; t < faulty.length; t++) {
        if (faulty[t]) {
          return t;
        }
      }
      return faulty.length;
    }
  }

  private DetectorData() {}

  /**
   * Generates {@code count} episodes with seeds derived from {@code seed}.
   *
   * @param faultTicks ticks simulated after the injection
   */
  static List<Episode> episodes(
      SimSettings settings, long seed, int count, int faultTicks, ProgressListener progress) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long day = settings.ticksPerDay();
    long earliest = Math.min(day / 4, 3600 / settings.tickSeconds());
    FailureMode[] modes = FailureMode.values();
    List<Episode> out = new ArrayList<>();
    List<FailureMode> bag = new ArrayList<>();
    for (int e = 0; e < count; e++) {
      if (bag.isEmpty()) { // every mode once before any repeats
        bag.addAll(List.of(modes));
        java.util.Collections.shuffle(bag, new java.util.Random(rnd.nextLong()));
      }
      long episodeSeed = rnd.nextLong();
      FailureMode mode = bag.remove(bag.size() - 1);
      long faultTick = earliest + rnd.nextLong(Math.max(1, day - faultTicks - 1 - earliest));
      out.add(episode(settings, episodeSeed, mode, faultTick, faultTicks));
      progress.onProgress(e + 1, count);
    }
    return out;
  }

  static Episode episode(
      SimSettings settings, long seed, FailureMode mode, long faultTick, int faultTicks) {
    Scenario base = Scenario.defaultScenario(settings, seed, 1, 1, 0);
    Scenario scenario =
        base.withFaults(
            new FaultSchedule(
                List.of(new FaultSchedule.PlannedFault("f-1", faultTick, "p1", mode, null, false))));
    SimulatedPlatform platform = new SimulatedPlatform(settings, scenario);
    int n = (int) Math.min(settings.ticksPerDay(), faultTick + faultTicks);
    float[][] features = new float[n][];
    boolean[] faulty = new boolean[n];
    SnapshotFeatures extractor = new SnapshotFeatures();
    for (int t = 0; t < n; t++) {
      if (t > 0) {
        platform.advance();
      }
      TelemetrySnapshot s = platform.observe("p1");
      features[t] = extractor.next(s);
      faulty[t] = !platform.truth("p1").activeFaults().isEmpty();
    }
    return new Episode(seed, mode, faultTick, features, faulty);
  }
}
