/**
 * Continuous learning of the SLA-violation forecaster: live labels ({@link
 * dev.autopilot.agents.prediction.learn.LiveLabeler}), the labelled buffers and the retraining
 * schedule ({@link dev.autopilot.agents.prediction.learn.ContinuousLearner}), and one training with
 * its promotion rule ({@link dev.autopilot.agents.prediction.learn.TrainingJob}). Pure code: no
 * Pekko, no clock; the prediction agent runs the training job on its dedicated dispatcher.
 */
package dev.autopilot.agents.prediction.learn;
