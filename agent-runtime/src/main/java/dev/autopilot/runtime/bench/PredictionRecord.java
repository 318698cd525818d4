package dev.autopilot.runtime.bench;

/**
 * The prediction agent's forecast for one pipeline at one tick, as its diagnostics reported it (the
 * agents controller only, and only while a violation model scores the ticks).
 *
 * @param tick the tick
 * @param pipelineId the pipeline
 * @param modelVersion version of the model that scored the tick
 * @param probability violation probability within the next 30 ticks
 * @param alarm whether the probability reached the model's threshold
 */
public record PredictionRecord(
    long tick, String pipelineId, int modelVersion, double probability, boolean alarm) {}
