package dev.autopilot.api.model;

/** A model bundle or file that cannot be used: missing, corrupt, or of another feature schema. */
public final class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
