package org.comity.agent.pki;

import io.grpc.ChannelCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettySslContextChannelCredentials;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslProvider;
import java.net.Socket;
import java.security.Principal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The agent's mutual-TLS channel credentials: it presents the bank's client certificate and trusts only the
 * consortium CA (not the JDK's default trust store) for the coordinator's certificate, whose name must match the
 * address dialled (gRPC checks the SAN against the target's host, or against {@code overrideAuthority}).
 *
 * <p>Mistakes the coordinator would only report as an opaque handshake failure ({@code UNAVAILABLE} "ssl
 * exception") are caught here with a clear message: a key that does not belong to the certificate, and a
 * certificate not issued by the configured CA. A key file is decrypted in memory only; a token key never leaves its
 * token.
 */
public final class MutualTls {
  private MutualTls() {}

  /**
   * @param clientKeyPem PKCS#8 PEM, encrypted (then {@code passphrase} is needed) or not
   * @throws PkiException if a PEM does not parse, the key does not decrypt or does not match the certificate, or
   *     the certificate is not issued by the CA
   */
  public static ChannelCredentials channelCredentials(String caCertificatePem, String clientCertificatePem,
      String clientKeyPem, Optional<char[]> passphrase) throws PkiException {
    X509Certificate ca = BankPem.readCertificate(caCertificatePem, "the consortium CA certificate");
    X509Certificate client = BankPem.readCertificate(clientCertificatePem, "the client certificate");
    PrivateKey key = BankPem.readPrivateKey(clientKeyPem, passphrase, "the client key");
    if (!belongTogether(key, client.getPublicKey())) {
      throw new PkiException("the client key does not belong to the client certificate: was the certificate issued "
          + "for the CSR made with this key?");
    }
    requireIssuedBy(client, ca);
    return TlsChannelCredentials.newBuilder()
        .keyManager(keyManagers(key, client))
        .trustManager(trustOnly(ca))
        .build();
  }

  /** Channel credentials with an unencrypted client key (see the four-argument form). */
  public static ChannelCredentials channelCredentials(String caCertificatePem, String clientCertificatePem,
      String clientKeyPem) throws PkiException {
    return channelCredentials(caCertificatePem, clientCertificatePem, clientKeyPem, Optional.empty());
  }

  /** As {@link #channelCredentials(String, String, String, Optional)}, from PEM files. */
  public static ChannelCredentials channelCredentials(Path caCertificateFile, Path clientCertificateFile,
      Path clientKeyFile, Optional<char[]> passphrase) throws IOException, PkiException {
    return channelCredentials(read(caCertificateFile), read(clientCertificateFile), read(clientKeyFile), passphrase);
  }

  /**
   * Channel credentials whose private key stays in a PKCS#11 token: every TLS signature is computed by the token.
   *
   * <p>The TLS stack here is the JDK's ({@code SslProvider.JDK}), not the BoringSSL that grpc-netty-shaded uses by
   * default: BoringSSL needs the key's encoding, which a token key refuses ("does not support encoding"), while the
   * JDK's TLS signs through the JCA, which hands the operation to the token's provider. The protocol is TLS 1.3 only,
   * as the coordinator requires. The certificate is the CA-issued file; the token holds only the key.
   *
   * @param caCertificateFile the consortium CA certificate (PEM)
   * @param clientCertificateFile this bank's certificate (PEM), issued for the token key's CSR
   * @param tokenKey the token key's handle ({@link org.comity.pkcs11.Pkcs11Token#privateKey})
   * @throws PkiException if the certificate is not for this key or not issued by the CA
   */
  public static ChannelCredentials channelCredentials(Path caCertificateFile, Path clientCertificateFile,
      PrivateKey tokenKey) throws IOException, PkiException {
    X509Certificate ca = BankPem.readCertificate(read(caCertificateFile), "the consortium CA certificate");
    X509Certificate client = BankPem.readCertificate(read(clientCertificateFile), "the client certificate");
    if (!belongTogether(tokenKey, client.getPublicKey())) {
      throw new PkiException(("the token key does not belong to the client certificate %s: was the certificate issued "
          + "for the CSR made with this --key-alias?").formatted(clientCertificateFile));
    }
    requireIssuedBy(client, ca);
    try {
      SslContext context = GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
          .keyManager(new SingleIdentityKeyManager(tokenKey, new X509Certificate[] {client}))
          .trustManager(trustOnly(ca)[0])
          .protocols("TLSv1.3")
          .build();
      return NettySslContextChannelCredentials.create(context);
    } catch (SSLException e) {
      throw new IllegalStateException("cannot build the TLS client context", e);
    }
  }

  private static void requireIssuedBy(X509Certificate client, X509Certificate ca) throws PkiException {
    try {
      client.verify(ca.getPublicKey());
    } catch (GeneralSecurityException e) {
      throw new PkiException("the client certificate (issuer %s) is not issued by the configured consortium CA (%s)"
          .formatted(client.getIssuerX500Principal(), ca.getSubjectX500Principal()));
    }
  }

  /**
   * Presents one fixed identity. A key manager over the token's key store would present the token entry's placeholder
   * certificate; this one pairs the token key with the CA-issued certificate.
   */
  private static final class SingleIdentityKeyManager extends X509ExtendedKeyManager {
    private static final String ALIAS = "comity-member";
    private final PrivateKey key;
    private final X509Certificate[] chain;

    SingleIdentityKeyManager(PrivateKey key, X509Certificate[] chain) {
      this.key = key;
      this.chain = chain.clone();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return ALIAS.equals(alias) ? chain.clone() : null;
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return ALIAS.equals(alias) ? key : null;
    }
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.US_ASCII);
  }

  private static KeyManager[] keyManagers(PrivateKey key, X509Certificate certificate) {
    char[] storePassword = new char[24];
    try {
      SecureRandom random = new SecureRandom();
      for (int i = 0; i < storePassword.length; i++) {
        storePassword[i] = (char) ('a' + random.nextInt(26));
      }
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("comity-member", key, storePassword, new X509Certificate[] {certificate});
      KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, storePassword);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS key manager", e);
    } finally {
      Arrays.fill(storePassword, '\0');
    }
  }

  private static TrustManager[] trustOnly(X509Certificate ca) {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setCertificateEntry("comity-ca", ca);
      TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
      factory.init(store);
      return factory.getTrustManagers();
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS trust manager", e);
    }
  }

  private static boolean belongTogether(PrivateKey privateKey, PublicKey publicKey) {
    if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
      return false;
    }
    try {
      String algorithm = "EC".equals(publicKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(privateKey);
      signer.update(challenge);
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      return verifier.verify(signer.sign());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
