package org.comity.coordinator.pki;

import io.grpc.ServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextServerCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.ClientAuth;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * The coordinator's mutual-TLS server credentials.
 *
 * <p><b>Security properties.</b> The server presents its certificate chain and requires a client certificate
 * ({@code ClientAuth.REQUIRE}) that chains to the consortium CA alone (not the JDK's default trust store), checked
 * by the JDK PKIX trust manager: signature, validity dates, and EKU clientAuth. A handshake without a client
 * certificate, or with one from another CA or expired, fails before any RPC ({@code UNAVAILABLE} at the client).
 * Revocation and the member id are checked per call by {@link MemberIdentityInterceptor}.
 *
 * <p>Protocol: TLS 1.3 only ({@value #PROTOCOL}); a TLS 1.2 client fails the handshake. gRPC's
 * {@code TlsServerCredentials} cannot restrict protocols (it would also accept TLS 1.2), so the credentials are a
 * Netty {@link SslContext} configured by {@link GrpcSslContexts} (BoringSSL from grpc-netty-shaded, ALPN h2),
 * wrapped by {@link NettySslContextServerCredentials}.
 *
 * <p>The private key is decrypted in memory and handed to the TLS stack through a {@link KeyManagerFactory}; it is
 * never written back to disk unencrypted.
 */
public final class MutualTls {
  /** The only protocol the coordinator accepts. */
  public static final String PROTOCOL = "TLSv1.3";

  private MutualTls() {}

  /**
   * Server credentials from PEM texts.
   *
   * @param serverCertChainPem the server certificate, optionally followed by intermediates
   * @param serverKeyPem PKCS#8 PEM, encrypted (then {@code passphrase} is needed) or not
   * @throws PkiException if the key does not decrypt or does not match the certificate
   */
  public static ServerCredentials serverCredentials(X509Certificate caCertificate, String serverCertChainPem,
      String serverKeyPem, Optional<char[]> passphrase) throws PkiException {
    List<X509Certificate> chain = PemFiles.readCertificates(serverCertChainPem, "the server certificate chain");
    PrivateKey key = PemFiles.readPrivateKey(serverKeyPem, passphrase, "the server key");
    if (!ConsortiumCa.KeyMatch.matches(key, chain.get(0).getPublicKey())) {
      throw new PkiException("the server key does not belong to the server certificate");
    }
    try {
      chain.get(0).verify(chain.size() > 1 ? chain.get(1).getPublicKey() : caCertificate.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PkiException("the server certificate is not signed by the consortium CA: members would refuse it");
    }
    try {
      // gRPC's TlsServerCredentials has no protocol setting, so the Netty context is built directly; the result is
      // still a ServerCredentials for NettyServerBuilder.forAddress(address, credentials).
      SslContext context = GrpcSslContexts.configure(SslContextBuilder.forServer(keyManagerFactory(key, chain)))
          .trustManager(trustOnly(caCertificate))
          .clientAuth(ClientAuth.REQUIRE)
          .protocols(PROTOCOL)
          .build();
      return NettySslContextServerCredentials.create(context);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS server context", e);
    }
  }

  /** Server credentials with an unencrypted server key (see the four-argument form). */
  public static ServerCredentials serverCredentials(X509Certificate caCertificate, String serverCertChainPem,
      String serverKeyPem) throws PkiException {
    return serverCredentials(caCertificate, serverCertChainPem, serverKeyPem, Optional.empty());
  }

  /** Server credentials from PEM files (see {@link #serverCredentials(X509Certificate, String, String, Optional)}). */
  public static ServerCredentials serverCredentials(Path caCertificateFile, Path serverCertChainFile, Path serverKeyFile,
      Optional<char[]> passphrase) throws IOException, PkiException {
    X509Certificate ca = PemFiles.readCertificate(PemFiles.readText(caCertificateFile), caCertificateFile.toString());
    return serverCredentials(ca, PemFiles.readText(serverCertChainFile), PemFiles.readText(serverKeyFile), passphrase);
  }

  private static KeyManagerFactory keyManagerFactory(PrivateKey key, List<X509Certificate> chain) {
    try {
      // An in-memory key store whose password exists only here; nothing is written to disk.
      char[] storePassword = new char[24];
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < storePassword.length; i++) {
        storePassword[i] = (char) ('a' + random.nextInt(26));
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("comity", key, storePassword, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, storePassword);
      java.util.Arrays.fill(storePassword, '\0');
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS key manager", e);
    }
  }

  static TrustManagerFactory trustOnly(X509Certificate caCertificate) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("comity-ca", caCertificate);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      return factory;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust manager", e);
    }
  }
}
