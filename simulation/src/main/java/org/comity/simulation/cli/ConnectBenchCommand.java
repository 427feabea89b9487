package org.comity.simulation.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.comity.simulation.bench.ConnectionBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench connect}: many agents connecting at once over mutual TLS, against plaintext in the same run. */
@Command(name = "connect", mixinStandardHelpOptions = true,
    description = {"N agents join one coordinator at the same instant, over plaintext and then over mutual TLS 1.3 "
        + "with their own certificates from a throwaway CA.",
        "Reports the time until all joined, joins (handshakes) per second, join latency percentiles and heap per "
            + "connected agent; writes bench-connect.json into --out."})
final class ConnectBenchCommand implements Callable<Integer> {
  @Option(names = "--agents", defaultValue = "200", paramLabel = "N",
      description = "Agents connecting at once, 1 to 2000 (default: ${DEFAULT-VALUE}).")
  int agents;

  @Option(names = "--out", defaultValue = "comity-bench-out", paramLabel = "DIR",
      description = "Output directory: the throwaway PKI and bench-connect.json (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (agents < 1 || agents > 2000) {
      throw new ExitCodes.BadInputException("--agents must be 1 to 2000, got " + agents);
    }
    Files.createDirectories(out);
    System.err.printf("bench connect: %d agents at once, plaintext then mutual TLS...%n", agents);
    List<ConnectionBenchmark.Result> results = new ConnectionBenchmark(agents,
        Files.createTempDirectory(out, "connect-pki-")).run();
    System.out.printf("%-16s %7s %7s %12s %10s %9s %9s %9s %12s%n", "transport", "agents", "joined", "all joined s",
        "joins/s", "p50 ms", "p95 ms", "max ms", "heap/agent");
    for (ConnectionBenchmark.Result r : results) {
      System.out.printf("%-16s %7d %7d %12.3f %10.1f %9.1f %9.1f %9.1f %9.1f KiB%n", r.transport(), r.agents(),
          r.joined(), r.secondsUntilAllJoined(), r.joinsPerSecond(), r.p50Millis(), r.p95Millis(), r.maxMillis(),
          r.heapBytesPerAgent() / 1024.0);
    }
    ConnectionBenchmark.Result plain = results.get(0);
    ConnectionBenchmark.Result tls = results.get(1);
    System.out.printf("mutual TLS / plaintext, time until all joined: %.2fx%n",
        tls.secondsUntilAllJoined() / plain.secondsUntilAllJoined());
    Path file = out.resolve("bench-connect.json");
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), results);
    System.out.println("results: " + file.toAbsolutePath());
    return tls.joined() == agents && plain.joined() == agents ? ExitCodes.OK : ExitCodes.FAILURE;
  }
}
