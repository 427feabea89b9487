package org.comity.aggregation.secagg.server;

import org.comity.aggregation.secagg.ServerMessage;

/** A message the round engine must deliver to {@code recipient}. */
public record Outbound(String recipient, ServerMessage message) {}
