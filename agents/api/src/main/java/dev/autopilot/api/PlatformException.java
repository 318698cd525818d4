package dev.autopilot.api;

/**
 * A typed failure of a platform call. Adapters map their transport's failures onto a {@link Kind}
 * (and keep the HTTP status where there was one), so callers decide on retries and explanations
 * without knowing the transport.
 */
public final class PlatformException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong. */
  public enum Kind {
    /** The platform does not run this pipeline. */
    UNKNOWN_PIPELINE,
    /**
     * The request is impossible (invalid configuration, unknown operator or node; HTTP 400 or 422).
     */
    REJECTED,
    /**
     * The platform knows the pipeline but not the object the call is about (a Flink job that is
     * gone, a deleted resource; HTTP 404). Retrying the same call does not help; observing again
     * may.
     */
    NOT_FOUND,
    /** The caller is not allowed to do this (HTTP 401 or 403, for example a missing RBAC verb). */
    FORBIDDEN,
    /**
     * The object changed under the call (HTTP 409). Safe to retry only after re-reading the object;
     * adapters that do so retry it themselves.
     */
    CONFLICT,
    /** The platform could not be reached or answered with a server error; may be retried. */
    UNAVAILABLE,
    /** The call timed out; may be retried. */
    TIMEOUT,
    /** The platform answered with something that cannot be parsed; may be retried. */
    MALFORMED_RESPONSE
  }

  private final Kind kind;
  private final int httpStatus;

  public PlatformException(Kind kind, String message) {
    this(kind, 0, message, null);
  }

  public PlatformException(Kind kind, String message, Throwable cause) {
    this(kind, 0, message, cause);
  }

  /**
   * @param httpStatus the HTTP status the platform answered with, or 0 when there was none
   */
  public PlatformException(Kind kind, int httpStatus, String message, Throwable cause) {
    super(message, cause);
    if (kind == null) {
      throw new IllegalArgumentException("kind is required");
    }
    this.kind = kind;
    this.httpStatus = httpStatus;
  }

  public Kind kind() {
    return kind;
  }

  /** The HTTP status behind this failure, or 0 when the transport gave none. */
  public int httpStatus() {
    return httpStatus;
  }

  /**
   * Whether repeating the same call later, unchanged, may succeed: unavailable, timed out or
   * malformed answers. A {@link Kind#CONFLICT} is not: it needs a re-read first.
   */
  public boolean retryable() {
    return kind == Kind.UNAVAILABLE || kind == Kind.TIMEOUT || kind == Kind.MALFORMED_RESPONSE;
  }
}
