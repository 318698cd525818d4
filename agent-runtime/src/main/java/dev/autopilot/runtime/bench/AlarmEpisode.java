package dev.autopilot.runtime.bench;

/**
 * A run of ticks in which one detector of the agents voted "anomalous" on one pipeline. Votes less
 * than {@link RunRecorder#EPISODE_GAP_TICKS} ticks apart belong to the same episode.
 *
 * @param detector detector name ({@code iforest}, {@code autoencoder}, {@code lstm}, {@code
 *     ensemble}, ...)
 * @param pipelineId the pipeline
 * @param firstTick first voting tick
 * @param lastTick last voting tick
 */
public record AlarmEpisode(String detector, String pipelineId, long firstTick, long lastTick) {
  public AlarmEpisode {
    if (lastTick < firstTick) {
      throw new IllegalArgumentException("episode ends at " + lastTick + " before " + firstTick);
    }
  }
}
