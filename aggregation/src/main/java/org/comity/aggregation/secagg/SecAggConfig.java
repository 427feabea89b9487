package org.comity.aggregation.secagg;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.TreeSet;

/**
 * Public, agreed configuration of one secure-aggregation round; every bank and the coordinator must
 * hold an equal config (it is hashed into the session id, so a mismatch makes the round fail rather
 * than silently mis-aggregate).
 *
 * @param roundId round number; bound into every message, key derivation and AAD
 * @param members the banks selected for this round (distinct ids; stored sorted). Shamir
 *     x-coordinate of a bank is its 1-based position in this sorted list
 * @param parameters neighbour count k and threshold t ({@link SecAggParameters#derive})
 * @param vectorLength number of values in each bank's update
 * @param clipBound each update value is clipped to [-clipBound, clipBound]
 * @param maxWeight largest sample count a bank may report
 * @param consistencyCheck whether the round runs the consistency-check stage of the actively secure protocol
 *     (Bonawitz et al. 2017, §4.3): every survivor signs the survivor set, and a bank unmasks only for a set that
 *     it signed and that carries at least the threshold of valid signatures by its members. Needs a {@link
 *     ConsistencySigner} and a {@link ConsistencyVerifier} at every bank.
 * @param distributedNoise with bank-level DP noise placed at the banks: its public parameters, from which every
 *     party derives the same {@link SkellamEncoding}; {@code null} for the plain {@link QuantizedEncoding}
 */
public record SecAggConfig(long roundId, List<String> members, SecAggParameters parameters, int vectorLength,
    double clipBound, long maxWeight, boolean consistencyCheck, DistributedNoise distributedNoise) {
  public static final int MAX_VECTOR_LENGTH = 1 << 27;
  public static final int MAX_MEMBER_ID_LENGTH = 256;
  private static final byte[] CONSISTENCY_CHECK_TAG = "ccheck/1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DISTRIBUTED_NOISE_TAG = "skellam1".getBytes(StandardCharsets.US_ASCII);

  public SecAggConfig {
    if (members == null || members.size() < 3) {
      throw new IllegalArgumentException("a round needs at least 3 members, got " + (members == null ? 0 : members.size()));
    }
    if (new HashSet<>(members).size() != members.size()) {
      throw new IllegalArgumentException("member ids must be distinct");
    }
    for (String m : members) {
      if (m == null || m.isEmpty() || m.length() > MAX_MEMBER_ID_LENGTH) {
        throw new IllegalArgumentException("member ids must be 1.." + MAX_MEMBER_ID_LENGTH + " characters");
      }
    }
    members = List.copyOf(new TreeSet<>(members));
    if (parameters == null) {
      throw new IllegalArgumentException("parameters must be given");
    }
    int n = members.size();
    if (parameters.neighbours() > n - 1 || (parameters.neighbours() < n - 1 && parameters.neighbours() % 2 != 0)) {
      throw new IllegalArgumentException("neighbours must be even and < %d, or exactly %d, got %d"
          .formatted(n - 1, n - 1, parameters.neighbours()));
    }
    if (vectorLength < 1 || vectorLength > MAX_VECTOR_LENGTH) {
      throw new IllegalArgumentException("vector length must be in [1, %d], got %d".formatted(MAX_VECTOR_LENGTH, vectorLength));
    }
    new QuantizedEncoding(clipBound, maxWeight, n); // validates clip bound and max weight
    if (distributedNoise != null) {
      // validates that the noised sum of n banks fits 32-bit words
      new SkellamEncoding(distributedNoise, n, parameters.threshold(), vectorLength, maxWeight);
    }
  }

  /** A round without distributed noise. */
  public SecAggConfig(long roundId, List<String> members, SecAggParameters parameters, int vectorLength,
      double clipBound, long maxWeight, boolean consistencyCheck) {
    this(roundId, members, parameters, vectorLength, clipBound, maxWeight, consistencyCheck, null);
  }

  /** A round without the consistency check. */
  public SecAggConfig(long roundId, List<String> members, SecAggParameters parameters, int vectorLength,
      double clipBound, long maxWeight) {
    this(roundId, members, parameters, vectorLength, clipBound, maxWeight, false, null);
  }

  public int threshold() {
    return parameters.threshold();
  }

  /** The encoding of this round: Skellam-noised integers with distributed noise, else the plain quantization. */
  public UpdateEncoding encoding() {
    return distributedNoise == null ? new QuantizedEncoding(clipBound, maxWeight, members.size())
        : new SkellamEncoding(distributedNoise, members.size(), parameters.threshold(), vectorLength, maxWeight);
  }

  /** Number of 32-bit words in a masked input. */
  public int encodedLength() {
    return QuantizedEncoding.encodedLength(vectorLength);
  }

  public boolean isMember(String id) {
    return members.contains(id);
  }

  /** Shamir x-coordinate of {@code id}: its 1-based index among the sorted member ids. */
  public int xCoordinate(String id) {
    int index = members.indexOf(id);
    if (index < 0) {
      throw new IllegalArgumentException("not a member of round " + roundId + ": " + id);
    }
    return index + 1;
  }

  /**
   * Canonical byte encoding of every field, hashed into the session id. The consistency-check flag is appended
   * only when on, as the 8-byte tag {@link #CONSISTENCY_CHECK_TAG}: a round without the check keeps exactly the
   * encoding (and session id) it had before the flag existed, and since the member list is length-prefixed, the
   * trailing tag cannot be confused with any member list. Distributed noise is appended the same way, only when
   * present (its 8-byte tag, clip norm, noise multiplier and minimum quorum), after the consistency-check tag.
   */
  byte[] canonicalBytes() {
    List<byte[]> parts = new ArrayList<>();
    for (String m : members) {
      parts.add(m.getBytes(StandardCharsets.UTF_8));
    }
    int size = 8 + 4 + 4 + 4 + 8 + 8 + 4 + (consistencyCheck ? CONSISTENCY_CHECK_TAG.length : 0)
        + (distributedNoise != null ? DISTRIBUTED_NOISE_TAG.length + 8 + 8 + 4 : 0);
    for (byte[] p : parts) {
      size += 4 + p.length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(size).putLong(roundId).putInt(parameters.neighbours())
        .putInt(parameters.threshold()).putInt(vectorLength).putDouble(clipBound).putLong(maxWeight)
        .putInt(parts.size());
    for (byte[] p : parts) {
      buffer.putInt(p.length).put(p);
    }
    if (consistencyCheck) {
      buffer.put(CONSISTENCY_CHECK_TAG);
    }
    if (distributedNoise != null) {
      buffer.put(DISTRIBUTED_NOISE_TAG).putDouble(distributedNoise.clipNorm())
          .putDouble(distributedNoise.noiseMultiplier()).putInt(distributedNoise.minQuorum());
    }
    return buffer.array();
  }
}
