package org.comity.pkcs11;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Which token and which key: the PKCS#11 library ({@code --pkcs11-library}), the token by slot id
 * ({@code --pkcs11-slot}) or by label ({@code --pkcs11-token-label}), exactly one of the two, and the key's alias
 * in the token ({@code --key-alias}). Messages name those flags, which both executables share.
 *
 * <p>No PIN here: it comes from {@link TokenPin} only, so it never sits in a record that may be printed.
 *
 * @param library the vendor's PKCS#11 module; made absolute
 * @param slot the slot id (as the token's tools print it, e.g. {@code softhsm2-util --show-slots})
 * @param tokenLabel the token label, up to 32 characters (the PKCS#11 limit)
 * @param keyAlias the key's label in the token, same rule as member ids
 */
public record TokenSettings(Path library, OptionalLong slot, Optional<String> tokenLabel, String keyAlias) {
  /** Key aliases: 1-64 of letters, digits, '.', '_', '-', starting with a letter or digit. */
  public static final Pattern KEY_ALIAS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final int MAX_LABEL_LENGTH = 32;

  public TokenSettings {
    if (library == null) {
      throw new IllegalArgumentException("--pkcs11-library is required to use a token");
    }
    library = library.toAbsolutePath().normalize();
    // The path goes into the provider's configuration text, inside quotes: these would end or break that text.
    if (library.toString().matches("(?s).*[\"\\n\\r\\\\$].*")) {
      throw new IllegalArgumentException(
          "--pkcs11-library '%s' contains a quote, backslash, '$' or line break; move or link the library to a plain path"
              .formatted(library));
    }
    if (slot == null || tokenLabel == null) {
      throw new IllegalArgumentException("slot and token label must be given as empty optionals, not null");
    }
    if (slot.isPresent() == tokenLabel.isPresent()) {
      throw new IllegalArgumentException(slot.isPresent()
          ? "give either --pkcs11-slot or --pkcs11-token-label, not both"
          : "a token needs --pkcs11-slot N or --pkcs11-token-label LABEL");
    }
    if (slot.isPresent() && slot.getAsLong() < 0) {
      throw new IllegalArgumentException("--pkcs11-slot must be 0 or more, got " + slot.getAsLong());
    }
    if (tokenLabel.isPresent() && (tokenLabel.get().isBlank() || tokenLabel.get().length() > MAX_LABEL_LENGTH)) {
      throw new IllegalArgumentException("--pkcs11-token-label must be 1-%d characters, got '%s'"
          .formatted(MAX_LABEL_LENGTH, tokenLabel.get()));
    }
    if (keyAlias == null || !KEY_ALIAS.matcher(keyAlias).matches()) {
      throw new IllegalArgumentException(("--key-alias '%s' is not valid: it must be 1-64 letters, digits, '.', '_' "
          + "or '-', starting with a letter or digit").formatted(keyAlias));
    }
  }

  /** The token as a person would name it: by label or by slot. */
  public String tokenDescription() {
    return tokenLabel.map(label -> "token '" + label + "'").orElseGet(() -> "the token in slot " + slot.getAsLong());
  }
}
