package dev.autopilot.api;

/** A typed failure of a platform call. */
public final class PlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The platform does not run this pipeline. */
    UNKNOWN_PIPELINE,
    /** The request is impossible (invalid configuration, unknown operator or node). */
    REJECTED,
    /** The platform could not be reached or answered with a server error; may be retried. */
    UNAVAILABLE,
    /** The call timed out; may be retried. */
    TIMEOUT
  }

  private final Kind kind;

  public PlatformException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public PlatformException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Whether retrying the same call later may succeed. */
  public boolean retryable() {
    return kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT;
  }
}
