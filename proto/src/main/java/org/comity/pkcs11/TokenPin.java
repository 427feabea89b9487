package org.comity.pkcs11;

import java.io.Console;
import java.util.Map;

/**
 * Where a token PIN comes from: the environment variable {@value #ENVIRONMENT_VARIABLE}, else the terminal. Never
 * a command-line flag (other users of the machine can read the process list) and never a file in the repository.
 */
public final class TokenPin {
  /** The environment variable both executables read the PIN from. */
  public static final String ENVIRONMENT_VARIABLE = "COMITY_PKCS11_PIN";

  private TokenPin() {}

  /** The PIN from this process's environment or its terminal. */
  public static char[] read(String tokenDescription) throws TokenException {
    return read(System.getenv(), System.console(), tokenDescription);
  }

  /**
   * The PIN from {@code environment}, else typed at {@code console}.
   *
   * @throws TokenException if neither gives a non-empty PIN (the message says how to give one)
   */
  static char[] read(Map<String, String> environment, Console console, String tokenDescription)
      throws TokenException {
    String fromEnvironment = environment.get(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null) {
      if (fromEnvironment.isEmpty()) {
        throw new TokenException("$%s is set but empty; give the PIN of %s or unset it to be asked"
            .formatted(ENVIRONMENT_VARIABLE, tokenDescription));
      }
      return fromEnvironment.toCharArray();
    }
    if (console == null) {
      throw new TokenException(("no PIN for %s: set %s or run in a terminal to be asked (the PIN is never a "
          + "command-line flag)").formatted(tokenDescription, ENVIRONMENT_VARIABLE));
    }
    char[] typed = console.readPassword("PIN for %s: ", tokenDescription);
    if (typed == null || typed.length == 0) {
      throw new TokenException("no PIN typed for " + tokenDescription);
    }
    return typed;
  }
}
