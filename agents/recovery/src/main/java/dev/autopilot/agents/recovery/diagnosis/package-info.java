/**
 * Root-cause diagnosis with a learned discrete Bayesian network (pure code: no Pekko, no metrics).
 *
 * <ul>
 *   <li>{@link dev.autopilot.agents.recovery.diagnosis.BayesNet}: variables with finite states and
 *       CPTs; {@link dev.autopilot.agents.recovery.diagnosis.VariableElimination}: exact inference,
 *       barren variables pruned, greedy min-weight (or min-fill) elimination order; checked against
 *       brute-force enumeration on random networks in the tests.
 *   <li>{@link dev.autopilot.agents.recovery.diagnosis.CptLearner}: CPTs by Dirichlet-smoothed
 *       counts; {@code StructureLearner}: the tree-augmented structure (Chow-Liu over conditional
 *       mutual information given the cause).
 *   <li>{@link dev.autopilot.agents.recovery.diagnosis.RootCauseModel}: the network over the cause
 *       (no fault, or one of the 15 failure modes) and the evidence (the extractor's 36 symptoms
 *       cut into absent/weak/strong, plus {@code CONFIG_CHANGED}, {@code HEAP_RISE} and {@code
 *       HEAP_USED}); JSON form {@code recovery-diagnosis/1}. {@link
 *       dev.autopilot.agents.recovery.diagnosis.Diagnoser} loads it from the model bundle
 *       (component {@code diagnosis}) and returns a {@link
 *       dev.autopilot.agents.recovery.diagnosis.Diagnosis}: the top 3 causes with posteriors, the
 *       posterior of "no fault", and (with {@code diagnose}) the observations that drove the top
 *       cause, as leave-one-out log-odds. {@code rank} skips the drivers: it is the per-tick path.
 * </ul>
 *
 * <p>Training ({@code dev.autopilot.runtime.train.DiagnosisTrainingStep}, part of {@code autopilot
 * train recovery}) learns from incidents simulated with fault injection across all 15 modes and
 * their cascades, and scores the network on incidents of other seeds against the rule table.
 */
package dev.autopilot.agents.recovery.diagnosis;
