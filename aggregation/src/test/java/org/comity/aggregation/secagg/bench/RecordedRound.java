package org.comity.aggregation.secagg.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.comity.aggregation.secagg.ClientMessage;
import org.comity.aggregation.secagg.MaskedInput;
import org.comity.aggregation.secagg.RoundHarness;
import org.comity.aggregation.secagg.SecAggConfig;
import org.comity.aggregation.secagg.SecAggParameters;
import org.comity.aggregation.secagg.ServerMessage;
import org.comity.aggregation.secagg.ShareDelivery;
import org.comity.aggregation.secagg.ThreatModel;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.client.ClientStage;
import org.comity.aggregation.secagg.client.SecAggClient;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.comity.aggregation.secagg.server.CollectingMaskedInputs;
import org.comity.aggregation.secagg.server.Outbound;
import org.comity.aggregation.secagg.server.SecAggServer;
import org.comity.aggregation.secagg.server.ServerStage;

/**
 * One complete SecAgg+ round, run once with real clients (benchmark set-up, not measured), whose
 * client messages are recorded per stage so that the coordinator side can be replayed into a fresh
 * {@link SecAggServer} as often as needed. {@code dropouts} banks, spread evenly over the sorted
 * member list, share their keys and then go silent before their masked input (the costly case: the
 * coordinator must reconstruct their masking keys and remove their pairwise masks).
 *
 * <p>Besides the messages it keeps two snapshots. Protocol stages are immutable (see {@link
 * ServerStage} and {@link ClientStage}), so calling {@code onMessage} on a snapshot any number of
 * times is exactly a fresh server (or bank) that has been fed the same messages:
 *
 * <ul>
 *   <li>{@link #serverBeforeLastUnmaskResponse}: the coordinator with every message replayed except
 *       the last unmask response, which triggers reconstruction, unmasking and decoding;
 *   <li>{@link #bankAwaitingShareDelivery} with {@link #shareDelivery}: one surviving bank just
 *       before its masking step.
 * </ul>
 */
public final class RecordedRound {
  /** Corrupt and dropout rates for {@link SecAggParameters#derive}: 10% each, semi-honest coordinator. */
  public static final double CORRUPT_RATE = 0.1;
  public static final double DROPOUT_RATE = 0.1;

  public final SecAggConfig config;
  public final List<ClientMessage> advertiseKeys = new ArrayList<>();
  public final List<ClientMessage> encryptedShares = new ArrayList<>();
  public final List<ClientMessage> maskedInputs = new ArrayList<>();
  public final List<ClientMessage> unmaskResponses = new ArrayList<>();
  public final Set<String> dropped;
  public final ServerStage serverBeforeLastUnmaskResponse;
  public final ClientMessage lastUnmaskResponse;
  public final ClientStage bankAwaitingShareDelivery;
  public final ServerMessage shareDelivery;
  public final int bankNeighboursDelivered;
  /**
   * Masks of {@code length + 2} words the coordinator expands in the unmask stage: one self mask per
   * survivor plus one pairwise mask per (dropped bank, surviving neighbour) pair.
   */
  public final int serverMaskExpansions;

  /**
   * Graph parameters of a scenario: {@code derived} = {@link SecAggParameters#derive}(n, 0.1, 0.1,
   * SEMI_HONEST_SERVER); {@code complete} = classic SecAgg (every bank neighbours every other) with
   * the smallest secure threshold for a 10% corrupt rate, floor(0.1 n) + 1.
   */
  public static SecAggParameters parameters(int banks, String graph) {
    return switch (graph) {
      case "derived" -> SecAggParameters.derive(banks, CORRUPT_RATE, DROPOUT_RATE, ThreatModel.SEMI_HONEST_SERVER);
      case "complete" -> new SecAggParameters(banks - 1, (int) Math.floor(CORRUPT_RATE * banks) + 1);
      default -> throw new IllegalArgumentException("graph must be derived or complete, got " + graph);
    };
  }

