package org.comity.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSession;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.SoftHsmTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's credentials against a real mutual-TLS gRPC server on loopback (server side built from gRPC's own
 * PEM loader and a test CA, independent of the coordinator module).
 */
class AgentMutualTlsTest {
  private static final char[] PASSPHRASE = "bank passphrase".toCharArray();
  private static final Context.Key<String> PEER_CN = Context.key("peer-cn");
  private static final MethodDescriptor<String, String> WHO_AM_I = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("comity.test.WhoAmI/Ask")
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  @TempDir
  static Path dir;

  private static TestCa ca;
  private static Server server;
  private static Server misnamedServer;
  private static Path keyFile;
  private static Path certificateFile;
  private static Path caFile;

  @BeforeAll
  static void enrolAndStartServers() throws Exception {
    ca = new TestCa("Comity test CA");
    keyFile = dir.resolve("bank-a.key");
    Path csrFile = dir.resolve("bank-a.csr");
    BankKeys.generate("bank-a", keyFile, csrFile, Optional.of(PASSPHRASE.clone()));
    X509Certificate issued = ca.signCsr(Files.readString(csrFile), Instant.now().minusSeconds(60), Duration.ofDays(30));
    certificateFile = dir.resolve("bank-a.crt");
    Files.writeString(certificateFile, BankPem.toPem(issued));
    caFile = dir.resolve("ca.crt");
    Files.writeString(caFile, ca.pem());
    server = start(ca.server("localhost"));
    misnamedServer = start(ca.server("coordinator.example"));
  }

  @AfterAll
  static void stopServers() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    misnamedServer.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void channelCredentials_encryptedKey_serverSeesTheBanksCertificate() throws Exception {
    ChannelCredentials credentials = MutualTls.channelCredentials(caFile, certificateFile, keyFile,
        Optional.of(PASSPHRASE.clone()));

    assertEquals("CN=bank-a,O=Comity|TLSv1.3", call(server, credentials));
  }

