package org.comity.aggregation.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 5869 appendix A, test cases 1-3 (SHA-256). */
class HkdfTest {
  private static final HexFormat HEX = HexFormat.of();

  private static byte[] range(int from, int toInclusive) {
    byte[] b = new byte[toInclusive - from + 1];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (from + i);
    }
    return b;
  }

  private static byte[] repeat(int value, int count) {
    byte[] b = new byte[count];
    java.util.Arrays.fill(b, (byte) value);
    return b;
  }

  @Test
  void rfc5869TestCase1() {
    byte[] okm = Hkdf.deriveBytes(repeat(0x0b, 22), range(0x00, 0x0c), range(0xf0, 0xf9), 42);
    assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
        HEX.formatHex(okm));
  }

  @Test
  void rfc5869TestCase2() {
    byte[] okm = Hkdf.deriveBytes(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82);
    assertEquals("b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
        + "cc30c58179ec3e87c14c01d5c1f3434f1d87", HEX.formatHex(okm));
  }

  @Test
  void rfc5869TestCase3() {
    byte[] okm = Hkdf.deriveBytes(repeat(0x0b, 22), new byte[0], new byte[0], 42);
    assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
        HEX.formatHex(okm));
  }

  @Test
  void derive_differentInfo_independentKeys() {
    SecretBytes ikm = SecretBytes.copyOf(repeat(7, 32));
    assertNotEquals(Hkdf.derive(ikm, new byte[0], new byte[] {1}, 32), Hkdf.derive(ikm, new byte[0], new byte[] {2}, 32));
  }

  @Test
  void deriveBytes_lengthOutOfRange_refused() {
    assertThrows(IllegalArgumentException.class, () -> Hkdf.deriveBytes(new byte[1], null, null, 0));
    assertThrows(IllegalArgumentException.class, () -> Hkdf.deriveBytes(new byte[1], null, null, 255 * 32 + 1));
  }
}
