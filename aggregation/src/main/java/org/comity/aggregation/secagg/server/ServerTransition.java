package org.comity.aggregation.secagg.server;

import java.util.List;

/** Result of a coordinator-side stage step: the next stage and the messages to send. */
public record ServerTransition(ServerStage next, List<Outbound> outbound) {
  public ServerTransition {
    outbound = List.copyOf(outbound);
  }

  static ServerTransition stay(ServerStage stage) {
    return new ServerTransition(stage, List.of());
  }
}
