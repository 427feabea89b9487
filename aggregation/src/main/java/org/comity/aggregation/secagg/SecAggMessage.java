package org.comity.aggregation.secagg;

/**
 * Every message of the protocol. Bank-to-coordinator messages implement {@link ClientMessage},
 * coordinator-to-bank messages {@link ServerMessage}. All carry the round id; all after the key
 * directory also carry the 32-byte session id, so a message cannot be replayed into another round or
 * session.
 *
 * <p>Order of one round (the coordinator's round engine moves them; the protocol objects never do
 * I/O):
 *
 * <ol>
 *   <li>bank → coordinator {@link AdvertiseKeys};
 *   <li>coordinator → each bank that advertised: {@link KeyDirectory};
 *   <li>bank → coordinator {@link EncryptedShares};
 *   <li>coordinator → each bank that shared: {@link ShareDelivery};
 *   <li>bank → coordinator {@link MaskedInput};
 *   <li>only with {@link SecAggConfig#consistencyCheck()}: coordinator → each bank that sent a masked input:
 *       {@link ConsistencyCheckRequest}; bank → coordinator {@link ConsistencyCheckResponse};
 *   <li>coordinator → each bank that sent a masked input (with the check: each that signed): {@link
 *       UnmaskRequest};
 *   <li>bank → coordinator {@link UnmaskResponse}.
 * </ol>
 *
 * The coordinator may send {@link RoundAborted} at any point.
 */
public sealed interface SecAggMessage permits ClientMessage, ServerMessage {
  long roundId();
}
