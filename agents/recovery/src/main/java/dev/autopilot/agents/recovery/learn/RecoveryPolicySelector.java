package dev.autopilot.agents.recovery.learn;

import dev.autopilot.api.model.ModelBundle;
import dev.autopilot.agents.recovery.policy.LadderChooser;
import dev.autopilot.agents.recovery.policy.RecoveryActionChooser;
import dev.autopilot.agents.recovery.policy.RecoveryLadder;
import dev.autopilot.agents.recovery.policy.RecoverySettings;
import java.io.ByteArrayInputStream;

/**
 * Picks the recovery chooser the agent uses: the learned policy or the fixed ladder, whichever won
 * on the validation faults. The choice is made once, at training, by {@link #choose}, recorded in
 * the bundle's {@value #COMPONENT} component, and honoured by {@link #load}.
 *
 * <p>The rule: the higher auto-recovery rate wins; on equal rates the lower MTTR; then fewer failed
 * attempts; a full tie keeps the ladder (it is explainable rung by rung).
 */
public final class RecoveryPolicySelector {
  /** Name of the bundle component. */
  public static final String COMPONENT = "recovery-policy";

  private static final double EPS = 1e-9;

  private RecoveryPolicySelector() {}

  /** {@code learned} or {@code ladder}: the better of the two by the rule above. */
  public static String choose(PolicyMetrics learned, PolicyMetrics ladder) {
    int c = Double.compare(round(learned.autoRecoveryRate()), round(ladder.autoRecoveryRate()));
    if (c == 0) {
      c = -Double.compare(round(learned.mttrSeconds()), round(ladder.mttrSeconds()));
    }
    if (c == 0) {
      c = -Double.compare(learned.failedAttemptsPerFault(), ladder.failedAttemptsPerFault());
    }
    return c > 0 ? LearnedRecoveryPolicy.NAME : LadderChooser.NAME;
  }

  private static double round(double v) {
    return Math.round(v / EPS) * EPS;
  }

  /** The chooser a model records as chosen. */
  public static RecoveryActionChooser chooser(
      RecoveryPolicyModel model, RecoverySettings settings) {
    RecoveryLadder ladder = new RecoveryLadder(settings);
    if (LearnedRecoveryPolicy.NAME.equals(model.chosen())) {
      return new LearnedRecoveryPolicy(
          model.table(), ladder, model.maxStages(), model.minVisits(), model.margin());
    }
    return new LadderChooser(ladder);
  }

  /**
   * The chooser recorded in a bundle; the fixed ladder when the bundle has no {@value #COMPONENT}
   * component.
   */
  public static RecoveryActionChooser load(ModelBundle bundle, RecoverySettings settings) {
    if (bundle == null || !bundle.has(COMPONENT)) {
      return new LadderChooser(new RecoveryLadder(settings));
    }
    byte[] bytes = bundle.read(COMPONENT);
    RecoveryPolicyModel model =
        RecoveryPolicyModel.read(
            new ByteArrayInputStream(bytes), bundle.location() + "/" + COMPONENT);
    return chooser(model, settings);
  }
}
