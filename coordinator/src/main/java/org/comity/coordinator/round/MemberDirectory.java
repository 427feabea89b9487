package org.comity.coordinator.round;

import java.util.List;

/** Which members are connected right now; the engine samples participants from it. */
public interface MemberDirectory {
  /** Ids of the connected members, sorted. */
  List<String> connectedMembers();

  /** Whether {@code memberId} is connected. */
  boolean isConnected(String memberId);
}
