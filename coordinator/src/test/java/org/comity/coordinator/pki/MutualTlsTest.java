package org.comity.coordinator.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutual TLS over a real loopback socket with gRPC's BoringSSL: the CA issues the server's and the banks'
 * certificates, the server runs with {@link MutualTls} and {@link MemberIdentityInterceptor}, and each refused
 * client is followed by a good one to show the server still serves.
 */
class MutualTlsTest {
  private static final char[] SERVER_KEY_PASSPHRASE = "server key passphrase".toCharArray();

  @TempDir
  static Path dir;

  private static ConsortiumCa ca;
  private static MemberRoster roster;
  private static Server server;
  private static final AtomicReference<RevocationList> revocations = new AtomicReference<>(RevocationList.none());
  private static final AtomicReference<String> lastProtocol = new AtomicReference<>();
  private static String caPem;
  private static TestBanks.Bank bankA;
  private static X509Certificate bankACertificate;

  @BeforeAll
  static void startServer() throws Exception {
    ca = ConsortiumCa.create("Comity test CA", Duration.ofDays(365), Clock.systemUTC());
    caPem = PemFiles.toPem(ca.certificate());
    roster = MemberRoster.load(dir.resolve("members.json"));
    ServerIdentity identity = ca.issueServerCertificate(List.of("localhost", "127.0.0.1"), Duration.ofDays(30));
    identity.save(dir.resolve("server-key.pem"), dir.resolve("server-cert.pem"), Optional.of(SERVER_KEY_PASSPHRASE));
    Files.writeString(dir.resolve("ca-cert.pem"), caPem);
    var credentials = MutualTls.serverCredentials(dir.resolve("ca-cert.pem"), dir.resolve("server-cert.pem"),
        dir.resolve("server-key.pem"), Optional.of(SERVER_KEY_PASSPHRASE));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
        .addService(ServerInterceptors.intercept(WhoAmIService.definition(),
            new MemberIdentityInterceptor(revocations::get), new ProtocolRecorder()))
        .build()
        .start();
    bankA = TestBanks.ecBank("CN=bank-a,O=Comity");
    bankACertificate = ca.enroll(bankA.csrPem(), "bank-a", ConsortiumCa.DEFAULT_MEMBER_VALIDITY);
    roster.recordIssued(bankACertificate);
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @BeforeEach
  void noRevocations() {
    revocations.set(RevocationList.none());
  }

  @Test
  void enrolledBank_handlerSeesTheMemberIdFromItsCertificate_overTls13() throws Exception {
    // when
    String seen = call(clientCredentials(bankACertificate, bankA.unencryptedKeyPem()));
    // then
    assertEquals("bank-a", seen);
    assertEquals("TLSv1.3", lastProtocol.get());
  }

  @Test
  void ipLiteralTarget_matchesTheServersIpSan() {
    ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + server.getPort(),
        clientCredentialsUnchecked(bankACertificate, bankA.unencryptedKeyPem())).build();
    try {
      assertEquals("bank-a", ClientCalls.blockingUnaryCall(channel, WhoAmIService.WHO_AM_I,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "who?"));
    } finally {
      channel.shutdownNow();
    }
  }

  private static ChannelCredentials clientCredentialsUnchecked(X509Certificate certificate, String keyPem) {
    try {
      return clientCredentials(certificate, keyPem);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void noClientCertificate_refusedInTheHandshake_serverStillServes() throws Exception {
    ChannelCredentials anonymous = TlsChannelCredentials.newBuilder().trustManager(stream(caPem)).build();

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> call(anonymous));

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertGoodClientServed();
  }

  @Test
  void certificateFromAForeignCa_refusedInTheHandshake_serverStillServes() throws Exception {
    ConsortiumCa foreign = ConsortiumCa.create("Other consortium", Duration.ofDays(365), Clock.systemUTC());
    TestBanks.Bank intruder = TestBanks.ecBank("CN=bank-a");
    X509Certificate foreignCertificate = foreign.enroll(intruder.csrPem(), "bank-a", Duration.ofDays(30));

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> call(clientCredentials(foreignCertificate, intruder.unencryptedKeyPem())));

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertGoodClientServed();
  }