  @Test
  void channelCredentials_keyInToken_realHandshakeSignsInTheToken() throws Exception {
    // given: a key generated in a SoftHSM token, the CA's certificate for its CSR as a file
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-t")) {
      Path csr = dir.resolve("bank-t.csr");
      BankKeys.generateInToken("bank-t", opened, "bank-t", csr);
      Path certificate = Files.writeString(dir.resolve("bank-t.crt"), BankPem.toPem(
          ca.signCsr(Files.readString(csr), Instant.now().minusSeconds(60), Duration.ofDays(30))));
      PrivateKey key = opened.privateKey("bank-t");

      // when
      ChannelCredentials credentials = MutualTls.channelCredentials(caFile, certificate, key);

      // then: the server (BoringSSL) saw the CA-issued certificate over TLS 1.3
      assertNull(key.getEncoded());
      assertEquals("CN=bank-t,O=Comity|TLSv1.3", call(server, credentials));
    }
  }

  @Test
  void channelCredentials_tokenKeyWithAnotherBanksCertificate_refusedBeforeDialling() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-u")) {
      BankKeys.generateInToken("bank-u", opened, "bank-u", dir.resolve("bank-u.csr"));

      PkiException error = assertThrows(PkiException.class,
          () -> MutualTls.channelCredentials(caFile, certificateFile, opened.privateKey("bank-u")));

      assertTrue(error.getMessage().contains("token key does not belong to the client certificate"), error.getMessage());
      assertTrue(error.getMessage().contains("--key-alias"), error.getMessage());
    }
  }

  @Test
  void channelCredentials_serverCertificateForAnotherName_refusedByTheAgent() throws Exception {
    ChannelCredentials credentials = MutualTls.channelCredentials(caFile, certificateFile, keyFile,
        Optional.of(PASSPHRASE.clone()));

    StatusRuntimeException error = assertThrows(StatusRuntimeException.class, () -> call(misnamedServer, credentials));

    assertEquals(Status.Code.UNAVAILABLE, error.getStatus().getCode());
  }

  @Test
  void channelCredentials_wrongPassphrase_clearErrorWithoutSecrets() throws Exception {
    PkiException error = assertThrows(PkiException.class, () -> MutualTls.channelCredentials(caFile, certificateFile,
        keyFile, Optional.of("not-the-passphrase".toCharArray())));

    assertTrue(error.getMessage().contains("wrong passphrase"), error.getMessage());
    assertNoSecretText(error, Files.readString(keyFile), "not-the-passphrase");
  }

  @Test
  void channelCredentials_missingPassphrase_saysOneIsNeeded() {
    PkiException error = assertThrows(PkiException.class,
        () -> MutualTls.channelCredentials(caFile, certificateFile, keyFile, Optional.empty()));

    assertTrue(error.getMessage().contains("passphrase is needed"), error.getMessage());
  }

  @Test
  void channelCredentials_certificateFromAnotherCa_refusedBeforeDialling() throws Exception {
    TestCa other = new TestCa("Other CA");
    X509Certificate foreign = other.signCsr(Files.readString(dir.resolve("bank-a.csr")), Instant.now(), Duration.ofDays(1));

    PkiException error = assertThrows(PkiException.class, () -> MutualTls.channelCredentials(ca.pem(),
        BankPem.toPem(foreign), Files.readString(keyFile), Optional.of(PASSPHRASE.clone())));

    assertTrue(error.getMessage().contains("not issued by the configured consortium CA"), error.getMessage());
  }

  @Test
  void channelCredentials_keyOfAnotherBank_refused() throws Exception {
    Path otherKey = dir.resolve("other.key");
    BankKeys.generate("bank-b", otherKey, dir.resolve("other.csr"), Optional.empty());
    String otherKeyPem = Files.readString(otherKey);

    PkiException error = assertThrows(PkiException.class, () -> MutualTls.channelCredentials(ca.pem(),
        Files.readString(certificateFile), otherKeyPem, Optional.empty()));

    assertTrue(error.getMessage().contains("does not belong"), error.getMessage());
    assertNoSecretText(error, otherKeyPem, null);
  }

  @Test
  void channelCredentials_keyWhereTheCertificateGoes_refusedWithoutEchoingIt() throws Exception {
    Path plainKey = dir.resolve("plain.key");
    BankKeys.generate("bank-c", plainKey, dir.resolve("plain.csr"), Optional.empty());
    String keyPem = Files.readString(plainKey);

    PkiException error = assertThrows(PkiException.class,
        () -> MutualTls.channelCredentials(ca.pem(), keyPem, keyPem, Optional.empty()));

    assertNoSecretText(error, keyPem, null);
  }

  private static void assertNoSecretText(Throwable error, String keyPem, String passphrase) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      assertFalse(message.contains("PRIVATE KEY"), message);
      keyPem.lines().filter(line -> !line.startsWith("-----"))
          .forEach(line -> assertFalse(message.contains(line.substring(0, Math.min(16, line.length()))), message));
      if (passphrase != null) {
        assertFalse(message.contains(passphrase), message);
      }
    }
  }

  private static String call(Server target, ChannelCredentials credentials) {
    ManagedChannel channel = Grpc.newChannelBuilderForAddress("127.0.0.1", target.getPort(), credentials)
        .overrideAuthority("localhost")
        .build();
    try {
      return ClientCalls.blockingUnaryCall(channel, WHO_AM_I, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
          "who?");
    } finally {
      channel.shutdownNow();
    }
  }

  private static Server start(TestCa.Server identity) throws IOException {
    var credentials = TlsServerCredentials.newBuilder()
        .keyManager(stream(BankPem.toPem(identity.certificate())), stream(identity.keyPem()))
        .trustManager(stream(ca.pem()))
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
    ServerServiceDefinition service = ServerServiceDefinition.builder("comity.test.WhoAmI")
        .addMethod(WHO_AM_I, ServerCalls.asyncUnaryCall((request, response) -> {
          response.onNext(PEER_CN.get());
          response.onCompleted();
        }))
        .build();
    return NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0), credentials)
        .addService(ServerInterceptors.intercept(service, new PeerRecorder()))
        .build()
        .start();
  }

  private static ByteArrayInputStream stream(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII));
  }

  /** Puts "subject|protocol" of the TLS peer into the context. */
  private static final class PeerRecorder implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
        ServerCallHandler<ReqT, RespT> next) {
      SSLSession session = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
      String peer;
      try {
        peer = ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName()
            + "|" + session.getProtocol();
      } catch (Exception e) {
        peer = "error: " + e;
      }
      return Contexts.interceptCall(Context.current().withValue(PEER_CN, peer), call, headers, next);
    }
  }

  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
