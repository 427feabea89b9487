package org.comity.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Validation of the token flags and of where the PIN may come from; no token needed. */
class TokenSettingsTest {
  private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");

  @Test
  void neitherSlotNorLabel_namesBothFlags() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(LIBRARY, OptionalLong.empty(), Optional.empty(), "bank-a"));

    assertEquals("a token needs --pkcs11-slot N or --pkcs11-token-label LABEL", error.getMessage());
  }

  @Test
  void bothSlotAndLabel_refused() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(LIBRARY, OptionalLong.of(3), Optional.of("bank"), "bank-a"));

    assertEquals("give either --pkcs11-slot or --pkcs11-token-label, not both", error.getMessage());
  }

  @Test
  void missingLibrary_namesTheFlag() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(null, OptionalLong.of(3), Optional.empty(), "bank-a"));

    assertTrue(error.getMessage().contains("--pkcs11-library"), error.getMessage());
  }

  @Test
  void badAliasLabelOrSlot_namesFlagAndValue() {
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(LIBRARY, OptionalLong.of(3), Optional.empty(), "bad alias"))
        .getMessage().startsWith("--key-alias 'bad alias' is not valid"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(LIBRARY, OptionalLong.empty(), Optional.of("x".repeat(33)), "bank-a"))
        .getMessage().startsWith("--pkcs11-token-label must be 1-32 characters"));
    assertEquals("--pkcs11-slot must be 0 or more, got -1", assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(LIBRARY, OptionalLong.of(-1), Optional.empty(), "bank-a")).getMessage());
  }

  @Test
  void libraryPathThatWouldBreakTheProviderConfiguration_refused() {
    var error = assertThrows(IllegalArgumentException.class,
        () -> new TokenSettings(Path.of("/opt/hsm\"\nslot = 0/lib.so"), OptionalLong.of(3), Optional.empty(), "a"));

    assertTrue(error.getMessage().startsWith("--pkcs11-library"), error.getMessage());
  }

  @Test
  void relativeLibrary_madeAbsolute() {
    TokenSettings settings = new TokenSettings(Path.of("lib/x.so"), OptionalLong.of(0), Optional.empty(), "a");

    assertTrue(settings.library().isAbsolute());
  }

  @Test
  void pin_fromTheEnvironment() throws Exception {
    char[] pin = TokenPin.read(Map.of(TokenPin.ENVIRONMENT_VARIABLE, "1234"), null, "token 'x'");

    assertEquals("1234", new String(pin));
  }

  @Test
  void pin_neitherEnvironmentNorTerminal_saysHowToGiveIt() {
    var error = assertThrows(TokenException.class, () -> TokenPin.read(Map.of(), null, "token 'bank-a'"));

    assertEquals("no PIN for token 'bank-a': set COMITY_PKCS11_PIN or run in a terminal to be asked (the PIN is never "
        + "a command-line flag)", error.getMessage());
  }

  @Test
  void pin_emptyEnvironmentVariable_refused() {
    var error = assertThrows(TokenException.class,
        () -> TokenPin.read(Map.of(TokenPin.ENVIRONMENT_VARIABLE, ""), null, "token 'bank-a'"));

    assertTrue(error.getMessage().startsWith("$COMITY_PKCS11_PIN is set but empty"), error.getMessage());
  }
}
