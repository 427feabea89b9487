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
 * Wall-clock benchmark (JMH is not in the offline repository, so this is a plain warmed-up timing
 * loop; not run by surefire). Run from the test classpath:
 *
 * <pre>
 * ./mvnw -q -o -pl aggregation test-compile
 * java -cp aggregation/target/classes:aggregation/target/test-classes:$HOME/.m2/repository/org/bouncycastle/bcprov-jdk18on/1.87/bcprov-jdk18on-1.87.jar \
 *   org.comity.aggregation.secagg.SecAggBenchmark [banks] [params] [neighbours] [threshold] [iterations]
 * </pre>
 *
 * Measures (1) one bank's masking step (decrypt shares + self mask + one pairwise mask per
 * neighbour) and (2) the coordinator's unmask step (reconstruct seeds/keys, sum, remove masks,
 * decode), with no dropout and with 5 banks dropping before their masked input.
 */
public final class SecAggBenchmark {
  private SecAggBenchmark() {}

  public static void main(String[] args) {
    int banks = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int params = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
    SecAggParameters p = args.length > 3
        ? new SecAggParameters(Integer.parseInt(args[2]), Integer.parseInt(args[3]))
        : SecAggParameters.derive(banks, 0.1, 0.3, ThreatModel.SEMI_HONEST_SERVER);
    int iterations = args.length > 4 ? Integer.parseInt(args[4]) : 5;
    System.out.printf("banks=%d params=%d neighbours=%d threshold=%d cores=%d java=%s%n", banks, params, p.neighbours(),
        p.threshold(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
    for (int dropouts : new int[] {0, 5}) {
      List<Long> mask = new ArrayList<>();
      List<Long> unmask = new ArrayList<>();
      List<Long> share = new ArrayList<>();
      for (int it = 0; it < iterations + 1; it++) {
        long[] t = runOnce(banks, params, p, dropouts, it);
        if (it > 0) { // first iteration is warm-up
          mask.add(t[0]);
          unmask.add(t[1]);
          share.add(t[2]);
        }
      }
      System.out.printf("dropouts=%d  bank share-keys step: %.1f ms  bank masking step: %.1f ms  "
          + "coordinator unmask step: %.1f ms (medians)%n", dropouts, median(share) / 1e6, median(mask) / 1e6,
          median(unmask) / 1e6);
    }
  }

  private static double median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /** @return {nanos of one bank's masking step, of the coordinator's unmask step, of one bank's share-keys step} */
  static long[] runOnce(int n, int length, SecAggParameters p, int dropouts, long seed) {
    List<String> ids = RoundHarness.bankIds(n);
    SecAggConfig config = new SecAggConfig(seed, ids, p, length, 1.0, 1_000_000);
    Map<String, ClientInput> inputs = RoundHarness.randomInputs(ids, length, 1_000_000, seed);
    SecAggServer server = new SecAggServer(config);
    Map<String, SecAggClient> clients = new LinkedHashMap<>();
    List<Outbound> out = new ArrayList<>();
    for (String id : ids) {
      SecAggClient c = new SecAggClient(config, id, RoundHarness.seeded(seed * 977 + id.hashCode()));
      clients.put(id, c);
      out.addAll(server.onMessage(id, c.start(inputs.get(id))));
    }
    long[] shareNanos = new long[1];
    out = exchange(server, clients, out, List.of(), shareNanos);
    long[] maskNanos = new long[1];
    out = exchange(server, clients, out, ids.subList(0, dropouts), maskNanos);
    if (dropouts > 0) {
      out = server.onDeadline();
    }
    // unmask: deliver requests, hold back the last response, then time the step it triggers
    List<org.comity.aggregation.secagg.ClientMessage> responses = new ArrayList<>();
    for (Outbound o : out) {
      clients.get(o.recipient()).onMessage(o.message()).ifPresent(responses::add);
    }
    for (int i = 0; i < responses.size() - 1; i++) {
      server.onMessage(responses.get(i).sender(), responses.get(i));
    }
    org.comity.aggregation.secagg.ClientMessage last = responses.get(responses.size() - 1);
    long start = System.nanoTime();
    server.onMessage(last.sender(), last);
    long unmaskNanos = System.nanoTime() - start;
    if (server.result().isEmpty()) {
      throw new IllegalStateException("round did not complete: " + server.aborted());
    }
    return new long[] {maskNanos[0], unmaskNanos, shareNanos[0]};
  }

  private static List<Outbound> exchange(SecAggServer server, Map<String, SecAggClient> clients, List<Outbound> in,
      List<String> silent, long[] timeFirstReply) {
    List<Outbound> next = new ArrayList<>();
    boolean timed = false;
    for (Outbound o : in) {
      long start = System.nanoTime();
      Optional<org.comity.aggregation.secagg.ClientMessage> reply = clients.get(o.recipient()).onMessage(o.message());
      if (timeFirstReply != null && !timed) {
        timeFirstReply[0] = System.nanoTime() - start;
        timed = true;
      }
      if (reply.isPresent() && !silent.contains(o.recipient())) {
        next.addAll(server.onMessage(o.recipient(), reply.get()));
      }
    }
    return next;
  }
}
