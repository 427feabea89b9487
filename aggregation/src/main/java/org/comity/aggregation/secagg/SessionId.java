package org.comity.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.List;

/**
 * The session id: SHA-256 over a domain label, the canonical config (round, members, k, t, vector
 * length, clip bound, max weight) and every advertised key pair sorted by bank id. Every later
 * message, key derivation and AAD is bound to it, and the neighbour graph is derived from it.
 */
public final class SessionId {
  public static final int LENGTH = 32;
  private static final byte[] DOMAIN = "comity/secagg/v1/session".getBytes(StandardCharsets.UTF_8);

  private SessionId() {}

  public static byte[] of(SecAggConfig config, List<AdvertiseKeys> advertised) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(DOMAIN);
      sha.update(config.canonicalBytes());
      List<AdvertiseKeys> sorted = advertised.stream().sorted(Comparator.comparing(AdvertiseKeys::sender)).toList();
      sha.update(ByteBuffer.allocate(4).putInt(sorted.size()).array());
      for (AdvertiseKeys a : sorted) {
        byte[] id = a.sender().getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(id.length).array());
        sha.update(id);
        sha.update(a.encryptionPublicKey());
        sha.update(a.maskingPublicKey());
      }
      return sha.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the Java platform", e);
    }
  }
}
