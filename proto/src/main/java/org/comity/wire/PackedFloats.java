package org.comity.wire;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * Encodes float vectors as the protocol's packed little-endian IEEE-754 float32 bytes.
 *
 * <p>Why packed bytes and not {@code repeated float}: one bulk copy instead of a per-element parse, and the
 * size on the wire is exactly four bytes per value, which the size limits can be computed from.
 */
public final class PackedFloats {
  private PackedFloats() {}

  /** Packs {@code values} into little-endian float32 bytes. */
  public static ByteString pack(float[] values) {
    ByteBuffer buffer = ByteBuffer.allocate(Math.multiplyExact(values.length, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    buffer.asFloatBuffer().put(values);
    return ByteString.copyFrom(buffer.array());
  }

  /**
   * Unpacks little-endian float32 bytes, checking the count and that every value is finite.
   *
   * @param what names the field in error messages, e.g. "update"
   * @throws IllegalArgumentException when the byte length is not {@code 4 * expectedCount} or a value is NaN or
   *     infinite; the message names the field, the expected and actual sizes or the first bad index
   */
  public static float[] unpackFinite(ByteString bytes, int expectedCount, String what) {
    if (bytes.size() != (long) expectedCount * Float.BYTES) {
      throw new IllegalArgumentException(
          "%s has %d bytes, expected %d (%d float32 values)"
              .formatted(what, bytes.size(), (long) expectedCount * Float.BYTES, expectedCount));
    }
    float[] values = new float[expectedCount];
    FloatBuffer view = bytes.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    view.get(values);
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException("%s value %d is %s; only finite values are accepted".formatted(what, i, values[i]));
      }
    }
    return values;
  }
}
