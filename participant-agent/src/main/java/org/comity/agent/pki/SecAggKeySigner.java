package org.comity.agent.pki;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Signs this bank's secure-aggregation public keys with its certificate key, and checks the other banks' signatures
 * against their certificates and the consortium CA. This stops a coordinator from substituting a bank's keys in the
 * key directory (a man-in-the-middle that would let it unmask that bank): every bank that holds a certificate
 * refuses a key directory with an unsigned or wrongly signed entry.
 *
 * <p>The signed content binds the run, the round, the member id and both public keys, so a signature cannot be
 * replayed into another round or run, or attributed to another member.
 */
public final class SecAggKeySigner {
  private static final String CONTEXT = "comity-secagg-public-keys-v1";

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final X509Certificate ca;

  private SecAggKeySigner(PrivateKey key, X509Certificate certificate, X509Certificate ca) {
    this.key = key;
    this.certificate = certificate;
    this.ca = ca;
  }

  /** Loads the bank's key and certificate and the consortium CA (the same files as mutual TLS). */
  public static SecAggKeySigner load(Path caFile, Path certificateFile, Path keyFile, Optional<char[]> passphrase)
      throws IOException, PkiException {
    X509Certificate ca = BankPem.readCertificate(caFile);
    X509Certificate certificate = BankPem.readCertificate(certificateFile);
    PrivateKey key = BankPem.readPrivateKey(Files.readString(keyFile), passphrase, keyFile.toString());
    return new SecAggKeySigner(key, certificate, ca);
  }

  /**
   * With the bank's key in a PKCS#11 token: the token signs (through the provider the open token registered), the
   * certificate and CA come from files as for mutual TLS.
   */
  public static SecAggKeySigner withKey(Path caFile, Path certificateFile, PrivateKey key)
      throws IOException, PkiException {
    return new SecAggKeySigner(key, BankPem.readCertificate(certificateFile), BankPem.readCertificate(caFile));
  }

  /** This bank's certificate, DER-encoded, to travel with its keys. */
  public byte[] certificateDer() {
    try {
      return certificate.getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode this bank's certificate", e);
    }
  }

  /** Signs this bank's public keys for {@code round} of {@code runId}. */
  public byte[] sign(String runId, long round, String member, byte[] encryptionKey, byte[] maskingKey) {
    try {
      Signature signature = Signature.getInstance(algorithm(key.getAlgorithm()));
      signature.initSign(key);
      signature.update(content(runId, round, member, encryptionKey, maskingKey));
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the secure-aggregation keys: " + e.getMessage(), e);
    }
  }

  /**
   * Checks another bank's keys: its certificate is valid now, signed by the consortium CA and names {@code member};
   * its signature over the keys verifies.
   *
   * @return the member's certificate, now verified against the CA and bound to {@code member} (to check its later
   *     signatures, such as the consistency check's, with {@link #verifyStatement})
   * @throws IllegalArgumentException naming the member and what failed
   */
  public X509Certificate verify(String runId, long round, String member, byte[] encryptionKey, byte[] maskingKey,
      byte[] signatureBytes, byte[] certificateDer) {
    if (signatureBytes.length == 0 || certificateDer.length == 0) {
      throw new IllegalArgumentException(("the keys of %s are not signed: the coordinator may be substituting them; "
          + "this bank refuses the round").formatted(member));
    }
    try {
      X509Certificate peer = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(certificateDer));
      peer.checkValidity();
      peer.verify(ca.getPublicKey());
      String named = commonName(peer);
      if (!member.equals(named)) {
        throw new IllegalArgumentException("the certificate sent with the keys of %s names %s".formatted(member, named));
      }
      PublicKey publicKey = peer.getPublicKey();
      Signature signature = Signature.getInstance(algorithm(publicKey.getAlgorithm()));
      signature.initVerify(publicKey);
      signature.update(content(runId, round, member, encryptionKey, maskingKey));
      if (!signature.verify(signatureBytes)) {
        throw new IllegalArgumentException(("the keys of %s do not match its signature: the coordinator may be "
            + "substituting them; this bank refuses the round").formatted(member));
      }
      return peer;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the certificate or signature sent with the keys of %s is invalid: %s"
          .formatted(member, e.getMessage()), e);
    }
  }

  /**
   * Signs {@code statement} with this bank's certificate key. The statement must carry its own domain label (the
   * secure-aggregation consistency statement does), so that the signature means nothing for any other message.
   */
  public byte[] signStatement(byte[] statement) {
    try {
      Signature signature = Signature.getInstance(algorithm(key.getAlgorithm()));
      signature.initSign(key);
      signature.update(statement);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the secure-aggregation statement: " + e.getMessage(), e);
    }
  }

  /**
   * Whether {@code signatureBytes} is a valid signature of {@code statement} by the key of {@code certificate}
   * (one that {@link #verify} returned). False, never an exception, for a malformed signature or an unsupported key.
   */
  public static boolean verifyStatement(X509Certificate certificate, byte[] statement, byte[] signatureBytes) {
    try {
      PublicKey publicKey = certificate.getPublicKey();
      Signature signature = Signature.getInstance(algorithm(publicKey.getAlgorithm()));
      signature.initVerify(publicKey);
      signature.update(statement);
      return signature.verify(signatureBytes);
    } catch (GeneralSecurityException | IllegalArgumentException malformed) {
      return false; // a malformed or foreign signature simply does not count
    }
  }

  private static String commonName(X509Certificate certificate) {
    try {
      for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
        if ("CN".equalsIgnoreCase(rdn.getType())) {
          return rdn.getValue().toString();
        }
      }
    } catch (InvalidNameException e) {
      throw new IllegalArgumentException("unreadable certificate subject", e);
    }
    return "";
  }

  private static String algorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("unsupported certificate key algorithm " + keyAlgorithm);
    };
  }

  private static byte[] content(String runId, long round, String member, byte[] encryptionKey, byte[] maskingKey) {
    try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); DataOutputStream out = new DataOutputStream(bytes)) {
      for (byte[] part : new byte[][] {CONTEXT.getBytes(StandardCharsets.UTF_8), runId.getBytes(StandardCharsets.UTF_8),
          member.getBytes(StandardCharsets.UTF_8), encryptionKey, maskingKey}) {
        out.writeInt(part.length);
        out.write(part);
      }
      out.writeLong(round);
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "SecAggKeySigner[" + certificate.getSubjectX500Principal().getName() + ", key <redacted>]";
  }
}
