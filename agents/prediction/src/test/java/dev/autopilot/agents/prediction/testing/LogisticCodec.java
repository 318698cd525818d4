package dev.autopilot.agents.prediction.testing;

import dev.autopilot.agents.prediction.model.ViolationModel;
import dev.autopilot.agents.prediction.model.ViolationModelCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Test double: the bytes of a {@link LogisticModel}; can be told to refuse decoding. */
public final class LogisticCodec implements ViolationModelCodec {
  private static final int MAGIC = 0x4C4F4731;
  private volatile boolean broken;

  /** From now on, decoding fails (a model format the running code does not read). */
  public void breakDecoding() {
    broken = true;
  }

  @Override
  public byte[] encode(ViolationModel model) {
    if (!(model instanceof LogisticModel m)) {
      throw new IllegalArgumentException("not a LogisticModel: " + model);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(MAGIC);
      out.writeInt(m.version);
      out.writeUTF(m.schema);
      out.writeDouble(m.bias);
      out.writeDouble(m.threshold);
      out.writeInt(m.weights.length);
      for (float w : m.weights) {
        out.writeFloat(w);
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public ViolationModel decode(byte[] bytes) {
    if (broken) {
      throw new IllegalArgumentException("unreadable model format");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      if (in.readInt() != MAGIC) {
        throw new IllegalArgumentException("not a logistic model");
      }
      int version = in.readInt();
      String schema = in.readUTF();
      double bias = in.readDouble();
      double threshold = in.readDouble();
      float[] w = new float[in.readInt()];
      for (int i = 0; i < w.length; i++) {
        w[i] = in.readFloat();
      }
      return new LogisticModel(version, w, bias, threshold, schema);
    } catch (IOException e) {
      throw new IllegalArgumentException("truncated model", e);
    }
  }
}
