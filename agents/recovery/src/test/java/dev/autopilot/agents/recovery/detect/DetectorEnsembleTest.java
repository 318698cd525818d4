package dev.autopilot.agents.recovery.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.autopilot.agents.recovery.detect.nn.LstmForecaster;
import dev.autopilot.api.Diagnostics.DetectorVote;
import dev.autopilot.api.TelemetrySnapshot;
import dev.autopilot.api.model.FitProgress;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import dev.autopilot.api.model.TrainOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three detectors on synthetic telemetry (tiny models, fitted once) and the bundle round trip.
 */
class DetectorEnsembleTest {

  static final EnsembleSettings SETTINGS = EnsembleSettings.create(ConfigFactory.load());
  static IsolationForestDetector iforest;
  static AutoencoderDetector autoencoder;
  static LstmForecaster forecaster;

  @BeforeAll
  static void fit() {
    float[][] train = Telemetry.healthyFeatures(0, 400, 1);
    // 100 trees instead of the production 200: half the fitting and (de)serialization time
    iforest =
        IsolationForestDetector.fit(
            train, new IsolationForestDetector.Params(100, 256, 8, 0.05), 1);
    autoencoder =
        AutoencoderDetector.fit(
            train, new TrainOptions(12, 32, 1, 0.2, 5, 3e-3f), FitProgress.NONE);
    autoencoder.calibrate(Telemetry.healthyFeatures(5_000, 200, 2), 0.99);
    List<float[][]> series = java.util.Collections.singletonList(Telemetry.lstmSeries(train));
    forecaster =
        LstmForecaster.fit(series, 4, new TrainOptions(8, 32, 1, 0.2, 4, 5e-3f), FitProgress.NONE);
  }

  @AfterAll
  static void close() {
    autoencoder.close();
    forecaster.close();
  }

  @Test
  void isolationForestFlagsAnInjectedOutlier() {
    SnapshotFeatures f = new SnapshotFeatures();
    Random r = new Random(3);
    int votes = 0;
    for (int t = 0; t < 200; t++) {
      if (iforest.vote(f.next(Telemetry.healthy(10_000 + t, r))).vote()) {
        votes++;
      }
    }
    DetectorVote out = iforest.vote(f.next(Telemetry.outlier(10_200, r)));
    assertTrue(out.vote(), "outlier vote " + out + ", threshold " + iforest.threshold());
    assertTrue(out.score() > 0.5, out.toString());
    // the threshold is the 95 % quantile of the training scores: few healthy ticks pass it
    assertTrue(votes < 30, "healthy votes " + votes + " of 200");
  }

  @Test
  void smileVersionRecordedIsTheOneOnTheClasspath() {
    String v = smile.anomaly.IsolationForest.class.getPackage().getImplementationVersion();
    org.junit.jupiter.api.Assumptions.assumeTrue(v != null, "no jar manifest");
    assertEquals(v, IsolationForestDetector.BUILT_SMILE_VERSION);
    assertEquals(v, IsolationForestDetector.smileVersion());
    assertTrue(iforest.threshold() > iforest.base());
  }

  @Test
  void isolationForestIsDeterministicForASeed() {
    float[][] rows = Telemetry.healthyFeatures(0, 300, 11);
    IsolationForestDetector.Params p = new IsolationForestDetector.Params(50, 64, 6, 0.05);
    IsolationForestDetector a = IsolationForestDetector.fit(rows, p, 5);
    IsolationForestDetector b = IsolationForestDetector.fit(rows, p, 5);
    assertEquals(a.threshold(), b.threshold());
    float[] probe = new SnapshotFeatures().next(Telemetry.outlier(1, new Random(2)));
    assertEquals(a.rawScore(probe), b.rawScore(probe));
  }

  @Test
  void autoencoderReconstructsNormalBetterThanAnomalous() {
    float[][] normal = Telemetry.healthyFeatures(20_000, 100, 4);
    SnapshotFeatures f = new SnapshotFeatures();
    Random r = new Random(5);
    float[][] anomalous = new float[20][];
    for (int i = 0; i < anomalous.length; i++) {
      anomalous[i] = f.next(Telemetry.outlier(i, r));
    }
    double normalMean = Arrays.stream(autoencoder.errors(normal)).average().orElseThrow();
    double anomalousMin = Arrays.stream(autoencoder.errors(anomalous)).min().orElseThrow();
    assertTrue(anomalousMin > 10 * normalMean, anomalousMin + " vs " + normalMean);
    assertTrue(autoencoder.vote(anomalous[3]).vote());
    assertTrue(autoencoder.threshold() > normalMean, "calibrated " + autoencoder.threshold());
  }

  @Test
  void lstmDetectorFlagsAStepChangeButNotASteadySeries() {
    LstmDetector d = LstmDetector.of(forecaster, SETTINGS);
    SnapshotFeatures f = new SnapshotFeatures();
    Random r = new Random(6);
    int steadyVotes = 0;
    long t = 30_000;
    for (int i = 0; i < 200; i++, t++) {
      DetectorVote v = d.observe(f.next(Telemetry.healthy(t, r)));
      if (i >= LstmForecaster.WINDOW + 1 && v.vote()) {
        steadyVotes++;
      }
    }
    assertTrue(steadyVotes <= 14, "votes on a steady series: " + steadyVotes + " of 139");
    int stepVotes = 0;
    for (int i = 0; i < 10; i++, t++) {
      // latency quadruples, lag explodes and checkpoints slow down: a step in three metrics
      TelemetrySnapshot s = Telemetry.healthy(t, r);
      TelemetrySnapshot stepped =
          dev.autopilot.api.testing.Snapshots.builder("p1", t)
              .throughput(s.job().throughputPerSecond())
              .latencyP99(s.job().latencyP99Ms() * 4)
              .lag(s.job().consumerLag() * 50)
              .busy(s.source().busyRatio())
              .checkpointMs(s.checkpoints().lastDurationMs() * 5)
              .build();
      if (d.observe(f.next(Telemetry.edit(stepped, v -> {}))).vote()) {
        stepVotes++;
      }
    }
    assertTrue(stepVotes >= 8, "votes after the step: " + stepVotes + " of 10");
  }

