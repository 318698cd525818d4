/**
 * The learned SLA-violation forecaster's seams: the {@link
 * dev.autopilot.agents.prediction.model.FeaturePipeline} that turns snapshots into input vectors and
 * the {@link dev.autopilot.agents.prediction.model.ViolationModel} that maps them to a probability.
 */
package dev.autopilot.agents.prediction.model;
