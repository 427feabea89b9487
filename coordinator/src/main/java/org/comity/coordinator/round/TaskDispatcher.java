package org.comity.coordinator.round;

import org.comity.proto.v1.Task;

/** Delivers tasks to members (their next poll picks them up). */
public interface TaskDispatcher {
  /** Queues {@code task} for {@code memberId}. */
  void dispatch(String memberId, Task task);

  /**
   * Withdraws queued tasks of a closed round that no member has picked up yet (except secure-aggregation abort
   * notices, which are still worth delivering).
   */
  void withdrawRound(int round);

  /** Tells every member that the run is over. */
  void finishRun(String reason);
}
