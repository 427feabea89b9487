package org.comity.simulation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection benchmark really connects every agent, over both transports (its numbers are not asserted). */
class ConnectionBenchmarkTest {
  @TempDir
  Path dir;

  @Test
  void everyAgentJoins_overPlaintextAndOverMutualTls_withTheirOwnCertificates() throws Exception {
    List<ConnectionBenchmark.Result> results = new ConnectionBenchmark(6, dir).run();
    assertEquals(List.of("plaintext", "mutual TLS 1.3"), results.stream().map(ConnectionBenchmark.Result::transport)
        .toList());
    for (ConnectionBenchmark.Result result : results) {
      assertEquals(6, result.joined(), result.toString());
      assertTrue(result.p50Millis() <= result.p95Millis() && result.p95Millis() <= result.maxMillis(), result.toString());
      assertTrue(result.joinsPerSecond() > 0, result.toString());
    }
    assertTrue(dir.resolve("bank-0006.crt").toFile().isFile(), "each agent has its own certificate");
  }

  @Test
  void agentCountOutOfRange_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ConnectionBenchmark(0, dir));
    assertTrue(e.getMessage().contains("agents must be 1 to 2000"), e.getMessage());
  }
}
