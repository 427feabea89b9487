package org.comity.coordinator.console;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * One operator token as it is stored: its name, role and the SHA-256 of the secret, never the secret itself.
 *
 * @param name unique among active tokens; used as the actor in the audit trail
 * @param role what the token may do
 * @param sha256 lower-case hex SHA-256 of the token's secret text
 * @param createdAt when it was created
 * @param revokedAt when it was revoked, or {@code null} while active
 */
public record OperatorToken(String name, OperatorRole role, String sha256, Instant createdAt, Instant revokedAt) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
  private static final Pattern HEX_256 = Pattern.compile("[0-9a-f]{64}");

  public OperatorToken {
    if (!isValidName(name)) {
      throw new IllegalArgumentException(("token name must be 1-64 characters of letters, digits, '.', '_', '@' or "
          + "'-', starting with a letter or digit; got '%s'").formatted(name));
    }
    if (role == null || createdAt == null) {
      throw new IllegalArgumentException("token %s: role and createdAt are required".formatted(name));
    }
    if (sha256 == null || !HEX_256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("token %s: sha256 must be 64 lower-case hex digits".formatted(name));
    }
  }

  /** True for names the token store accepts. */
  public static boolean isValidName(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  public boolean active() {
    return revokedAt == null;
  }

  /** The authenticated caller of a request: the token's name and role (no secret). */
  public Operator operator() {
    return new Operator(name, role);
  }

  /**
   * An authenticated operator.
   *
   * @param name the token's name, which the audit trail records as the actor
   * @param role what the operator may do
   */
  public record Operator(String name, OperatorRole role) {
    public Operator {
      if (!isValidName(name) || role == null) {
        throw new IllegalArgumentException("operator needs a valid name and a role, got %s/%s".formatted(name, role));
      }
    }
  }
}
