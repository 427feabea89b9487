package org.comity.coordinator.store;

/**
 * The store could not be opened or used. The message names the (redacted) URL and what the operator can do; it
 * never contains a password.
 */
public final class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, so a command line can pick its exit code. */
  public enum Kind {
    /** The URL is not a supported JDBC URL (bad input). */
    BAD_URL,
    /** The server refused the user or password (bad input). */
    BAD_CREDENTIALS,
    /** The server cannot be reached or the file cannot be opened. */
    UNREACHABLE,
    /** The schema was migrated by a newer build; this build must not write to it. */
    SCHEMA_TOO_NEW,
    /** The data is not what this build expects (e.g. a stored hash does not match its bytes). */
    CORRUPT,
    /** Any other failure of the database. */
    FAILED
  }

  private final Kind kind;

  public DatabaseException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** True when the operator's input (URL, credentials) is at fault rather than the environment. */
  public boolean isBadInput() {
    return kind == Kind.BAD_URL || kind == Kind.BAD_CREDENTIALS;
  }
}
