package org.comity.aggregation.secagg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.client.SecAggClient;
import org.comity.aggregation.secagg.server.Outbound;
import org.comity.aggregation.secagg.server.SecAggServer;

/**
 * Step-by-step driver for rejection tests: 5 banks, complete graph, threshold 3; optionally with the consistency
 * check (banks sign with {@link TestSigners}, the coordinator verifies with them).
 */
public final class ManualRound {
  public final SecAggConfig config;
  public final SecAggServer server;
  public final Map<String, SecAggClient> clients = new LinkedHashMap<>();
  public final Map<String, ClientInput> inputs;
  /** Last message each bank sent to the coordinator. */
  public final Map<String, ClientMessage> lastSent = new LinkedHashMap<>();
  /** Last message the coordinator addressed to each bank. */
  public final Map<String, ServerMessage> lastReceived = new LinkedHashMap<>();

  public ManualRound(long roundId, long seed) {
    this(roundId, seed, false, false);
  }

  /**
   * @param consistencyCheck whether the round runs the consistency check
   * @param serverVerifies whether the coordinator verifies the signatures on receipt
   */
  public ManualRound(long roundId, long seed, boolean consistencyCheck, boolean serverVerifies) {
    List<String> banks = RoundHarness.bankIds(5);
    config = new SecAggConfig(roundId, banks, new SecAggParameters(4, 3), 8, 1.0, 1000, consistencyCheck);
    server = serverVerifies ? new SecAggServer(config, TestSigners.verifier()) : new SecAggServer(config);
    inputs = RoundHarness.randomInputs(banks, 8, 1000, seed);
    long i = 0;
    for (String b : banks) {
      clients.put(b, new SecAggClient(config, b, RoundHarness.seeded(seed * 100 + i++), TestSigners.signer(b),
          TestSigners.verifier()));
    }
  }

  /** Every bank starts; the keys of {@code sending} reach the coordinator. */
  public List<Outbound> advertise(List<String> sending) {
    List<Outbound> out = new ArrayList<>();
    for (Map.Entry<String, SecAggClient> e : clients.entrySet()) {
      AdvertiseKeys keys = e.getValue().start(inputs.get(e.getKey()));
      lastSent.put(e.getKey(), keys);
      if (sending.contains(e.getKey())) {
        out.addAll(server.onMessage(e.getKey(), keys));
      }
    }
    return out;
  }

  /** Delivers {@code outbound} to the banks; replies of banks in {@code replying} reach the coordinator. */
  public List<Outbound> deliver(List<Outbound> outbound, List<String> replying) {
    List<Outbound> next = new ArrayList<>();
    for (Outbound o : outbound) {
      lastReceived.put(o.recipient(), o.message());
      Optional<ClientMessage> reply = clients.get(o.recipient()).onMessage(o.message());
      if (reply.isPresent()) {
        lastSent.put(o.recipient(), reply.get());
        if (replying.contains(o.recipient())) {
          next.addAll(server.onMessage(o.recipient(), reply.get()));
        }
      }
    }
    return next;
  }

  public List<String> banks() {
    return config.members();
  }
}
