package org.comity.aggregation.secagg;

import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Defensive-copy helpers for byte arrays inside immutable records. */
final class Bytes {
  private Bytes() {}

  static byte[] copy(byte[] b, String what) {
    if (b == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    return b.clone();
  }

  static Map<String, byte[]> copy(Map<String, byte[]> m, String what) {
    if (m == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    Map<String, byte[]> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, copy(v, what + " entry")));
    return Collections.unmodifiableMap(out);
  }

  static Map<String, byte[]> deepCopyView(Map<String, byte[]> m) {
    Map<String, byte[]> out = new HashMap<>();
    m.forEach((k, v) -> out.put(k, v.clone()));
    return out;
  }

  static String shortHex(byte[] b) {
    return HexFormat.of().formatHex(b, 0, Math.min(4, b.length));
  }
}
