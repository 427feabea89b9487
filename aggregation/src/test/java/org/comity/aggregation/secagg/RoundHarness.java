package org.comity.aggregation.secagg;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.comity.aggregation.secagg.client.ClientInput;
import org.comity.aggregation.secagg.client.SecAggClient;
import org.comity.aggregation.secagg.server.AggregateResult;
import org.comity.aggregation.secagg.server.CollectingShares;
import org.comity.aggregation.secagg.server.Outbound;
import org.comity.aggregation.secagg.server.SecAggServer;
import org.comity.aggregation.secagg.server.ServerAborted;
import org.comity.aggregation.secagg.server.ServerCompleted;

/**
 * Scripted in-memory network for whole-round tests: banks that "drop at stage S" never send their
 * stage-S message nor anything later; a bank that refuses a coordinator message is treated as
 * dropped from then on (its agent would abort). Deadlines fire whenever the network is idle.
 */
public final class RoundHarness {
  /** The stage at which a bank goes silent. */
  public enum DropStage { ADVERTISE_KEYS, SHARE_KEYS, MASKED_INPUT, CONSISTENCY_CHECK, UNMASK }

  public record Outcome(Optional<AggregateResult> result, Optional<ServerAborted> aborted, RoundContext context,
      List<SecAggMessage> coordinatorInbox) {}

  private RoundHarness() {}

  public static SecureRandom seeded(long seed) {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(seed);
      return r;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Outcome run(SecAggConfig config, Map<String, ClientInput> inputs, Map<String, DropStage> drops, long seed) {
    // With the consistency check, every bank signs with its test identity key and the coordinator verifies too.
    SecAggServer server = config.consistencyCheck() ? new SecAggServer(config, TestSigners.verifier())
        : new SecAggServer(config);
    Map<String, SecAggClient> clients = new LinkedHashMap<>();
    Map<String, Integer> silentFrom = new LinkedHashMap<>();
    List<SecAggMessage> inbox = new ArrayList<>();
    RoundContext[] context = new RoundContext[1];
    Deque<Outbound> queue = new ArrayDeque<>();
    long i = 0;
    for (String id : config.members()) {
      SecAggClient client = new SecAggClient(config, id, seeded(seed * 1000 + i++), TestSigners.signer(id),
          TestSigners.verifier());
      clients.put(id, client);
      DropStage d = drops.get(id);
      silentFrom.put(id, d == null ? Integer.MAX_VALUE : d.ordinal());
      AdvertiseKeys keys = client.start(inputs.get(id));
      if (silentFrom.get(id) > 0) {
        inbox.add(keys);
        queue.addAll(server.onMessage(id, keys));
      }
    }
    while (!(server.stage() instanceof ServerCompleted) && !(server.stage() instanceof ServerAborted)) {
      if (queue.isEmpty()) {
        queue.addAll(server.onDeadline());
      }
      if (server.stage() instanceof CollectingShares shares) {
        context[0] = shares.context();
      }
      while (!queue.isEmpty()) {
        Outbound out = queue.poll();
        String to = out.recipient();
        Optional<ClientMessage> reply;
        try {
          reply = clients.get(to).onMessage(out.message());
        } catch (SecAggRejectedException refused) {
          silentFrom.put(to, -1);
          continue;
        }
        if (reply.isEmpty()) {
          continue;
        }
        int stageOfReply = stageOf(reply.get());
        if (stageOfReply >= silentFrom.get(to)) {
          continue;
        }
        inbox.add(reply.get());
        queue.addAll(server.onMessage(to, reply.get()));
        if (server.stage() instanceof CollectingShares shares) {
          context[0] = shares.context();
        }
      }
    }
    return new Outcome(server.result(), server.aborted(), context[0], inbox);
  }

  private static int stageOf(ClientMessage m) {
    if (m instanceof AdvertiseKeys) {
      return 0;
    }
    if (m instanceof EncryptedShares) {
      return 1;
    }
    if (m instanceof MaskedInput) {
      return 2;
    }
    if (m instanceof ConsistencyCheckResponse) {
      return 3;
    }
    return 4;
  }

  /** Plain FedAvg over {@code contributors}, on clipped values. */
  public static double[] plainFedAvg(Map<String, ClientInput> inputs, Set<String> contributors, double clip) {
    int length = inputs.values().iterator().next().update().length;
    double[] sum = new double[length];
    long total = 0;
    for (String c : contributors) {
      ClientInput in = inputs.get(c);
      double[] u = in.update();
      for (int j = 0; j < length; j++) {
        sum[j] += in.weight() * Math.max(-clip, Math.min(clip, u[j]));
      }
      total += in.weight();
    }
    for (int j = 0; j < length; j++) {
      sum[j] /= total;
    }
    return sum;
  }

  public static Map<String, ClientInput> randomInputs(List<String> members, int length, long maxWeight, long seed) {
    java.util.Random r = new java.util.Random(seed);
    Map<String, ClientInput> inputs = new LinkedHashMap<>();
    for (String m : members) {
      double[] u = new double[length];
      for (int j = 0; j < length; j++) {
        u[j] = r.nextGaussian() * 0.5;
      }
      inputs.put(m, new ClientInput(u, 1 + (long) (r.nextDouble() * (maxWeight - 1))));
    }
    return inputs;
  }

  public static List<String> bankIds(int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add("bank-%02d".formatted(i));
    }
    return ids;
  }
}