  @Test
  void entitiesOfANodeShareOneForestAndScoreAsAFreshlyLoadedOne(@TempDir Path root)
      throws Exception {
    DetectorModels models = new DetectorModels(iforest, autoencoder, forecaster);
    ModelBundle.Writer w = ModelBundle.create(root, "recovery", 1, Map.of("seed", 1));
    models.put(w, Map.of(), Map.of(), Map.of());
    w.commit();
    ModelBundle bundle = ModelBundle.load(root, "recovery", 1);
    try (DetectorModels first = DetectorModels.load(bundle);
        DetectorModels a = DetectorModels.load(bundle, first.iforest());
        DetectorModels b = DetectorModels.load(bundle, first.iforest())) {
      assertTrue(a.iforest().sharesForestWith(b.iforest()), "one forest per node");
      assertTrue(a.iforest() != b.iforest(), "each entity its own detector (scratch buffer)");
      assertTrue(a.autoencoder() != b.autoencoder(), "and its own autoencoder");
      for (float[] row : Telemetry.healthyFeatures(200, 100, 7)) {
        assertEquals(first.iforest().rawScore(row), a.iforest().rawScore(row), 0.0);
        assertEquals(first.iforest().vote(row), b.iforest().vote(row));
      }
    }
  }

  @Test
  void bundleRoundTripGivesIdenticalScores(@TempDir Path root) throws Exception {
    DetectorModels models = new DetectorModels(iforest, autoencoder, forecaster);
    ModelBundle.Writer w = ModelBundle.create(root, "recovery", 1, Map.of("seed", 1));
    models.put(
        w, Map.of("smileVersion", IsolationForestDetector.smileVersion()), Map.of(), Map.of());
    w.commit();
    try (DetectorModels loaded = DetectorModels.load(ModelBundle.load(root, "recovery", 1))) {
      assertEquals(autoencoder.threshold(), loaded.autoencoder().threshold());
      assertEquals(iforest.threshold(), loaded.iforest().threshold());
      DetectorEnsemble a = models.newEnsemble(SETTINGS);
      DetectorEnsemble b = loaded.newEnsemble(SETTINGS);
      Random r1 = new Random(9);
      Random r2 = new Random(9);
      List<EnsembleVerdict> va = new ArrayList<>();
      List<EnsembleVerdict> vb = new ArrayList<>();
      for (int t = 0; t < 90; t++) {
        // three outlier ticks in a row: the default persistence rule needs 3 of the last 5
        boolean out = t >= 83 && t <= 85;
        va.add(a.evaluate(out ? Telemetry.outlier(t, r1) : Telemetry.healthy(t, r1)));
        vb.add(b.evaluate(out ? Telemetry.outlier(t, r2) : Telemetry.healthy(t, r2)));
      }
      assertEquals(va, vb);
      assertTrue(va.get(85).voteCount() >= 2, va.get(85).toString());
    }
  }

  @Test
  void corruptModelFileIsAClearModelException(@TempDir Path root) throws Exception {
    DetectorModels models = new DetectorModels(iforest, autoencoder, forecaster);
    ModelBundle.Writer w = ModelBundle.create(root, "recovery", 1, Map.of());
    models.put(w, Map.of(), Map.of(), Map.of());
    Path dir = w.commit();
    Path file = dir.resolve(DetectorModels.FILES.get(DetectorModels.LSTM));
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x5A;
    Files.write(file, bytes);
    ModelException e =
        assertThrows(
            ModelException.class, () -> DetectorModels.load(ModelBundle.load(root, "recovery", 1)));
    assertTrue(
        e.getMessage().contains("lstm.bin") && e.getMessage().contains("corrupt"), e.getMessage());
  }

  @Test
  void undigestedGarbageIsAModelExceptionNamingTheSource() throws Exception {
    byte[] garbage = new byte[64];
    new Random(1).nextBytes(garbage);
    ModelException e =
        assertThrows(
            ModelException.class,
            () -> IsolationForestDetector.load(new ByteArrayInputStream(garbage), "iforest.ser"));
    assertTrue(e.getMessage().startsWith("iforest.ser"), e.getMessage());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    iforest.save(out);
    byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 100);
    e =
        assertThrows(
            ModelException.class,
            () -> IsolationForestDetector.load(new ByteArrayInputStream(cut), "iforest.ser"));
    assertTrue(e.getMessage().contains("iforest.ser"), e.getMessage());
    assertThrows(
        ModelException.class,
        () -> AutoencoderDetector.load(new ByteArrayInputStream(garbage), "autoencoder.bin"));
    assertFalse(
        iforest.vote(new SnapshotFeatures().next(Telemetry.healthy(1, new Random(1)))).score() > 1);
  }
}
