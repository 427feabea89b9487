package org.comity.coordinator.console;

/**
 * A token just created: the stored record and the secret, which exists only here and is shown to the operator
 * once. {@link #toString()} does not print the secret.
 *
 * @param token the stored record (hash only)
 * @param secret the bearer token text; never logged, never stored
 */
public record IssuedToken(OperatorToken token, String secret) {
  public IssuedToken {
    if (token == null || secret == null || secret.isEmpty()) {
      throw new IllegalArgumentException("an issued token needs its record and its secret");
    }
  }

  @Override
  public String toString() {
    return "IssuedToken[%s, %s, secret=<redacted>]".formatted(token.name(), token.role().label());
  }
}
