package org.comity.simulation.bench;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.comity.agent.pki.BankKeys;
import org.comity.coordinator.pki.ConsortiumCa;
import org.comity.coordinator.pki.MemberIdentityInterceptor;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.pki.MemberRoster;
import org.comity.coordinator.pki.ServerIdentity;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.PlanLoader;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.wire.ProtocolVersions;

/**
 * Many agents connecting at once to one coordinator: every agent opens its own channel and joins at the same instant
 * (a start gate), over mutual TLS 1.3 with its own certificate from a fresh consortium CA, and, as the baseline in
 * the same run, over plaintext. Measures the time until all have joined, handshakes (joins) per second, per-join
 * latency percentiles, and heap growth per connected agent.
 *
 * <p>Both ends live in this JVM, so the heap growth per agent counts the coordinator's session and TLS state and
 * the client's channel: an upper bound for the coordinator alone.
 */
public final class ConnectionBenchmark {
  /** One transport's numbers. */
  public record Result(String transport, int agents, int joined, double secondsUntilAllJoined,
      double joinsPerSecond, double p50Millis, double p95Millis, double maxMillis, long heapBytesPerAgent) {}

  private final int agents;
  private final Path workDir;

  /**
   * @param agents how many agents connect at once, 1 to 2000
   * @param workDir where the CA, the agents' keys and certificates are written (fresh, test material only)
   */
  public ConnectionBenchmark(int agents, Path workDir) {
    if (agents < 1 || agents > 2000) {
      throw new IllegalArgumentException("agents must be 1 to 2000, got " + agents);
    }
    this.agents = agents;
    this.workDir = workDir;
  }

  /** Runs a small warm-up of both transports, then plaintext, then mutual TLS. */
  public List<Result> run() throws Exception {
    FederationPlan plan = PlanLoader.parse("""
        label: y
        features: [{name: a}]
        rounds: {min_quorum: 1, min_members_to_start: %d}
        """.formatted(agents + 1), "connection benchmark");
    List<String> members = new ArrayList<>();
    for (int i = 1; i <= agents; i++) {
      members.add("bank-%04d".formatted(i));
    }
    Pki pki = Pki.create(workDir, members);
    // Warm-up: class loading, JIT and the TLS provider's first use are paid here, not by the first measurement.
    List<String> few = members.subList(0, Math.min(10, members.size()));
    measure("warm-up", plan, CoordinatorServer.plaintext(), List.of(), "127.0.0.1", few,
        member -> InsecureChannelCredentials.create());
    measure("warm-up", plan, pki.server(), pki.interceptors(), "localhost", few, pki::client);
    Result plaintext = measure("plaintext", plan, CoordinatorServer.plaintext(), List.of(), "127.0.0.1",
        members, member -> InsecureChannelCredentials.create());
    Result tls = measure("mutual TLS 1.3", plan, pki.server(), pki.interceptors(), "localhost", members,
        pki::client);
    return List.of(plaintext, tls);
  }

  private Result measure(String name, FederationPlan plan, ServerCredentials server,
      List<ServerInterceptor> interceptors, String host, List<String> members,
      java.util.function.Function<String, ChannelCredentials> credentials) throws Exception {
    CoordinatorOptions options = CoordinatorOptions.defaults().withPort(0).withRunId("bench-connect");
    ExecutorService pool = Executors.newFixedThreadPool(members.size());
    List<ManagedChannel> channels = new ArrayList<>();
    try (CoordinatorServer coordinator = CoordinatorServer.start(plan, options, server, interceptors,
        Clock.systemUTC())) {
      long heapBefore = usedHeapAfterGc();
      for (String member : members) {
        channels.add(NettyChannelBuilder.forAddress(host, coordinator.port(), credentials.apply(member)).build());
      }
      CountDownLatch ready = new CountDownLatch(members.size());
      CountDownLatch go = new CountDownLatch(1);
      JoinRequest.Builder join = JoinRequest.newBuilder().setProtocol(ProtocolVersions.current())
          .setPlanHash(PlanHash.of(plan)).setAgentVersion("bench");
      List<Future<Long>> latencies = new ArrayList<>();
      for (int i = 0; i < members.size(); i++) {
        ManagedChannel channel = channels.get(i);
        String member = members.get(i);
        latencies.add(pool.submit(() -> {
          ready.countDown();
          go.await();
          long start = System.nanoTime();
          // The first call on a fresh channel makes the TCP connection and the TLS handshake.
          FederationGrpc.newBlockingStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS)
              .join(join.clone().setMemberId(member).build());
          return System.nanoTime() - start;
        }));
      }
      ready.await();
      long started = System.nanoTime();
      go.countDown();
      long[] nanos = new long[members.size()];
      int joined = 0;
      for (int i = 0; i < latencies.size(); i++) {
        try {
          nanos[joined] = latencies.get(i).get(180, TimeUnit.SECONDS);
          joined++;
        } catch (java.util.concurrent.ExecutionException e) {
          System.err.println("join failed: " + e.getCause().getMessage());
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      long heapAfter = usedHeapAfterGc();
      long[] done = Arrays.copyOf(nanos, joined);
      Arrays.sort(done);
      return new Result(name, members.size(), joined, seconds, joined / seconds, percentile(done, 0.50),
          percentile(done, 0.95), joined == 0 ? Double.NaN : done[joined - 1] / 1e6,
          joined == 0 ? 0 : Math.max(0, heapAfter - heapBefore) / joined);
    } finally {
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
      for (ManagedChannel channel : channels) {
        channel.awaitTermination(10, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
    }
  }

  private static double percentile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int index = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** A throwaway consortium PKI: a CA, the coordinator's certificate and one certificate per agent. */
  private record Pki(Path dir, ServerCredentials server, List<ServerInterceptor> interceptors) {
    static Pki create(Path dir, List<String> members) throws Exception {
      Files.createDirectories(dir);
      ConsortiumCa ca = ConsortiumCa.create("Comity benchmark CA", ConsortiumCa.DEFAULT_CA_VALIDITY, Clock.systemUTC());
      String caPem = PemFiles.toPem(ca.certificate());
      Files.writeString(dir.resolve("ca.crt"), caPem);
      ServerIdentity server = ca.issueServerCertificate(List.of("localhost", "127.0.0.1"),
          ConsortiumCa.DEFAULT_SERVER_VALIDITY);
      ServerCredentials credentials = org.comity.coordinator.pki.MutualTls.serverCredentials(ca.certificate(),
          PemFiles.toPem(server.certificate()), PemFiles.privateKeyPem(server.privateKey(), Optional.empty()));
      MemberRoster roster = MemberRoster.load(dir.resolve("members.json"));
      RevocationList crl = ca.revocationList(roster);
      for (String member : members) {
        BankKeys.Generated keys = BankKeys.generate(member, dir.resolve(member + ".key"), dir.resolve(member + ".csr"),
            Optional.empty());
        Files.writeString(dir.resolve(member + ".crt"),
            PemFiles.toPem(ca.enroll(Files.readString(keys.csrFile()), member, ConsortiumCa.DEFAULT_MEMBER_VALIDITY)));
      }
      return new Pki(dir, credentials, List.of(new MemberIdentityInterceptor(() -> crl)));
    }

    ChannelCredentials client(String member) {
      try {
        return org.comity.agent.pki.MutualTls.channelCredentials(dir.resolve("ca.crt"), dir.resolve(member + ".crt"),
            dir.resolve(member + ".key"), Optional.empty());
      } catch (Exception e) {
        throw new IllegalStateException("cannot load the benchmark credentials of " + member, e);
      }
    }
  }
}
