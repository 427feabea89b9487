package org.comity.coordinator.audit;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.PkiException;
import org.comity.coordinator.store.DatabaseUrl;

/**
 * The coordinator's audit signing key: ECDSA P-256 with SHA-256.
 *
 * <p>Either the coordinator's own TLS server key from the PKI directory ({@link #fromServerIdentity}), so the trail
 * is signed by the identity the consortium's CA certified, or, without a PKI, a key generated on first use
 * ({@link #loadOrCreate}) and kept in a file of mode 0600 next to the database.
 *
 * <p><b>Security.</b> The private key never leaves this object: {@link #toString()} redacts it, and error
 * messages name files, never key material. Only {@link #publicKey()} is recorded with the trail.
 */
public final class AuditSigner {
  public static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  /** The file name of a generated key for a PostgreSQL store (in the working directory). */
  public static final String DEFAULT_KEY_FILE = "comity-audit-key.pem";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final X509Certificate certificate;
  private final String keyId;
  private final String source;

  private AuditSigner(PrivateKey privateKey, PublicKey publicKey, X509Certificate certificate, String source) {
    requireP256(publicKey, source);
    if (!signsFor(privateKey, publicKey)) {
      throw new AuditException(source + ": the private key does not match its public key or certificate", null);
    }
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.certificate = certificate;
    this.keyId = AuditSignerKey.keyIdOf(publicKey);
    this.source = source;
  }

  /** A fresh key in memory (tests, and the first use of {@link #loadOrCreate}). */
  public static AuditSigner generate() {
    KeyPair pair = newKeyPair();
    return new AuditSigner(pair.getPrivate(), pair.getPublic(), null, "a generated key");
  }

  /**
   * The coordinator's TLS identity as the audit signer.
   *
   * @param keyFile the server key (unencrypted PKCS#8 PEM, as {@code ca init} and {@code ca import} write it)
   * @param certificateFile the server certificate (PEM; the first certificate is the server's)
   * @throws AuditException if a file cannot be read, the key is not EC P-256, or key and certificate do not match
   */
  public static AuditSigner fromServerIdentity(Path keyFile, Path certificateFile) {
    try {
      PrivateKey key = PemFiles.readPrivateKey(PemFiles.readText(keyFile), Optional.empty(), keyFile.toString());
      X509Certificate certificate = PemFiles.readCertificates(PemFiles.readText(certificateFile),
          certificateFile.toString()).get(0);
      return new AuditSigner(key, certificate.getPublicKey(), certificate, keyFile.toString());
    } catch (IOException | PkiException e) {
      // PkiException and IOException messages name files and structures, never key material.
      throw new AuditException("cannot use the server key %s as the audit key: %s".formatted(keyFile,
          e.getMessage()), e);
    }
  }

  /**
   * The audit key in {@code keyFile}; on first use a new P-256 key is generated and written there with mode 0600
   * (never over an existing file).
   *
   * @throws AuditException if the file cannot be read or written, or holds no EC P-256 private key
   */
  public static AuditSigner loadOrCreate(Path keyFile) {
    try {
      if (Files.exists(keyFile)) {
        PrivateKey key = PemFiles.readPrivateKey(PemFiles.readText(keyFile), Optional.empty(), keyFile.toString());
        return new AuditSigner(key, publicKeyOf(key, keyFile.toString()), null, keyFile.toString());
      }
      Path parent = keyFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      KeyPair pair = newKeyPair();
      PemFiles.writePrivateFile(keyFile, PemFiles.privateKeyPem(pair.getPrivate(), Optional.empty()));
      return new AuditSigner(pair.getPrivate(), pair.getPublic(), null, keyFile.toString());
    } catch (IOException | PkiException e) {
      throw new AuditException("cannot load or create the audit key %s: %s".formatted(keyFile, e.getMessage()), e);
    }
  }

  /**
   * Where a generated audit key lives for a store: next to a SQLite file ({@code FILE.audit-key.pem}), else
   * {@value #DEFAULT_KEY_FILE} in the working directory.
   */
  public static Path defaultKeyFile(DatabaseUrl url) {
    return url.sqliteFile().map(file -> file.resolveSibling(file.getFileName() + ".audit-key.pem"))
        .orElse(Path.of(DEFAULT_KEY_FILE));
  }

  /** Hex SHA-256 of the public key (what operators record to pin the signer). */
  public String keyId() {
    return keyId;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The public record of this key for the trail. */
  public AuditSignerKey describe(Instant addedAt) {
    return new AuditSignerKey(keyId, SIGNATURE_ALGORITHM, Base64.getEncoder().encodeToString(publicKey.getEncoded()),
        certificate == null ? null : PemFiles.toPem(certificate), addedAt);
  }

  /** Base64 DER signature over the raw bytes of a hex hash. */
  String sign(String hexHash) {
    try {
      Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
      signature.initSign(privateKey);
      signature.update(HexFormat.of().parseHex(hexHash));
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new AuditException("cannot sign an audit entry with the key from " + source, e);
    }
  }

  /** Whether {@code signature} (base64 DER) is a valid signature of {@code hexHash} by {@code key}. */
  static boolean verify(PublicKey key, String hexHash, String signature) {
    try {
      Signature verifier = Signature.getInstance(SIGNATURE_ALGORITHM);
      verifier.initVerify(key);
      verifier.update(HexFormat.of().parseHex(hexHash));
      return verifier.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean signsFor(PrivateKey privateKey, PublicKey publicKey) {
    byte[] challenge = new byte[32];
    new SecureRandom().nextBytes(challenge);
    String hex = HexFormat.of().formatHex(challenge);
    try {
      Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
      signature.initSign(privateKey);
      signature.update(challenge);
      return verify(publicKey, hex, Base64.getEncoder().encodeToString(signature.sign()));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static KeyPair newKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
    }
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK does not know EC P-256", e);
    }
  }

  private static void requireP256(java.security.Key key, String source) {
    ECParameterSpec expected = p256();
    if (!(key instanceof ECKey ec) || !ec.getParams().getOrder().equals(expected.getOrder())
        || !ec.getParams().getGenerator().equals(expected.getGenerator())) {
      throw new AuditException(("%s: the audit trail is signed with ECDSA P-256, but this is a %s key; give an EC "
          + "P-256 key (or no PKI directory, to use a generated audit key)").formatted(source, key.getAlgorithm()), null);
    }
  }

  /** Derives the public point d*G of a P-256 private key (a PKCS#8 file need not carry it). */
  private static PublicKey publicKeyOf(PrivateKey key, String source) {
    requireP256(key, source);
    ECPrivateKey ec = (ECPrivateKey) key;
    ECNamedCurveParameterSpec curve = ECNamedCurveTable.getParameterSpec("secp256r1");
    org.bouncycastle.math.ec.ECPoint point = curve.getG().multiply(ec.getS()).normalize();
    BigInteger x = point.getAffineXCoord().toBigInteger();
    BigInteger y = point.getAffineYCoord().toBigInteger();
    try {
      return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), ec.getParams()));
    } catch (GeneralSecurityException e) {
      throw new AuditException(source + " holds an EC key whose public key cannot be derived", null);
    }
  }

  @Override
  public String toString() {
    return "AuditSigner[keyId=%s, from %s, privateKey=<redacted>]".formatted(keyId, source);
  }
}
