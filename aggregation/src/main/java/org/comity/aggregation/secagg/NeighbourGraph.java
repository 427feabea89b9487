package org.comity.aggregation.secagg;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SecAgg+ neighbour graph: a Harary graph of even degree k (each bank linked to the k/2 banks
 * before and after it on a ring) whose ring order is a pseudorandom permutation of the members, or
 * the complete graph when k = n - 1.
 *
 * <p>The permutation is a Fisher-Yates shuffle driven by SHA-256(seed || counter), so every party
 * derives the same graph from the same public seed (the session id, fixed only once all keys are
 * advertised: a bank cannot choose its keys to steer its own position in the graph).
 */
public final class NeighbourGraph {
  private final List<String> members;
  private final Map<String, Set<String>> neighbours;

  private NeighbourGraph(List<String> members, Map<String, Set<String>> neighbours) {
    this.members = members;
    this.neighbours = neighbours;
  }

  /**
   * @param members distinct member ids (any order; sorted internally)
   * @param degree neighbours per member: even and < n - 1, or exactly n - 1
   * @param seed public seed all parties share
   */
  public static NeighbourGraph derive(List<String> members, int degree, byte[] seed) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(members));
    int n = sorted.size();
    if (sorted.size() != members.size()) {
      throw new IllegalArgumentException("member ids must be distinct");
    }
    if (degree < 1 || degree > n - 1 || (degree < n - 1 && degree % 2 != 0)) {
      throw new IllegalArgumentException(
          "degree must be even and < %d, or exactly %d, got %d".formatted(n - 1, n - 1, degree));
    }
    Map<String, Set<String>> adjacency = new HashMap<>();
    if (degree == n - 1) {
      for (String m : sorted) {
        TreeSet<String> others = new TreeSet<>(sorted);
        others.remove(m);
        adjacency.put(m, Collections.unmodifiableSet(others));
      }
      return new NeighbourGraph(List.copyOf(sorted), Map.copyOf(adjacency));
    }
    List<String> ring = new ArrayList<>(sorted);
    DeterministicStream stream = new DeterministicStream(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = stream.nextIndex(i + 1);
      Collections.swap(ring, i, j);
    }
    for (int p = 0; p < n; p++) {
      TreeSet<String> adjacent = new TreeSet<>();
      for (int d = 1; d <= degree / 2; d++) {
        adjacent.add(ring.get(Math.floorMod(p + d, n)));
        adjacent.add(ring.get(Math.floorMod(p - d, n)));
      }
      adjacency.put(ring.get(p), Collections.unmodifiableSet(adjacent));
    }
    return new NeighbourGraph(List.copyOf(sorted), Map.copyOf(adjacency));
  }

  public List<String> members() {
    return members;
  }

  /** Sorted neighbours of {@code member}, the member itself excluded. */
  public Set<String> neighboursOf(String member) {
    Set<String> result = neighbours.get(member);
    if (result == null) {
      throw new IllegalArgumentException("not a member of this graph: " + member);
    }
    return result;
  }

  public boolean areNeighbours(String a, String b) {
    return neighboursOf(a).contains(b);
  }

  /** Unbiased integers from a SHA-256 counter-mode stream. */
  private static final class DeterministicStream {
    private final byte[] seed;
    private long counter;
    private ByteBuffer block = ByteBuffer.allocate(0);

    DeterministicStream(byte[] seed) {
      this.seed = seed.clone();
    }

    int nextIndex(int bound) {
      long limit = (1L << 32) - ((1L << 32) % bound);
      while (true) {
        long value = Integer.toUnsignedLong(nextInt());
        if (value < limit) {
          return (int) (value % bound);
        }
      }
    }

    private int nextInt() {
      if (block.remaining() < 4) {
        try {
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          sha.update("comity/secagg/v1/neighbour-graph".getBytes(java.nio.charset.StandardCharsets.UTF_8));
          sha.update(seed);
          sha.update(ByteBuffer.allocate(8).putLong(counter++).array());
          block = ByteBuffer.wrap(sha.digest());
        } catch (NoSuchAlgorithmException e) {
          throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
      }
      return block.getInt();
    }
  }
}
