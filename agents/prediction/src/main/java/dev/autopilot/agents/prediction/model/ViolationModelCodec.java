package dev.autopilot.agents.prediction.model;

/**
 * Turns a {@link ViolationModel} into bytes and back, so that a promoted model can be journaled
 * (embedded in the promotion event) and rebuilt after a restart or a node loss. The bytes carry
 * everything the model needs (weights, standardization, threshold, version, feature schema,
 * metrics); {@code decode(encode(m))} answers like {@code m}. Implementations are stateless and
 * thread-safe; each {@link #decode} returns a fresh instance (a model is not thread-safe).
 */
public interface ViolationModelCodec {

  /**
   * The model's bytes.
   *
   * @throws IllegalArgumentException when the model is not of a type this codec writes
   */
  byte[] encode(ViolationModel model);

  /**
   * A fresh model from bytes {@link #encode} wrote.
   *
   * @throws IllegalArgumentException when the bytes are not a model this codec reads (corrupt,
   *     truncated, another format or version)
   */
  ViolationModel decode(byte[] bytes);
}
