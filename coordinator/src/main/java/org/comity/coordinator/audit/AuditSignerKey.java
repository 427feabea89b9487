package org.comity.coordinator.audit;

import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The public half of a key that signs the audit trail, as recorded with the trail so that verification needs no
 * private key.
 *
 * @param keyId hex SHA-256 of the DER SubjectPublicKeyInfo
 * @param algorithm the signature algorithm ({@value AuditSigner#SIGNATURE_ALGORITHM})
 * @param publicKey base64 DER SubjectPublicKeyInfo
 * @param certificate PEM certificate of the key (the coordinator's server certificate), or {@code null}
 * @param addedAt when the key first signed an entry
 */
public record AuditSignerKey(String keyId, String algorithm, String publicKey, String certificate, Instant addedAt) {
  public AuditSignerKey {
    if (keyId == null || algorithm == null || publicKey == null || addedAt == null) {
      throw new IllegalArgumentException("an audit signer needs keyId, algorithm, publicKey and addedAt");
    }
  }

  /** Hex SHA-256 of a public key's DER SubjectPublicKeyInfo: the key id. */
  public static String keyIdOf(PublicKey key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /**
   * The public key, checked against its id.
   *
   * @throws IllegalArgumentException if the key does not decode or does not hash to {@link #keyId()}
   */
  public PublicKey decode() {
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
    } catch (Exception e) {
      throw new IllegalArgumentException("the recorded public key of signer %s is not an EC public key"
          .formatted(keyId), e);
    }
    if (!keyIdOf(key).equals(keyId)) {
      throw new IllegalArgumentException("the recorded public key of signer %s hashes to %s: the signer record "
          .formatted(keyId, keyIdOf(key)) + "was altered");
    }
    return key;
  }
}
