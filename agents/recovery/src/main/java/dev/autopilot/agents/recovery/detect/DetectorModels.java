package dev.autopilot.agents.recovery.detect;

import dev.autopilot.agents.recovery.detect.nn.LstmForecaster;
import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.api.model.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The three trained detector models of a pinned {@link ModelBundle} version, loaded once; it builds
 * a stateful {@link DetectorEnsemble} per pipeline. The autoencoder and the forecaster are not
 * thread-safe, so the instance and every ensemble built from it belong to one thread (one actor).
 * Owns native memory: close it.
 */
public final class DetectorModels implements AutoCloseable {

  /** Component name of the isolation forest. */
  public static final String IFOREST = IsolationForestDetector.NAME;

  /** Component name of the autoencoder. */
  public static final String AUTOENCODER = AutoencoderDetector.NAME;

  /** Component name of the LSTM forecaster. */
  public static final String LSTM = LstmDetector.NAME;

  /** Files of the components inside a bundle. */
  public static final Map<String, String> FILES =
      Map.of(IFOREST, "iforest.ser", AUTOENCODER, "autoencoder.bin", LSTM, "lstm.bin");

  private final IsolationForestDetector iforest;
  private final AutoencoderDetector autoencoder;
  private final LstmForecaster forecaster;

  public DetectorModels(
      IsolationForestDetector iforest, AutoencoderDetector autoencoder, LstmForecaster forecaster) {
    this.iforest = iforest;
    this.autoencoder = autoencoder;
    this.forecaster = forecaster;
  }

  /**
   * Loads the three components of a bundle.
   *
   * @throws ModelException when one is missing, corrupt, or trained on another feature schema
   */
  public static DetectorModels load(ModelBundle bundle) {
    return load(bundle, null);
  }

  /**
   * Loads a bundle's components, reusing {@code sharedForest} (loaded from the same bundle) instead
   * of deserializing the isolation forest again: the forest is read-only once trained, and it is
   * most of a recovery entity's memory (about 6 MB each; 1,000 pipelines on one node measured 6.4
   * GB of heap with a copy per entity). Each entity still gets its own detector (scratch buffer)
   * around the shared forest, and its own autoencoder and LSTM.
   *
   * @param sharedForest the bundle's forest, or null to load it
   */
  public static DetectorModels load(ModelBundle bundle, IsolationForestDetector sharedForest) {
    for (String c : FILES.keySet()) {
      String schema = bundle.component(c).featureSchema();
      if (schema == null || !schema.startsWith(SnapshotFeatures.SCHEMA)) {
        throw new ModelException(
            bundle.location()
                + ": component "
                + c
                + " reads features "
                + schema
                + ", this code "
                + SnapshotFeatures.SCHEMA);
      }
    }
    IsolationForestDetector f;
    if (sharedForest != null) {
      f = sharedForest.withThreshold(sharedForest.threshold());
    } else {
      try (InputStream in = bundle.open(IFOREST)) {
        f = IsolationForestDetector.load(in, where(bundle, IFOREST));
      } catch (IOException e) {
        throw new ModelException(where(bundle, IFOREST) + ": " + e, e);
      }
    }
    AutoencoderDetector ae;
    try (InputStream in = bundle.open(AUTOENCODER)) {
      ae = AutoencoderDetector.load(in, where(bundle, AUTOENCODER));
    } catch (IOException e) {
      throw new ModelException(where(bundle, AUTOENCODER) + ": " + e, e);
    }
    try (InputStream in = bundle.open(LSTM)) {
      LstmForecaster lf = LstmForecaster.load(in, where(bundle, LSTM));
      if (lf.metrics() != SnapshotFeatures.LSTM.length) {
        lf.close();
        throw new ModelException(
            where(bundle, LSTM)
                + ": forecaster has "
                + lf.metrics()
                + " metrics, expected "
                + SnapshotFeatures.LSTM.length);
      }
      return new DetectorModels(f, ae, lf);
    } catch (IOException | RuntimeException e) {
      ae.close();
      if (e instanceof ModelException me) {
        throw me;
      }
      throw new ModelException(where(bundle, LSTM) + ": " + e, e);
    }
  }

  private static String where(ModelBundle b, String component) {
    return b.location() + "/" + b.component(component).file();
  }

  /** Writes the three components into a bundle being built. */
  public void put(
      ModelBundle.Writer writer,
      Map<String, Object> iforestMetrics,
      Map<String, Object> autoencoderMetrics,
      Map<String, Object> lstmMetrics) {
    writer.put(IFOREST, FILES.get(IFOREST), SnapshotFeatures.SCHEMA, iforestMetrics, iforest::save);
    writer.put(
        AUTOENCODER,
        FILES.get(AUTOENCODER),
        SnapshotFeatures.SCHEMA,
        autoencoderMetrics,
        autoencoder::save);
    writer.put(LSTM, FILES.get(LSTM), SnapshotFeatures.SCHEMA, lstmMetrics, forecaster::save);
  }

  /** A fresh, stateful ensemble for one pipeline, sharing these models. */
  public DetectorEnsemble newEnsemble(EnsembleSettings settings) {
    return new DetectorEnsemble(
        settings, iforest, autoencoder, LstmDetector.of(forecaster, settings));
  }

  public IsolationForestDetector iforest() {
    return iforest;
  }

  public AutoencoderDetector autoencoder() {
    return autoencoder;
  }

  public LstmForecaster forecaster() {
    return forecaster;
  }

  @Override
  public void close() {
    autoencoder.close();
    forecaster.close();
  }
}
