package org.comity.coordinator.console;

import java.nio.file.Path;

/**
 * Where and how the console listens.
 *
 * @param bindAddress interface to listen on; loopback unless TLS is on or the operator explicitly allowed otherwise
 *     (the CLI enforces that)
 * @param port TCP port, 0 for any free port
 * @param tlsCertificate PEM certificate chain for HTTPS, or {@code null} for plain HTTP
 * @param tlsKey unencrypted PKCS#8 PEM key of {@code tlsCertificate}, or {@code null}
 */
public record ConsoleOptions(String bindAddress, int port, Path tlsCertificate, Path tlsKey) {
  public ConsoleOptions {
    if (bindAddress == null || bindAddress.isBlank()) {
      throw new IllegalArgumentException("the console needs a bind address");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("console port must be 0-65535, got " + port);
    }
    if ((tlsCertificate == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("console TLS needs both a certificate and a key, or neither");
    }
  }

  /** Plain HTTP on loopback. */
  public static ConsoleOptions loopback(int port) {
    return new ConsoleOptions("127.0.0.1", port, null, null);
  }

  public boolean tls() {
    return tlsCertificate != null;
  }
}
