package org.comity.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import org.comity.proto.v1.ProtocolVersion;
import org.junit.jupiter.api.Test;

class PackedFloatsTest {
  @Test
  void pack_isLittleEndianFloat32() {
    ByteString bytes = PackedFloats.pack(new float[] {1.0f});
    // 1.0f = 0x3F800000, little-endian: 00 00 80 3F
    assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, bytes.toByteArray());
  }

  @Test
  void roundTrip_isExact() {
    float[] values = {0f, -1.5f, Float.MIN_VALUE, Float.MAX_VALUE, 3.14159f};
    assertArrayEquals(values, PackedFloats.unpackFinite(PackedFloats.pack(values), 5, "w"));
  }

  @Test
  void wrongLength_andNonFinite_areRejectedWithTheField() {
    ByteString three = PackedFloats.pack(new float[3]);
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
        () -> PackedFloats.unpackFinite(three, 4, "update"));
    assertEquals("update has 12 bytes, expected 16 (4 float32 values)", length.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> PackedFloats.unpackFinite(PackedFloats.pack(new float[] {0f, Float.NaN}), 2, "update"));
    assertTrue(nan.getMessage().contains("value 1 is NaN"), nan.getMessage());
  }

  @Test
  void protocolVersion_sameMajorOlderMinorIsCompatible_otherMajorIsNot() {
    assertEquals(null, ProtocolVersions.incompatibility(ProtocolVersions.current()));
    String other = ProtocolVersions.incompatibility(ProtocolVersion.newBuilder().setMajor(2).build());
    assertTrue(other.contains("protocol version 2.0 is not supported; this side speaks 1.0"), other);
    assertTrue(ProtocolVersions.incompatibility(ProtocolVersion.getDefaultInstance()).contains("no protocol version"));
  }
}
