package org.comity.aggregation.secagg.client;

import java.util.Optional;
import org.comity.aggregation.secagg.ClientMessage;

/** Result of a bank-side stage step: the next stage and the message to send, if any. */
public record ClientTransition(ClientStage next, Optional<ClientMessage> reply) {}