  @Test
  void expiredClientCertificate_refusedInTheHandshake_serverStillServes() throws Exception {
    // given: the same CA key, but the certificate was issued 40 days ago for 30 days
    Path key = dir.resolve("expired-ca-key.pem");
    Path cert = dir.resolve("expired-ca-cert.pem");
    ca.save(key, cert, "p".toCharArray());
    Clock fortyDaysAgo = Clock.fixed(Instant.now().minus(Duration.ofDays(40)), ZoneOffset.UTC);
    ConsortiumCa pastCa = ConsortiumCa.load(key, cert, "p".toCharArray(), fortyDaysAgo);
    TestBanks.Bank bank = TestBanks.ecBank("CN=bank-x");
    X509Certificate expired = pastCa.enroll(bank.csrPem(), "bank-x", Duration.ofDays(30));
    // when
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class,
        () -> call(clientCredentials(expired, bank.unencryptedKeyPem())));
    // then
    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertGoodClientServed();
  }

  @Test
  void revokedMember_permissionDenied_otherMembersStillServed() throws Exception {
    // given
    TestBanks.Bank bankB = TestBanks.ecBank("CN=bank-b");
    X509Certificate bankBCertificate = ca.enroll(bankB.csrPem(), "bank-b", Duration.ofDays(30));
    roster.recordIssued(bankBCertificate);
    ChannelCredentials bankBCredentials = clientCredentials(bankBCertificate, bankB.unencryptedKeyPem());
    assertEquals("bank-b", call(bankBCredentials));
    // when
    RevocationList crl = ca.revoke("bank-b", roster);
    revocations.set(crl);
    // then
    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> call(bankBCredentials));
    assertEquals(Status.Code.PERMISSION_DENIED, error.getStatus().getCode());
    assertTrue(error.getStatus().getDescription().contains("member bank-b is revoked"), error.getStatus().toString());
    assertTrue(crl.isRevoked(bankBCertificate));
    assertEquals(false, crl.isRevoked(bankACertificate));
    assertGoodClientServed();
  }

  @Test
  void revocationFile_reloadedOnChange_revocationTakesEffectWithoutRestart() throws Exception {
    // given
    TestBanks.Bank bankC = TestBanks.ecBank("CN=bank-c");
    X509Certificate bankCCertificate = ca.enroll(bankC.csrPem(), "bank-c", Duration.ofDays(30));
    roster.recordIssued(bankCCertificate);
    Path crlFile = dir.resolve("crl.pem");
    var reloading = RevocationList.reloading(crlFile, ca.certificate());
    assertEquals(false, reloading.get().isRevoked(bankCCertificate));
    // when
    ca.revoke("bank-c", roster).writeTo(crlFile);
    // then
    assertTrue(reloading.get().isRevoked(bankCCertificate));
    assertTrue(RevocationList.load(crlFile, ca.certificate()).isRevoked(bankCCertificate));
    MemberRoster reread = MemberRoster.load(roster.file());
    assertTrue(reread.members().stream().anyMatch(m -> m.memberId().equals("bank-c")
        && m.status() == EnrolledMember.Status.REVOKED && m.revokedAt() != null));
  }

  @Test
  void serverCertificateUsedAsClientCertificate_refused() throws Exception {
    // A certificate of the consortium CA without EKU clientAuth must not authenticate a client.
    ServerIdentity other = ca.issueServerCertificate(List.of("bank-a"), Duration.ofDays(1));

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> call(clientCredentials(
        other.certificate(), PemFiles.privateKeyPem(other.privateKey(), Optional.empty()))));

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
    assertGoodClientServed();
  }

  @Test
  void plaintextInProcess_passesThroughWithoutIdentity() throws Exception {
    String name = InProcessServerBuilder.generateName();
    Server inProcess = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(WhoAmIService.definition(),
            new MemberIdentityInterceptor(RevocationList::none)))
        .build().start();
    ManagedChannel channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    try {
      assertEquals(WhoAmIService.ANONYMOUS, ClientCalls.blockingUnaryCall(channel, WhoAmIService.WHO_AM_I,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(5, TimeUnit.SECONDS), "who?"));
    } finally {
      channel.shutdownNow();
      inProcess.shutdownNow();
    }
  }

  @Test
  void serverCredentials_keyOfAnotherCertificate_refused() {
    ServerIdentity one = assertDoesNotThrowIssue();
    ServerIdentity two = assertDoesNotThrowIssue();

    PkiException error = assertThrows(PkiException.class, () -> MutualTls.serverCredentials(ca.certificate(),
        PemFiles.toPem(one.certificate()), PemFiles.privateKeyPem(two.privateKey(), Optional.empty()), Optional.empty()));

    assertTrue(error.getMessage().contains("does not belong"), error.getMessage());
  }

  @Test
  void protocols_tls12Refused_tls13Accepted() throws Exception {
    assertEquals(Optional.empty(), handshake("TLSv1.2"));
    assertEquals(Optional.of("TLSv1.3"), handshake("TLSv1.3"));
  }

  /** A raw JDK TLS handshake with bank-a's certificate, limited to one protocol; the protocol agreed, if any. */
  private static Optional<String> handshake(String protocol) throws Exception {
    java.security.KeyStore store = java.security.KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("bank-a", bankA.keys().getPrivate(), "x".toCharArray(),
        new java.security.cert.Certificate[] {bankACertificate});
    javax.net.ssl.KeyManagerFactory keys = javax.net.ssl.KeyManagerFactory.getInstance("PKIX");
    keys.init(store, "x".toCharArray());
    javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), MutualTls.trustOnly(ca.certificate()).getTrustManagers(), null);
    try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory()
        .createSocket("127.0.0.1", server.getPort())) {
      socket.setSoTimeout(5000);
      javax.net.ssl.SSLParameters parameters = socket.getSSLParameters();
      parameters.setProtocols(new String[] {protocol});
      parameters.setApplicationProtocols(new String[] {"h2"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      return Optional.of(socket.getSession().getProtocol());
    } catch (javax.net.ssl.SSLException e) {
      return Optional.empty();
    }
  }

  private static ServerIdentity assertDoesNotThrowIssue() {
    try {
      return ca.issueServerCertificate(List.of("localhost"), Duration.ofDays(1));
    } catch (PkiException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertGoodClientServed() throws Exception {
    assertEquals("bank-a", call(clientCredentials(bankACertificate, bankA.unencryptedKeyPem())));
  }

  private static ChannelCredentials clientCredentials(X509Certificate certificate, String keyPem) throws Exception {
    return TlsChannelCredentials.newBuilder()
        .keyManager(stream(PemFiles.toPem(certificate)), stream(keyPem))
        .trustManager(stream(caPem))
        .build();
  }

  private static String call(ChannelCredentials credentials) {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.getPort(), credentials)
        .overrideAuthority("localhost")
        .build();
    try {
      return ClientCalls.blockingUnaryCall(channel, WhoAmIService.WHO_AM_I,
          io.grpc.CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "who?");
    } finally {
      channel.shutdownNow();
    }
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Records the negotiated TLS protocol of each call. */
  private static final class ProtocolRecorder implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      SSLSession session = call.getAttributes().get(io.grpc.Grpc.TRANSPORT_ATTR_SSL_SESSION);
      lastProtocol.set(session == null ? null : session.getProtocol());
      return next.startCall(call, headers);
    }
  }
}
