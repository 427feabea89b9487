package org.comity.coordinator.pki;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
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
 * <p>Protocols: gRPC's {@link TlsServerCredentials} has no protocol setting; with grpc-netty-shaded's BoringSSL
 * the server offers TLS 1.3 and TLS 1.2 (HTTP/2 cipher list: ECDHE with AES-GCM or ChaCha20 only), and a
 * Comity agent negotiates TLS 1.3.
 *
 * <p>The private key is decrypted in memory and handed to the TLS stack through a {@link KeyManagerFactory}; it is
 * never written back to disk unencrypted.
 */
public final class MutualTls {
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
    return TlsServerCredentials.newBuilder()
        .keyManager(keyManagers(key, chain))
        .trustManager(trustOnly(caCertificate).getTrustManagers())
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE)
        .build();
  }

  /** Server credentials from PEM files (see {@link #serverCredentials(X509Certificate, String, String, Optional)}). */
  public static ServerCredentials serverCredentials(Path caCertificateFile, Path serverCertChainFile, Path serverKeyFile,
      Optional<char[]> passphrase) throws IOException, PkiException {
    X509Certificate ca = PemFiles.readCertificate(PemFiles.readText(caCertificateFile), caCertificateFile.toString());
    return serverCredentials(ca, PemFiles.readText(serverCertChainFile), PemFiles.readText(serverKeyFile), passphrase);
  }

  private static javax.net.ssl.KeyManager[] keyManagers(PrivateKey key, List<X509Certificate> chain) {
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
      return factory.getKeyManagers();
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
