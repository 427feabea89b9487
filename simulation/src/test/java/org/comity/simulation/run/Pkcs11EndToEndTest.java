package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.comity.agent.cli.AgentMain;
import org.comity.agent.pki.SecAggKeySigner;
import org.comity.coordinator.cli.CoordinatorMain;
import org.comity.coordinator.pki.MemberIdentityInterceptor;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.SoftHsmTokens;
import org.comity.plan.PlanHash;
import org.comity.proto.v1.FederationGrpc;
import org.comity.proto.v1.JoinRequest;
import org.comity.wire.ProtocolVersions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys in hardware, end to end on SoftHSM: the consortium CA's key in one token and bank-01's key in another, both
 * made by the commands ({@code ca init}, {@code keygen}, {@code member enroll} with the {@code --pkcs11-*} options;
 * the PIN from {@code $COMITY_PKCS11_PIN}, set for the test JVM by the pom). bank-01 then joins over a real mutual-TLS
 * gRPC connection signed by its token, and takes part in secure-aggregation rounds whose key signatures the other
 * banks (keys in files) verify.
 */
class Pkcs11EndToEndTest {
  @TempDir
  Path dir;

  @Test
  void caKeyAndBankKeyInTokens_enrolmentMutualTlsAndSignedSecureAggregationWork() throws Exception {
    // given: the operator's CA in a token, bank-01's key in another token, bank-02 and bank-03 with key files
    var logs = SecureAggregationEndToEndTest.captureLogs();
    SoftHsmTokens.Token caToken = SoftHsmTokens.fresh();
    SoftHsmTokens.Token bankToken = SoftHsmTokens.fresh();
    Path pki = dir.resolve("pki");
    String[] caTokenOptions = {"--pkcs11-library", caToken.library().toString(), "--pkcs11-token-label",
        caToken.label(), "--key-alias", "consortium-ca"};
    assertEquals(0, CoordinatorMain.execute(concat(List.of("ca", "init", "--pki-dir", pki.toString()), caTokenOptions)));
    assertFalse(Files.exists(pki.resolve("ca.key")), "the CA key is in the token only");
    Path bank01 = Files.createDirectories(dir.resolve("bank-01"));
    assertEquals(0, AgentMain.execute("keygen", "--member-id", "bank-01", "--pkcs11-library",
        bankToken.library().toString(), "--pkcs11-slot", Long.toString(bankToken.slot()), "--csr-out",
        bank01.resolve("bank-01.csr").toString()));
    for (String bank : List.of("bank-02", "bank-03")) {
      assertEquals(0, AgentMain.execute("keygen", "--member-id", bank, "--out-dir", dir.resolve(bank).toString()));
    }
    for (String bank : List.of("bank-01", "bank-02", "bank-03")) {
      assertEquals(0, CoordinatorMain.execute(concat(List.of("member", "enroll", "--pki-dir", pki.toString(), "--csr",
          dir.resolve(bank).resolve(bank + ".csr").toString(), "--member-id", bank, "--out",
          dir.resolve(bank).resolve(bank + ".crt").toString()), caTokenOptions)));
    }
    X509Certificate ca = PemFiles.readCertificate(Files.readString(pki.resolve("ca.crt")), "ca");
    X509Certificate bank01Certificate = PemFiles.readCertificate(Files.readString(bank01.resolve("bank-01.crt")), "b1");
    bank01Certificate.verify(ca.getPublicKey());
    try (Pkcs11Token token = Pkcs11Token.open(bankToken.bySlot("bank-01"), SoftHsmTokens.PIN.toCharArray())) {
      PrivateKey bankKey = token.privateKey("bank-01");
      assertNull(bankKey.getEncoded(), "the bank key is not extractable");
      assertEquals(bank01Certificate.getPublicKey(), token.certificate("bank-01").getPublicKey());
      assertEquals(List.of("bank-01.crt", "bank-01.csr"), Files.list(bank01).map(p -> p.getFileName().toString())
          .sorted().toList(), "no key file at the bank");

      Transport transport = new Transport(
          org.comity.coordinator.pki.MutualTls.serverCredentials(pki.resolve("ca.crt"), pki.resolve("server.crt"),
              pki.resolve("server.key"), Optional.empty()),
          List.of(new MemberIdentityInterceptor(RevocationList.reloading(pki.resolve("crl.pem"), ca))),
          bank -> credentials(pki, bank, bankKey), "localhost",
          bank -> signer(pki, bank, bankKey));
      PreparedConsortium consortium = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 2, 9,
          FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid",
          dir.resolve("run"), 1, true));

      // when: bank-01 joins over mutual TLS with its token key
      try (CoordinatorServer server = CoordinatorServer.start(consortium.plan(), FederatedRunEndToEndTest.FAST,
          transport.server(), transport.interceptors(), Clock.systemUTC())) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("localhost", server.port(),
            transport.bank().apply("bank-01")).build();
        try {
          String session = FederationGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
              .join(JoinRequest.newBuilder().setProtocol(ProtocolVersions.current())
                  .setPlanHash(PlanHash.of(consortium.plan())).setMemberId("bank-01").build())
              .getSessionId();

          // then: the coordinator knew it as bank-01 from the certificate the token key proved
          assertFalse(session.isEmpty());
        } finally {
          channel.shutdownNow();
        }
      }

      // when: a federated run with secure aggregation, bank-01 signing its keys in the token
      FederatedRegime.Outcome outcome = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
          FederatedRunEndToEndTest.FAST, bank -> null, transport).run(consortium, Duration.ofMinutes(2));
      outcome.coordinator().close();

      // then: every round committed with all three banks, so each verified bank-01's token signature
      assertTrue(outcome.run().completed(), outcome.run().reason());
      outcome.rounds().stream().filter(r -> r.round() > 0).forEach(r -> {
        assertEquals(RoundPhase.COMMITTED, r.outcome(), r.reason());
        assertEquals(List.of("bank-01", "bank-02", "bank-03"), r.contributors());
      });
    }
    // and neither the PIN nor key material reached the logs
    SecureAggregationEndToEndTest.stopCapturing(logs);
    for (var event : logs.list) {
      assertFalse(event.getFormattedMessage().contains(SoftHsmTokens.PIN), event.getFormattedMessage());
    }
    SecureAggregationEndToEndTest.assertNoKeyMaterial(logs.list);
  }

  private ChannelCredentials credentials(Path pki, String bank, PrivateKey tokenKey) {
    Path bankDir = dir.resolve(bank);
    try {
      return "bank-01".equals(bank)
          ? org.comity.agent.pki.MutualTls.channelCredentials(pki.resolve("ca.crt"), bankDir.resolve(bank + ".crt"),
              tokenKey)
          : org.comity.agent.pki.MutualTls.channelCredentials(pki.resolve("ca.crt"), bankDir.resolve(bank + ".crt"),
              bankDir.resolve(bank + ".key"), Optional.empty());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private SecAggKeySigner signer(Path pki, String bank, PrivateKey tokenKey) {
    Path bankDir = dir.resolve(bank);
    try {
      return "bank-01".equals(bank)
          ? SecAggKeySigner.withKey(pki.resolve("ca.crt"), bankDir.resolve(bank + ".crt"), tokenKey)
          : SecAggKeySigner.load(pki.resolve("ca.crt"), bankDir.resolve(bank + ".crt"), bankDir.resolve(bank + ".key"),
              Optional.empty());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String[] concat(List<String> first, String[] second) {
    String[] all = first.toArray(new String[first.size() + second.length]);
    System.arraycopy(second, 0, all, first.size(), second.length);
    return all;
  }
}
