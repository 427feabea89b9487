package org.comity.pkcs11;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The token access against real SoftHSM tokens (see {@link SoftHsmTokens}). */
class Pkcs11TokenTest {
  private static final byte[] MESSAGE = "round 7 keys".getBytes(StandardCharsets.UTF_8);

  @Test
  void generateEcKeyPair_keyStaysInTheToken_butSigns() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-a")) {
      // when
      KeyPair pair = opened.generateEcKeyPair();

      // then
      assertNull(pair.getPrivate().getEncoded(), "a token key must not reveal its value");
      assertTrue(pair.getPrivate().toString().contains("sensitive, unextractable"), pair.getPrivate().toString());
      assertEquals("EC", pair.getPublic().getAlgorithm());
      assertTrue(verifies(pair, sign(pair.getPrivate())));
    }
  }

  @Test
  void storeKey_thenReopenBySlot_findsTheSameUnextractableKey() throws Exception {
    // given
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    KeyPair pair;
    try (Pkcs11Token opened = token.open("bank-a")) {
      pair = opened.generateEcKeyPair();
      opened.storeKey("bank-a", pair.getPrivate(), new X509Certificate[] {TestCertificates.selfSigned(pair, opened)});
    }

    // when
    try (Pkcs11Token reopened = Pkcs11Token.open(token.bySlot("bank-a"), SoftHsmTokens.PIN.toCharArray())) {
      PrivateKey stored = reopened.privateKey("bank-a");

      // then
      assertTrue(stored.toString().contains("token object, sensitive, unextractable"), stored.toString());
      assertNull(stored.getEncoded());
      assertTrue(verifies(pair, sign(stored)), "the stored key is the generated one");
      assertEquals(pair.getPublic(), reopened.certificate("bank-a").getPublicKey());
      assertEquals(List.of("bank-a"), reopened.aliases());
    }
  }

  @Test
  void storeKey_aliasTaken_refusedAndTheOldKeyKept() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-a")) {
      KeyPair first = opened.generateEcKeyPair();
      opened.storeKey("bank-a", first.getPrivate(), new X509Certificate[] {TestCertificates.selfSigned(first, opened)});
      KeyPair second = opened.generateEcKeyPair();

      TokenException error = assertThrows(TokenException.class, () -> opened.storeKey("bank-a", second.getPrivate(),
          new X509Certificate[] {TestCertificates.selfSigned(second, opened)}));

      assertTrue(error.getMessage().contains("already holds a key 'bank-a'"), error.getMessage());
      assertTrue(verifies(first, sign(opened.privateKey("bank-a"))));
    }
  }

  @Test
  void privateKey_unknownAlias_namesTheFlagAndTheAliasesHeld() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-a")) {
      KeyPair pair = opened.generateEcKeyPair();
      opened.storeKey("bank-a", pair.getPrivate(), new X509Certificate[] {TestCertificates.selfSigned(pair, opened)});

      TokenException error = assertThrows(TokenException.class, () -> opened.privateKey("bank-b"));

      assertTrue(error.getMessage().contains("--key-alias 'bank-b'"), error.getMessage());
      assertTrue(error.getMessage().contains("it holds: bank-a"), error.getMessage());
    }
  }

  @Test
  void open_wrongPin_clearMessageWithoutThePin() {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();

    TokenException error = assertThrows(TokenException.class,
        () -> Pkcs11Token.open(token.byLabel("bank-a"), "not-the-pin-9".toCharArray()));

    assertTrue(error.getMessage().contains("refused the PIN"), error.getMessage());
    assertTrue(error.getMessage().contains(token.label()), error.getMessage());
    for (Throwable t = error; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains("not-the-pin-9"), t.getMessage());
    }
  }

  @Test
  void open_pinOfALengthTheTokenNeverAccepts_reportedAsAWrongPin() {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();

    TokenException error = assertThrows(TokenException.class,
        () -> Pkcs11Token.open(token.byLabel("bank-a"), "12".toCharArray()));

    assertTrue(error.getMessage().contains("refused the PIN"), error.getMessage());
  }

  @Test
  void open_missingLibrary_namesTheFlagAndThePackage() {
    TokenSettings settings = new TokenSettings(Path.of("/nonexistent/libsofthsm2.so"), OptionalLong.of(1),
        Optional.empty(), "bank-a");

    TokenException error = assertThrows(TokenException.class, () -> Pkcs11Token.open(settings, "1234".toCharArray()));

    assertTrue(error.getMessage().startsWith("--pkcs11-library: no such file /nonexistent/libsofthsm2.so"),
        error.getMessage());
    assertTrue(error.getMessage().contains("softhsm2"), error.getMessage());
  }

  @Test
  void open_unknownLabel_listsTheTokensThatExist() {
    SoftHsmTokens.Token existing = SoftHsmTokens.fresh();
    TokenSettings settings = new TokenSettings(existing.library(), OptionalLong.empty(), Optional.of("no-such-bank"),
        "bank-a");

    TokenException error = assertThrows(TokenException.class,
        () -> Pkcs11Token.open(settings, SoftHsmTokens.PIN.toCharArray()));

    assertTrue(error.getMessage().contains("no token labelled 'no-such-bank'"), error.getMessage());
    assertTrue(error.getMessage().contains("'" + existing.label() + "' in slot " + existing.slot()), error.getMessage());
  }

  @Test
  void open_slotWithoutToken_namesTheSlotFlag() {
    TokenSettings settings = new TokenSettings(SoftHsmTokens.library(), OptionalLong.of(987_654_321L),
        Optional.empty(), "bank-a");

    TokenException error = assertThrows(TokenException.class,
        () -> Pkcs11Token.open(settings, SoftHsmTokens.PIN.toCharArray()));

    assertTrue(error.getMessage().startsWith("--pkcs11-slot 987654321:"), error.getMessage());
  }

  @Test
  void open_notAPkcs11Library_saysSo() throws Exception {
    Path notALibrary = java.nio.file.Files.createTempFile("not-a-library", ".so");
    TokenSettings settings = new TokenSettings(notALibrary, OptionalLong.of(1), Optional.empty(), "bank-a");

    TokenException error = assertThrows(TokenException.class, () -> Pkcs11Token.open(settings, "1234".toCharArray()));

    assertTrue(error.getMessage().contains("cannot use " + notALibrary.toAbsolutePath() + " as a PKCS#11 library"),
        error.getMessage());
  }

  private static byte[] sign(PrivateKey key) throws Exception {
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initSign(key);
    signature.update(MESSAGE);
    return signature.sign();
  }

  private static boolean verifies(KeyPair pair, byte[] signatureBytes) throws Exception {
    Signature signature = Signature.getInstance("SHA256withECDSA");
    signature.initVerify(pair.getPublic());
    signature.update(MESSAGE);
    return signature.verify(signatureBytes);
  }
}