  public RecordedRound(int banks, int length, int dropouts, String graph, long seed) {
    List<String> ids = RoundHarness.bankIds(banks);
    config = new SecAggConfig(seed, ids, parameters(banks, graph), length, 1.0, 1_000_000);
    List<String> members = config.members();
    Set<String> drop = new TreeSet<>();
    for (int i = 0; i < dropouts; i++) {
      drop.add(members.get((int) ((long) i * banks / dropouts)));
    }
    dropped = Set.copyOf(drop);
    SecAggServer server = new SecAggServer(config);
    Map<String, SecAggClient> clients = new LinkedHashMap<>();
    List<Outbound> out = new ArrayList<>();
    int index = 0;
    for (String id : members) {
      SecAggClient client = new SecAggClient(config, id, RoundHarness.seeded(seed * 1_000_003 + index));
      clients.put(id, client);
      ClientMessage keys = client.start(randomInput(length, seed * 7_919 + index));
      index++;
      advertiseKeys.add(keys);
      out.addAll(server.onMessage(id, keys));
    }
    out = deliver(server, clients, out, encryptedShares, Set.of());
    Map<String, Set<String>> maskedWith = ((CollectingMaskedInputs) server.stage()).maskedWith();
    int expansions = config.members().size() - dropped.size();
    for (String d : dropped) {
      for (String j : maskedWith.get(d)) {
        expansions += dropped.contains(j) ? 0 : 1;
      }
    }
    serverMaskExpansions = expansions;
    // Stage 3: remember one surviving bank just before its masking step, then let every bank mask.
    String probe = null;
    for (String m : members) {
      if (!dropped.contains(m)) {
        probe = m;
        break;
      }
    }
    ClientStage probeStage = clients.get(probe).stage();
    ServerMessage probeDelivery = null;
    for (Outbound o : out) {
      if (o.recipient().equals(probe)) {
        probeDelivery = o.message();
      }
    }
    bankAwaitingShareDelivery = probeStage;
    shareDelivery = probeDelivery;
    bankNeighboursDelivered = ((ShareDelivery) probeDelivery).ciphertextBySender().size();
    out = maskAll(server, clients, out);
    if (!dropped.isEmpty()) {
      out = server.onDeadline();
    }
    List<ClientMessage> responses = new ArrayList<>();
    for (Outbound o : out) {
      clients.get(o.recipient()).onMessage(o.message()).ifPresent(responses::add);
    }
    clients.clear();
    for (int i = 0; i < responses.size() - 1; i++) {
      server.onMessage(responses.get(i).sender(), responses.get(i));
    }
    unmaskResponses.addAll(responses);
    serverBeforeLastUnmaskResponse = server.stage();
    lastUnmaskResponse = responses.get(responses.size() - 1);
    server.onMessage(lastUnmaskResponse.sender(), lastUnmaskResponse);
    check(server.result().orElseThrow(() -> new IllegalStateException("round did not complete: " + server.aborted())));
  }

  /** Fails unless {@code result} is this round's aggregate (all survivors in, the dropped out). */
  public void check(AggregateResult result) {
    if (result.contributors().size() != config.members().size() - dropped.size()
        || !Set.copyOf(result.droppedAfterSharing()).equals(dropped)) {
      throw new IllegalStateException("unexpected aggregate " + result);
    }
  }

  /** Replays every recorded message into a fresh coordinator: the whole server side of the round. */
  public AggregateResult replayAll() {
    SecAggServer server = new SecAggServer(config);
    for (ClientMessage m : advertiseKeys) {
      server.onMessage(m.sender(), m);
    }
    for (ClientMessage m : encryptedShares) {
      server.onMessage(m.sender(), m);
    }
    for (ClientMessage m : maskedInputs) {
      server.onMessage(m.sender(), m);
    }
    if (!dropped.isEmpty()) {
      server.onDeadline();
    }
    for (ClientMessage m : unmaskResponses) {
      server.onMessage(m.sender(), m);
    }
    return server.result().orElseThrow(() -> new IllegalStateException("replay did not complete: " + server.aborted()));
  }

  /** Bytes of one bank's masked vector as sent ({@code MaskedInput.maskedWords()}). */
  public int maskedInputBytes() {
    return ((MaskedInput) maskedInputs.get(0)).maskedWords().length;
  }

  private List<Outbound> deliver(SecAggServer server, Map<String, SecAggClient> clients, List<Outbound> in,
      List<ClientMessage> record, Set<String> silent) {
    List<Outbound> next = new ArrayList<>();
    for (Outbound o : in) {
      var reply = clients.get(o.recipient()).onMessage(o.message());
      if (reply.isPresent() && !silent.contains(o.recipient())) {
        record.add(reply.get());
        next.addAll(server.onMessage(o.recipient(), reply.get()));
      }
    }
    return next;
  }

  /** Masking step of every surviving bank, in parallel (set-up only); dropped banks never mask. */
  private List<Outbound> maskAll(SecAggServer server, Map<String, SecAggClient> clients, List<Outbound> in) {
    List<Outbound> deliveries = in.stream().filter(o -> !dropped.contains(o.recipient())).toList();
    List<ClientMessage> replies = deliveries.parallelStream()
        .map(o -> clients.get(o.recipient()).onMessage(o.message()).orElseThrow())
        .toList();
    List<Outbound> next = new ArrayList<>();
    for (ClientMessage reply : replies) {
      maskedInputs.add(reply);
      next.addAll(server.onMessage(reply.sender(), reply));
    }
    return next;
  }

  private static ClientInput randomInput(int length, long seed) {
    Random r = new Random(seed);
    double[] u = new double[length];
    for (int j = 0; j < length; j++) {
      u[j] = r.nextGaussian() * 0.5;
    }
    return new ClientInput(u, 1 + (long) (r.nextDouble() * 999_999));
  }
}
