package org.comity.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The statement a bank signs in the consistency-check round: "in session S of round R, the banks whose masked
 * inputs are in the sum are exactly U3".
 *
 * <p>Encoding (integers big-endian, strings UTF-8 with a 4-byte big-endian length prefix):
 *
 * <pre>
 * len | "comity/secagg/v1/consistency-check" | len | session id (32 bytes) | round (8 bytes)
 *     | count (4 bytes) | len | member_1 | ... | len | member_count      (members sorted, distinct)
 * </pre>
 *
 * The domain label keeps the signature from being valid for any other message signed with the same certificate
 * key (the key signature of the key directory starts with a different label of a different length); the session
 * id already binds the round's config and every advertised key, so the statement cannot be replayed into another
 * round, session or run.
 */
public final class ConsistencyStatement {
  /** Largest signature a bank may send: an RSA-4096 signature is 512 bytes, ECDSA P-521 at most 139. */
  public static final int MAX_SIGNATURE_LENGTH = 1024;
  private static final byte[] DOMAIN = "comity/secagg/v1/consistency-check".getBytes(StandardCharsets.UTF_8);

  private ConsistencyStatement() {}

  /**
   * @param survivors the survivor set U3, in any order (it is sorted here; duplicates collapse)
   * @throws IllegalArgumentException if the session id is not {@value SessionId#LENGTH} bytes
   */
  public static byte[] encode(byte[] sessionId, long roundId, Collection<String> survivors) {
    if (sessionId == null || sessionId.length != SessionId.LENGTH) {
      throw new IllegalArgumentException("session id must be " + SessionId.LENGTH + " bytes");
    }
    List<byte[]> ids = new ArrayList<>();
    int size = 4 + DOMAIN.length + 4 + sessionId.length + 8 + 4;
    for (String member : new TreeSet<>(survivors)) {
      byte[] id = member.getBytes(StandardCharsets.UTF_8);
      ids.add(id);
      size += 4 + id.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).putInt(DOMAIN.length).put(DOMAIN).putInt(sessionId.length)
        .put(sessionId).putLong(roundId).putInt(ids.size());
    for (byte[] id : ids) {
      buffer.putInt(id.length).put(id);
    }
    return buffer.array();
  }
}
