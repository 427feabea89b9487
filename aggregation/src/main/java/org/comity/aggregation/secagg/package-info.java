/**
 * SecAgg+ secure aggregation (Bell et al., CCS 2020: the sparse-graph form of Bonawitz et al., CCS
 * 2017): the coordinator learns only the weighted sum of the banks' updates.
 *
 * <h2>Round, as the round engine drives it</h2>
 *
 * <pre>
 * config  = new SecAggConfig(round, members, SecAggParameters.derive(n, corrupt, dropout, threat),
 *                            vectorLength, clipBound, maxWeight)           // identical on every party
 * bank:        client = new SecAggClient(config, bankId, new SecureRandom())
 *              (consistency check on: new SecAggClient(config, bankId, random, signer, verifier))
 * coordinator: server = new SecAggServer(config)          (or new SecAggServer(config, verifier))
 *
 * 1 bank → coord   AdvertiseKeys     = client.start(new ClientInput(update, sampleCount))
 *                  outbound          = server.onMessage(bankId, msg)   // until all advertised, or
 *                  outbound          = server.onDeadline()             // at the ADVERTISE_KEYS deadline
 * 2 coord → bank   KeyDirectory      → reply = client.onMessage(msg)   // reply: EncryptedShares
 * 3 bank → coord   EncryptedShares   → server.onMessage / onDeadline at SHARE_KEYS deadline
 * 4 coord → bank   ShareDelivery     → reply: MaskedInput
 * 5 bank → coord   MaskedInput       → server.onMessage / onDeadline at MASKED_INPUT deadline
 *   only if config.consistencyCheck():
 * 5a coord → bank  ConsistencyCheckRequest (survivor set U3) → reply: ConsistencyCheckResponse (signature)
 * 5b bank → coord  ConsistencyCheckResponse → server.onMessage / onDeadline at CONSISTENCY_CHECK deadline
 * 6 coord → bank   UnmaskRequest     → reply: UnmaskResponse   (with the check: to the signers, carrying
 *                                      U3 and the collected signatures)
 * 7 bank → coord   UnmaskResponse    → server.onMessage / onDeadline at UNMASK deadline
 *                  server.result()   → AggregateResult (weighted mean, sum, total weight, error bound)
 *                  server.aborted()  → ServerAborted(reason, stage, detail) if the round failed
 * any coord → bank RoundAborted      → client moves to ClientAborted
 * </pre>
 *
 * A refused message throws {@link org.comity.aggregation.secagg.SecAggRejectedException} with a
 * {@link org.comity.aggregation.secagg.RejectionReason}; the state is unchanged.
 *
 * <h2>Security properties</h2>
 *
 * <ul>
 *   <li>Each masked input is x + PRG(b) + sum over neighbours of ±PRG(s_ij) mod 2^32 (ChaCha20);
 *       the coordinator only ever holds masked inputs, ciphertexts and shares.
 *   <li>Shares of b and of the masking key travel AES-256-GCM encrypted bank-to-bank under
 *       HKDF-SHA256 keys bound to the session id, round and both ids; AAD binds round, stage,
 *       session and both ids.
 *   <li>The session id hashes the config and every advertised key; a coordinator that shows banks
 *       different directories makes decryption fail rather than learn anything.
 *   <li>A bank answers one unmask request and never reveals both shares of one peer.
 *   <li>With the consistency check (Bonawitz et al. 2017, §4.3): each bank signs at most one survivor set
 *       (its identity key, injected as {@link org.comity.aggregation.secagg.ConsistencySigner}; the statement
 *       is {@link org.comity.aggregation.secagg.ConsistencyStatement}: domain label, session id, round, sorted
 *       set), never one without itself or below the threshold, and unmasks only for the set it signed when the
 *       request carries at least the threshold of valid signatures over it by distinct members of it (checked
 *       with the injected {@link org.comity.aggregation.secagg.ConsistencyVerifier}). A coordinator that shows
 *       different banks different survivor sets therefore gets no share from the banks it deceived; with 2t &gt;
 *       n + corrupt (the complete-graph semi-malicious threshold) at most one set can gather the threshold of
 *       signatures at all.
 *   <li>Banks may drop at any stage; the round survives while every needed secret keeps at least t
 *       surviving share holders, else it aborts with the reason before any share is revealed.
 * </ul>
 *
 * <h2>Not covered</h2>
 *
 * Malicious banks sending out-of-range inputs (no range proofs). The fully malicious coordinator of a
 * sparse graph: there the threshold is about the size of a neighbourhood, so two disjoint groups could
 * each sign their own survivor set; every honest bank still unmasks only for the set it signed, and one
 * bank's input stays protected by the semi-malicious bound on its neighbourhood (2t &gt; k + corrupt), as
 * without the check. The check authenticates only the survivor set: key substitution is stopped by the
 * agent's signed keys (outside this package), and other coordinator messages are not signed. Liveness:
 * a coordinator or enough silent banks can still make a round abort. Without the check (flag off), a
 * coordinator that lies about dropouts is bounded by the semi-malicious threshold alone.
 */
package org.comity.aggregation.secagg;
