package org.comity.coordinator.server;

import java.time.Duration;

/**
 * How the coordinator serves the federation.
 *
 * @param bindAddress interface to listen on; loopback by default, because until mutual TLS is configured the
 *     transport is not authenticated
 * @param port TCP port, 0 for any free port
 * @param pollTimeout how long a long poll is held open
 * @param livenessTimeout how long after its last poll a member counts as connected
 * @param maxMessageBytes largest inbound message accepted
 * @param runId identifier of this run, or {@code null} for a random one
 */
public record CoordinatorOptions(String bindAddress, int port, Duration pollTimeout, Duration livenessTimeout,
    int maxMessageBytes, String runId) {
  public CoordinatorOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, got " + port);
    }
    if (pollTimeout.isNegative() || pollTimeout.isZero()) {
      throw new IllegalArgumentException("poll timeout must be positive, got " + pollTimeout);
    }
    if (livenessTimeout.compareTo(pollTimeout) <= 0) {
      throw new IllegalArgumentException("liveness timeout %s must exceed the poll timeout %s"
          .formatted(livenessTimeout, pollTimeout));
    }
    if (maxMessageBytes < 64 * 1024) {
      throw new IllegalArgumentException("max message size must be at least 64 KiB, got " + maxMessageBytes);
    }
  }

  /** Loopback, port 7443, 10 s polls, 25 s liveness, 64 MiB messages. */
  public static CoordinatorOptions defaults() {
    return new CoordinatorOptions("127.0.0.1", 7443, Duration.ofSeconds(10), Duration.ofSeconds(25), 64 << 20, null);
  }

  public CoordinatorOptions withPort(int newPort) {
    return new CoordinatorOptions(bindAddress, newPort, pollTimeout, livenessTimeout, maxMessageBytes, runId);
  }

  public CoordinatorOptions withBindAddress(String address) {
    return new CoordinatorOptions(address, port, pollTimeout, livenessTimeout, maxMessageBytes, runId);
  }

  public CoordinatorOptions withPolling(Duration poll, Duration liveness) {
    return new CoordinatorOptions(bindAddress, port, poll, liveness, maxMessageBytes, runId);
  }

  public CoordinatorOptions withRunId(String id) {
    return new CoordinatorOptions(bindAddress, port, pollTimeout, livenessTimeout, maxMessageBytes, id);
  }

  public CoordinatorOptions withMaxMessageBytes(int bytes) {
    return new CoordinatorOptions(bindAddress, port, pollTimeout, livenessTimeout, bytes, runId);
  }
}
