package org.comity.aggregation.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** McGrew-Viega GCM specification, test cases 13-16 (AES-256). */
class ShareCipherTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String K15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
  private static final String P15 = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
      + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255";
  private static final String C15 = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
      + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad";

  @ParameterizedTest(name = "GCM spec test case {0}")
  @CsvSource({
      "13, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000, '', '', '', 530f8afbc74536b9a963b4f1c4cb738b",
      "14, 0000000000000000000000000000000000000000000000000000000000000000, 000000000000000000000000, 00000000000000000000000000000000, '', cea7403d4d606b6e074ec5d3baf39d18, d0d1c8a799996bf0265b98b5d48ab919",
      "15, " + K15 + ", cafebabefacedbaddecaf888, " + P15 + ", '', " + C15 + ", b094dac5d93471bdec1a502270e3cc6c",
  })
  void encryptAndDecrypt_gcmSpecVectors(int testCase, String key, String iv, String plaintext, String aad,
      String ciphertext, String tag) throws GeneralSecurityException {
    check(key, iv, plaintext, aad, ciphertext, tag);
  }

  @Test
  void gcmSpecTestCase16_withAad() throws GeneralSecurityException {
    check(K15, "cafebabefacedbaddecaf888", P15.substring(0, 120), "feedfacedeadbeeffeedfacedeadbeefabaddad2",
        C15.substring(0, 120), "76fc6ece0f4e1768cddf8853bb2d551b");
  }

  private static void check(String key, String iv, String plaintext, String aad, String ciphertext, String tag)
      throws GeneralSecurityException {
    SecretBytes k = SecretBytes.copyOf(HEX.parseHex(key));
    byte[] out = ShareCipher.encryptWithNonce(k, HEX.parseHex(iv), HEX.parseHex(plaintext), HEX.parseHex(aad));
    assertEquals(iv + ciphertext + tag, HEX.formatHex(out));
    assertArrayEquals(HEX.parseHex(plaintext), ShareCipher.decrypt(k, out, HEX.parseHex(aad)).copyOfSecret());
  }

  @Test
  void decrypt_anyFlippedBitInCiphertextOrAad_refused() throws GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    SecretBytes key = SecretBytes.random(32, random);
    byte[] aad = "round-1|SHARE_KEYS|a|b".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] ct = ShareCipher.encrypt(key, new byte[66], aad, random);
    for (int bit = 0; bit < ct.length * 8; bit += 7) {
      byte[] tampered = ct.clone();
      tampered[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThrows(GeneralSecurityException.class, () -> ShareCipher.decrypt(key, tampered, aad));
    }
    byte[] otherAad = aad.clone();
    otherAad[aad.length - 1] ^= 1;
    assertThrows(GeneralSecurityException.class, () -> ShareCipher.decrypt(key, ct, otherAad));
    assertThrows(GeneralSecurityException.class, () -> ShareCipher.decrypt(key, new byte[27], aad));
  }
}
