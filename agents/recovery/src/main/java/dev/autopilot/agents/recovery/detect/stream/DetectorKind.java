package dev.autopilot.agents.recovery.detect.stream;

import java.util.Locale;

/** Which detector {@link StreamingAnomalyScorer} runs. */
public enum DetectorKind {
  /** All learnt detectors plus the range breakout, fused. */
  ENSEMBLE,
  /** The isolation forest alone. */
  IFOREST,
  /** The autoencoder alone. */
  AUTOENCODER,
  /** The LSTM forecaster alone. */
  LSTM;

  /** The lower-case name used on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a command-line name, case-insensitive. */
  public static DetectorKind parse(String s) {
    for (DetectorKind k : values()) {
      if (k.name().equalsIgnoreCase(s)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown detector '" + s + "': expected ensemble, iforest, autoencoder or lstm");
  }
}
