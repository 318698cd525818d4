package dev.autopilot.agents.prediction.model;

/**
 * The journal's bytes of an {@link MlpViolationModel}: what {@link MlpViolationModel#toBytes()}
 * writes and {@link MlpViolationModel#fromBytes} reads (schema, standardization, weights and
 * threshold, with the format's own checks).
 */
public final class MlpCodec implements ViolationModelCodec {

  @Override
  public byte[] encode(ViolationModel model) {
    if (!(model instanceof MlpViolationModel mlp)) {
      throw new IllegalArgumentException(
          "the MLP codec writes MlpViolationModel only, not " + model.getClass().getName());
    }
    return mlp.toBytes();
  }

  @Override
  public ViolationModel decode(byte[] bytes) {
    return MlpViolationModel.fromBytes(bytes, "journaled model");
  }
}
