package org.comity.coordinator.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a passphrase comes from: a file (first line), the environment variable {@code COMITY_CA_PASSPHRASE}, or the
 * terminal. Never a command-line argument, which other users of the machine can read in the process list.
 */
final class Passphrases {
  static final String ENVIRONMENT_VARIABLE = "COMITY_CA_PASSPHRASE";
  /** Shortest passphrase accepted from any source: the CA key is only as strong as it. */
  static final int MIN_LENGTH = 12;

  private Passphrases() {}

  static char[] read(Path file, String purpose) throws ExitCodes.BadInputException {
    if (file != null) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        return checked(text.toCharArray(), "the passphrase in " + file);
      } catch (IOException e) {
        throw new ExitCodes.BadInputException("cannot read the passphrase file %s: %s".formatted(file, e.getMessage()));
      }
    }
    String fromEnvironment = System.getenv(ENVIRONMENT_VARIABLE);
    if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
      return checked(fromEnvironment.toCharArray(), "$" + ENVIRONMENT_VARIABLE);
    }
    Console console = System.console();
    if (console == null) {
      throw new ExitCodes.BadInputException(("no passphrase for the %s: give --passphrase-file FILE, set %s, or run "
          + "in a terminal").formatted(purpose, ENVIRONMENT_VARIABLE));
    }
    char[] typed = console.readPassword("Passphrase for the %s: ", purpose);
    return checked(typed == null ? new char[0] : typed, "the passphrase typed");
  }

  private static char[] checked(char[] passphrase, String source) throws ExitCodes.BadInputException {
    if (passphrase.length < MIN_LENGTH) {
      java.util.Arrays.fill(passphrase, '\0');
      throw new ExitCodes.BadInputException("%s is too short: a passphrase needs at least %d characters"
          .formatted(source, MIN_LENGTH));
    }
    return passphrase;
  }
}
