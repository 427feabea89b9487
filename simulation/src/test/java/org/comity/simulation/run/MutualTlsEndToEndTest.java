package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.comity.agent.cli.AgentMain;
import org.comity.coordinator.cli.CoordinatorMain;
import org.comity.coordinator.pki.MemberIdentityInterceptor;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.PlanHash;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.wire.ProtocolVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small consortium over mutual TLS on loopback, with certificates made by the operator's and the banks' commands
 * ({@code ca init}, {@code keygen}, {@code member enroll}, {@code member revoke}).
 */
class MutualTlsEndToEndTest {
  @TempDir
  Path dir;

  @Test
  void consortiumOverMutualTls_withCertificatesFromTheCommands_andARevokedMemberIsRefused() throws Exception {
    // given: the operator's CA and three enrolled banks, all made by the commands (logs captured throughout)
    var logs = SecureAggregationEndToEndTest.captureLogs();
    Path pki = dir.resolve("pki");
    Path passphrase = Files.writeString(dir.resolve("pass.txt"), "a passphrase that is long enough\n");
    assertEquals(0, CoordinatorMain.execute("ca", "init", "--pki-dir", pki.toString(), "--passphrase-file",
        passphrase.toString()));
    for (String bank : List.of("bank-01", "bank-02", "bank-03")) {
      Path bankDir = dir.resolve(bank);
      assertEquals(0, AgentMain.execute("keygen", "--member-id", bank, "--out-dir", bankDir.toString()));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(bankDir.resolve(bank + ".key"))));
      assertEquals(0, CoordinatorMain.execute("member", "enroll", "--pki-dir", pki.toString(), "--passphrase-file",
          passphrase.toString(), "--csr", bankDir.resolve(bank + ".csr").toString(), "--member-id", bank, "--out",
          bankDir.resolve(bank + ".crt").toString()));
    }
    var ca = PemFiles.readCertificate(Files.readString(pki.resolve("ca.crt")), "ca");
    Transport transport = new Transport(
        org.comity.coordinator.pki.MutualTls.serverCredentials(pki.resolve("ca.crt"), pki.resolve("server.crt"),
            pki.resolve("server.key"), Optional.empty()),
        List.of(new MemberIdentityInterceptor(RevocationList.reloading(pki.resolve("crl.pem"), ca))),
        bank -> {
          try {
            return org.comity.agent.pki.MutualTls.channelCredentials(pki.resolve("ca.crt"),
                dir.resolve(bank).resolve(bank + ".crt"), dir.resolve(bank).resolve(bank + ".key"), Optional.empty());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, "localhost",
        bank -> {
          try {
            return org.comity.agent.pki.SecAggKeySigner.load(pki.resolve("ca.crt"),
                dir.resolve(bank).resolve(bank + ".crt"), dir.resolve(bank).resolve(bank + ".key"), Optional.empty());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
    // and secure aggregation on: every bank signs its keys with its certificate key and checks the others'
    PreparedConsortium consortium = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 2, 9,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid",
        dir.resolve("run"), 1, true));
    // when
    FederatedRegime.Outcome outcome = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST, bank -> null, transport).run(consortium, Duration.ofMinutes(2));
    outcome.coordinator().close();
    // then
    assertTrue(outcome.run().completed(), outcome.run().reason());
    outcome.rounds().stream().filter(r -> r.round() > 0).forEach(r -> {
      assertEquals(RoundPhase.COMMITTED, r.outcome(), r.reason());
      assertEquals(List.of("bank-01", "bank-02", "bank-03"), r.contributors(), "every bank accepted the signed keys");
    });

    // when: the operator revokes bank-03, and bank-03 tries to join a new run with its certificate
    assertEquals(0, CoordinatorMain.execute("member", "revoke", "bank-03", "--pki-dir", pki.toString(),
        "--passphrase-file", passphrase.toString()));
    try (CoordinatorServer server = CoordinatorServer.start(consortium.plan(), FederatedRunEndToEndTest.FAST,
        transport.server(), transport.interceptors(), Clock.systemUTC())) {
      ManagedChannel revoked = NettyChannelBuilder.forAddress("localhost", server.port(), transport.bank().apply("bank-03"))
          .build();
      ManagedChannel active = NettyChannelBuilder.forAddress("localhost", server.port(), transport.bank().apply("bank-01"))
          .build();
      try {
        JoinRequest.Builder join = JoinRequest.newBuilder().setProtocol(ProtocolVersions.current())
            .setPlanHash(PlanHash.of(consortium.plan()));
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> FederationGrpc
            .newBlockingStub(revoked).withDeadlineAfter(10, TimeUnit.SECONDS).join(join.setMemberId("bank-03").build()));
        // then
        assertEquals(Status.Code.PERMISSION_DENIED, refused.getStatus().getCode());
        assertTrue(refused.getStatus().getDescription().contains("revoked"), refused.getStatus().getDescription());
        // and a bank cannot claim another member's id
        StatusRuntimeException impersonation = assertThrows(StatusRuntimeException.class, () -> FederationGrpc
            .newBlockingStub(active).withDeadlineAfter(10, TimeUnit.SECONDS).join(join.setMemberId("bank-02").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, impersonation.getStatus().getCode());
        // while a good member is still served
        assertTrue(!FederationGrpc.newBlockingStub(active).withDeadlineAfter(10, TimeUnit.SECONDS)
            .join(join.setMemberId("bank-01").build()).getSessionId().isEmpty());
      } finally {
        revoked.shutdownNow();
        active.shutdownNow();
      }
    }
    // and no key, passphrase or other key material reached the logs
    SecureAggregationEndToEndTest.stopCapturing(logs);
    for (var event : logs.list) {
      String message = event.getFormattedMessage();
      assertTrue(!message.contains("PRIVATE KEY") && !message.contains("passphrase that is long"), message);
    }
    SecureAggregationEndToEndTest.assertNoKeyMaterial(logs.list, PlanHash.of(consortium.plan()));
  }

  @Test
  void anExistingConsortiumCa_isImported_andTheCoordinatorAcceptsWhatItSigns() throws Exception {
    // given: a CA the consortium already runs (outside Comity's directory), its server certificate and one bank's
    Path external = dir.resolve("external");
    java.nio.file.Files.createDirectories(external);
    var existing = org.comity.coordinator.pki.ConsortiumCa.create("Existing bank-consortium CA", Duration.ofDays(365),
        Clock.systemUTC());
    existing.save(external.resolve("ca.key"), external.resolve("ca.crt"), "another long passphrase".toCharArray());
    existing.issueServerCertificate(List.of("localhost", "127.0.0.1"), Duration.ofDays(30))
        .save(external.resolve("server.key"), external.resolve("server.crt"), Optional.empty());
    assertEquals(0, AgentMain.execute("keygen", "--member-id", "bank-07", "--out-dir", dir.toString()));
    java.nio.file.Files.writeString(dir.resolve("bank-07.crt"), PemFiles.toPem(existing.enroll(
        java.nio.file.Files.readString(dir.resolve("bank-07.csr")), "bank-07", Duration.ofDays(30))));
    // when: the operator imports it instead of running 'ca init'
    Path pki = dir.resolve("pki");
    assertEquals(0, CoordinatorMain.execute("ca", "import", "--pki-dir", pki.toString(), "--ca-cert",
        external.resolve("ca.crt").toString(), "--server-cert", external.resolve("server.crt").toString(),
        "--server-key", external.resolve("server.key").toString()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.resolve("server.key"))));
    // then: a coordinator on that directory accepts the bank's certificate and knows it as bank-07
    var ca = PemFiles.readCertificate(Files.readString(pki.resolve("ca.crt")), "ca");
    var plan = org.comity.plan.PlanLoader.parse("label: y\nfeatures: [{name: a}]\nrounds: {min_quorum: 1}\n", "t");
    try (CoordinatorServer server = CoordinatorServer.start(plan, FederatedRunEndToEndTest.FAST,
        org.comity.coordinator.pki.MutualTls.serverCredentials(pki.resolve("ca.crt"), pki.resolve("server.crt"),
            pki.resolve("server.key"), Optional.empty()),
        List.of(new MemberIdentityInterceptor(RevocationList.reloading(pki.resolve("crl.pem"), ca))), Clock.systemUTC())) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port(),
          org.comity.agent.pki.MutualTls.channelCredentials(pki.resolve("ca.crt"), dir.resolve("bank-07.crt"),
              dir.resolve("bank-07.key"), Optional.empty())).build();
      try {
        JoinRequest.Builder join = JoinRequest.newBuilder().setProtocol(ProtocolVersions.current())
            .setPlanHash(PlanHash.of(plan));
        assertTrue(!FederationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
            .join(join.setMemberId("bank-07").build()).getSessionId().isEmpty());
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> FederationGrpc
            .newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS).join(join.setMemberId("bank-08").build()));
        assertEquals(Status.Code.PERMISSION_DENIED, other.getStatus().getCode());
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
