package org.comity.simulation.run;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import java.util.List;
import java.util.function.Function;
import org.comity.agent.pki.SecAggKeySigner;
import org.comity.coordinator.server.CoordinatorServer;

/**
 * How the simulated coordinator and banks connect: plaintext on loopback by default, or mutual TLS with the
 * consortium's certificates (the same credentials a deployment uses).
 *
 * @param server the coordinator's transport credentials
 * @param interceptors the coordinator's interceptors that go with them (member identity, revocation)
 * @param bank each bank's channel credentials, by member id
 * @param host the host name the banks dial (must match the server certificate under TLS)
 * @param signer each bank's signer of its secure-aggregation keys (its certificate key), or null for none
 */
public record Transport(ServerCredentials server, List<ServerInterceptor> interceptors,
    Function<String, ChannelCredentials> bank, String host, Function<String, SecAggKeySigner> signer) {
  public Transport {
    interceptors = List.copyOf(interceptors);
  }

  /** A transport whose banks do not sign their secure-aggregation keys. */
  public Transport(ServerCredentials server, List<ServerInterceptor> interceptors,
      Function<String, ChannelCredentials> bank, String host) {
    this(server, interceptors, bank, host, member -> null);
  }

  /** Plaintext on loopback: simulations and tests only. */
  public static Transport plaintext() {
    return new Transport(CoordinatorServer.plaintext(), List.of(), member -> InsecureChannelCredentials.create(),
        "127.0.0.1");
  }
}
