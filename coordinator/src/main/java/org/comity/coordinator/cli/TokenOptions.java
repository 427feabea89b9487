package org.comity.coordinator.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.TokenException;
import org.comity.pkcs11.TokenPin;
import org.comity.pkcs11.TokenSettings;
import picocli.CommandLine.Option;

/**
 * The options that keep the consortium CA's key in a PKCS#11 token instead of an encrypted file ({@code ca init},
 * {@code member enroll}, {@code member revoke}). The PIN is never an option: {@code $COMITY_PKCS11_PIN} or the
 * terminal.
 */
final class TokenOptions {
  /** The CA key's alias when --key-alias is not given. */
  static final String DEFAULT_CA_ALIAS = "comity-ca";

  @Option(names = "--pkcs11-library", paramLabel = "FILE", description = {
      "PKCS#11 module of the token that holds the CA key, e.g. /usr/lib/softhsm/libsofthsm2.so (SoftHSM) or the",
      "HSM vendor's; replaces the encrypted ca.key file. The PIN comes from $COMITY_PKCS11_PIN, else the terminal."})
  Path library;

  @Option(names = "--pkcs11-slot", paramLabel = "N", description = "The token's slot id (or --pkcs11-token-label).")
  Long slot;

  @Option(names = "--pkcs11-token-label", paramLabel = "LABEL", description = "The token's label (or --pkcs11-slot).")
  String tokenLabel;

  @Option(names = "--key-alias", paramLabel = "ALIAS",
      description = "The CA key's alias in the token (default: " + DEFAULT_CA_ALIAS + ").")
  String keyAlias;

  /** Whether any token option was given. */
  boolean given() {
    return library != null || slot != null || tokenLabel != null || keyAlias != null;
  }

  /** The validated settings. */
  TokenSettings settings() throws ExitCodes.BadInputException {
    if (library == null) {
      throw new ExitCodes.BadInputException(
          "--pkcs11-slot, --pkcs11-token-label and --key-alias select a key in a token: they need --pkcs11-library");
    }
    try {
      return new TokenSettings(library, slot == null ? OptionalLong.empty() : OptionalLong.of(slot),
          Optional.ofNullable(tokenLabel), keyAlias != null ? keyAlias : DEFAULT_CA_ALIAS);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.BadInputException(e.getMessage());
    }
  }

  /** Opens and logs in to the token; the PIN is cleared as soon as the token has it. */
  Pkcs11Token open(TokenSettings settings) throws TokenException {
    // Checked before asking for a PIN: nobody should type a PIN for a path with a typo.
    Pkcs11Token.requireLibrary(settings);
    char[] pin = TokenPin.read(settings.tokenDescription());
    try {
      return Pkcs11Token.open(settings, pin);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }
}
