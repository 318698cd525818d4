package dev.autopilot.agents.recovery.learn;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autopilot.agents.recovery.policy.Severity;
import dev.autopilot.api.FailureMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code recovery-policy} component of a recovery model bundle, as JSON: the validation
 * comparison of the learned policy with the fixed ladder, the recorded choice, and the learned
 * Q-table (one row per visited state and option).
 *
 * @param schema {@value #SCHEMA}
 * @param chosen {@code learned} or {@code ladder}
 * @param learned validation metrics of the learned policy
 * @param ladder validation metrics of the fixed ladder on the same faults
 * @param maxStages stages per incident of the learned policy
 * @param minVisits visits before the greedy policy trusts a value
 * @param margin value by which an option must beat the ladder's rung to replace it
 * @param qtable the Q-table rows
 */
public record RecoveryPolicyModel(
    String schema,
    String chosen,
    PolicyMetrics learned,
    PolicyMetrics ladder,
    int maxStages,
    int minVisits,
    double margin,
    List<Row> qtable) {

  /** Feature schema of this format. */
  public static final String SCHEMA = "recovery-policy/1";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * One Q-table entry.
   *
   * @param cause diagnosed cause
   * @param stage escalation stage
   * @param severity severity bucket
   * @param option recovery option
   * @param q value (negative minutes-equivalent cost plus success bonus)
   * @param visits updates
   */
  public record Row(
      String cause, int stage, String severity, String option, double q, int visits) {}

  public RecoveryPolicyModel {
    qtable = qtable == null ? List.of() : List.copyOf(qtable);
  }

  /** A model of a trained table. */
  public static RecoveryPolicyModel of(
      String chosen, PolicyMetrics learned, PolicyMetrics ladder, LearnedRecoveryPolicy policy) {
    List<Row> rows = new ArrayList<>();
    for (QTable.Entry e : policy.table().entries()) {
      rows.add(
          new Row(
              e.state().cause().name(),
              e.state().stage(),
              e.state().severity().name(),
              e.option().name(),
              e.q(),
              e.visits()));
    }
    return new RecoveryPolicyModel(
        SCHEMA,
        chosen,
        learned,
        ladder,
        policy.maxStages(),
        policy.minVisits(),
        policy.margin(),
        rows);
  }

  /** The Q-table, validated. */
  public QTable table() {
    List<QTable.Entry> entries = new ArrayList<>();
    for (int i = 0; i < qtable.size(); i++) {
      Row r = qtable.get(i);
      String at = "qtable[" + i + "]";
      FailureMode cause = parse(FailureMode.class, r.cause(), at + ".cause");
      Severity sev = parse(Severity.class, r.severity(), at + ".severity");
      RecoveryOption opt = RecoveryOption.parse(r.option(), at + ".option");
      if (r.stage() < 0 || r.stage() >= maxStages) {
        throw new IllegalArgumentException(
            at + ".stage must be in [0, " + maxStages + "), was " + r.stage());
      }
      if (!Double.isFinite(r.q()) || r.visits() < 1) {
        throw new IllegalArgumentException(
            at + ": q must be finite and visits >= 1, was " + r.q() + " / " + r.visits());
      }
      entries.add(
          new QTable.Entry(new RecoveryState(cause, r.stage(), sev), opt, r.q(), r.visits()));
    }
    return QTable.of(entries);
  }

  /** Checks the header fields; an IllegalArgumentException names the bad one. */
  public RecoveryPolicyModel validated(String source) {
    if (!SCHEMA.equals(schema)) {
      throw new IllegalArgumentException(source + ": schema must be " + SCHEMA + ", was " + schema);
    }
    if (!LearnedRecoveryPolicy.NAME.equals(chosen) && !"ladder".equals(chosen)) {
      throw new IllegalArgumentException(
          source + ": chosen must be learned or ladder, was " + chosen);
    }
    if (maxStages < 1) {
      throw new IllegalArgumentException(source + ": maxStages must be >= 1, was " + maxStages);
    }
    if (!(margin >= 0) || Double.isInfinite(margin)) {
      throw new IllegalArgumentException(
          source + ": margin must be finite and >= 0, was " + margin);
    }
    try {
      table();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
    return this;
  }

  /** Writes the JSON. */
  public void write(OutputStream out) throws IOException {
    JSON.writeValue(out, this);
  }

  /** Reads and validates the JSON; {@code source} names it in errors. */
  public static RecoveryPolicyModel read(InputStream in, String source) {
    try {
      return JSON.readValue(in, RecoveryPolicyModel.class).validated(source);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": not a recovery policy: " + e.getMessage(), e);
    }
  }

  private static <E extends Enum<E>> E parse(Class<E> type, String name, String field) {
    try {
      return Enum.valueOf(type, name);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          field + ": unknown " + type.getSimpleName() + " '" + name + "'", e);
    }
  }
}
