package org.comity.aggregation.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretBytesTest {

  @Test
  void toString_neverShowsBytes() {
    byte[] raw = HexFormat.of().parseHex("deadbeefcafebabe0011223344556677");
    SecretBytes s = SecretBytes.copyOf(raw);
    assertTrue(s.toString().contains("redacted"));
    assertFalse(s.toString().toLowerCase().contains("deadbeef"));
    assertFalse(s.toString().contains(java.util.Base64.getEncoder().encodeToString(raw)));
  }

  @Test
  void copies_isolateTheSecretFromCallers() {
    byte[] raw = {1, 2, 3};
    SecretBytes s = SecretBytes.copyOf(raw);
    raw[0] = 9;
    byte[] out = s.copyOfSecret();
    out[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, s.copyOfSecret());
  }

  @Test
  void equals_comparesContent_hashDependsOnLengthOnly() {
    assertEquals(SecretBytes.copyOf(new byte[] {1, 2}), SecretBytes.copyOf(new byte[] {1, 2}));
    assertNotEquals(SecretBytes.copyOf(new byte[] {1, 2}), SecretBytes.copyOf(new byte[] {1, 3}));
    assertNotEquals(SecretBytes.copyOf(new byte[] {1, 2}), SecretBytes.copyOf(new byte[] {1, 2, 0}));
    assertEquals(SecretBytes.copyOf(new byte[] {1, 2}).hashCode(), SecretBytes.copyOf(new byte[] {7, 7}).hashCode());
  }
}
