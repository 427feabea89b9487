package org.comity.aggregation.secagg;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What both sides know once the key directory is fixed: config, advertised keys, session id and the
 * neighbour graph. Immutable; public values only.
 */
public final class RoundContext {
  private final SecAggConfig config;
  private final Map<String, AdvertiseKeys> directory;
  private final byte[] sessionId;
  private final NeighbourGraph graph;

  private RoundContext(SecAggConfig config, Map<String, AdvertiseKeys> directory, byte[] sessionId, NeighbourGraph graph) {
    this.config = config;
    this.directory = directory;
    this.sessionId = sessionId;
    this.graph = graph;
  }

  /** Builds the context from the advertised keys (validated by the caller). */
  public static RoundContext of(SecAggConfig config, List<AdvertiseKeys> advertised) {
    Map<String, AdvertiseKeys> directory = new TreeMap<>();
    for (AdvertiseKeys a : advertised) {
      directory.put(a.sender(), a);
    }
    byte[] sessionId = SessionId.of(config, advertised);
    NeighbourGraph graph = NeighbourGraph.derive(config.members(), config.parameters().neighbours(), sessionId);
    return new RoundContext(config, Collections.unmodifiableMap(directory), sessionId, graph);
  }

  public SecAggConfig config() {
    return config;
  }

  public Map<String, AdvertiseKeys> directory() {
    return directory;
  }

  public byte[] sessionId() {
    return sessionId.clone();
  }

  public boolean sessionMatches(byte[] other) {
    return Arrays.equals(sessionId, other);
  }

  public NeighbourGraph graph() {
    return graph;
  }

  /** Graph neighbours of {@code member} that advertised keys (so can hold its shares). */
  public Set<String> advertisedNeighboursOf(String member) {
    Set<String> out = new TreeSet<>(graph.neighboursOf(member));
    out.retainAll(directory.keySet());
    return Collections.unmodifiableSet(out);
  }

  public KeyDirectory keyDirectory() {
    return new KeyDirectory(config.roundId(), List.copyOf(directory.values()));
  }
}
