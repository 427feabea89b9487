package org.comity.aggregation.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7748 known answers. */
class X25519KeyAgreementTest {
  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "RFC 7748 5.2 vector {index}")
  @CsvSource({
      "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4, e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c, c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552",
      "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d, e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493, 95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957",
  })
  void agree_rfc7748Section52Vectors(String scalar, String u, String expected) {
    SecretBytes shared = X25519KeyAgreement.agree(SecretBytes.copyOf(HEX.parseHex(scalar)), HEX.parseHex(u));
    assertEquals(expected, HEX.formatHex(shared.copyOfSecret()));
  }

  @Test
  void agree_rfc7748Section52Iterated1000() {
    byte[] k = new byte[32];
    k[0] = 9;
    byte[] u = k.clone();
    for (int i = 1; i <= 1000; i++) {
      byte[] r = X25519KeyAgreement.agree(SecretBytes.copyOf(k), u).copyOfSecret();
      u = k;
      k = r;
      if (i == 1) {
        assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", HEX.formatHex(k));
      }
    }
    assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", HEX.formatHex(k));
  }

  @Test
  void agree_rfc7748Section61AliceAndBob() {
    SecretBytes alice = SecretBytes.copyOf(HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
    SecretBytes bob = SecretBytes.copyOf(HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"));
    assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        HEX.formatHex(X25519KeyAgreement.publicKeyOf(alice)));
    assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
        HEX.formatHex(X25519KeyAgreement.publicKeyOf(bob)));
    String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    assertEquals(shared, HEX.formatHex(X25519KeyAgreement.agree(alice, X25519KeyAgreement.publicKeyOf(bob)).copyOfSecret()));
    assertEquals(shared, HEX.formatHex(X25519KeyAgreement.agree(bob, X25519KeyAgreement.publicKeyOf(alice)).copyOfSecret()));
  }

  @Test
  void agree_lowOrderPeerKey_refused() {
    SecretBytes priv = X25519KeyAgreement.generate(new SecureRandom()).privateKey();
    assertThrows(IllegalArgumentException.class, () -> X25519KeyAgreement.agree(priv, new byte[32]));
    byte[] one = new byte[32];
    one[0] = 1;
    assertThrows(IllegalArgumentException.class, () -> X25519KeyAgreement.agree(priv, one));
  }

  @Test
  void isValidPublicKey_refusesLowOrderPointsAndWrongLengths() {
    byte[] one = new byte[32];
    one[0] = 1;
    assertFalse(X25519KeyAgreement.isValidPublicKey(new byte[32]));
    assertFalse(X25519KeyAgreement.isValidPublicKey(one));
    assertFalse(X25519KeyAgreement.isValidPublicKey(new byte[31]));
    assertTrue(X25519KeyAgreement.isValidPublicKey(X25519KeyAgreement.generate(new SecureRandom()).publicKey()));
  }

  @Test
  void agree_wrongLengths_refused() {
    SecretBytes priv = X25519KeyAgreement.generate(new SecureRandom()).privateKey();
    assertThrows(IllegalArgumentException.class, () -> X25519KeyAgreement.agree(priv, new byte[31]));
    assertThrows(IllegalArgumentException.class,
        () -> X25519KeyAgreement.agree(SecretBytes.copyOf(new byte[16]), new byte[32]));
  }

  @Test
  void generate_keyPairsAreConsistentAndRedacted() {
    X25519KeyAgreement.KeyPair pair = X25519KeyAgreement.generate(new SecureRandom());
    assertArrayEquals(pair.publicKey(), X25519KeyAgreement.publicKeyOf(pair.privateKey()));
    assertFalse(pair.toString().contains(HEX.formatHex(pair.privateKey().copyOfSecret())));
    assertEquals(X25519.POINT_SIZE, pair.publicKey().length);
  }
}
