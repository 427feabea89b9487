package org.comity.agent.pki;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A bank's key generation for enrolment: an EC P-256 key pair that never leaves the bank, and a PKCS#10 request
 * ({@code CN=<member id>, O=Comity}, signed with that key) for the consortium operator to turn into a client
 * certificate.
 *
 * <p><b>Security properties.</b> The private key is written once, PKCS#8, encrypted when a passphrase is given, to
 * a new file of mode 0600; an existing key or CSR file is never replaced. The returned fingerprint (SHA-256 of the
 * public key) lets the bank and the operator confirm over a second channel that the CSR the operator received is
 * the bank's; the operator's {@code enroll} prints the same value.
 */
public final class BankKeys {
  /** Member ids (same rule as the coordinator): 1-64 of letters, digits, '.', '_', '-', starting alphanumeric. */
  public static final Pattern MEMBER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private BankKeys() {}

  /** What {@link #generate} wrote. */
  public record Generated(String memberId, Path keyFile, Path csrFile, String publicKeyFingerprint) {}

  /**
   * Generates the key pair and the CSR and writes both files.
   *
   * @param passphrase encrypts the key file when present (recommended); the caller clears the array afterwards
   * @throws IllegalArgumentException for an invalid member id or an empty passphrase
   * @throws FileAlreadyExistsException if either file exists (nothing is written then)
   */
  public static Generated generate(String memberId, Path keyFile, Path csrFile, Optional<char[]> passphrase)
      throws IOException {
    if (memberId == null || !MEMBER_ID.matcher(memberId).matches()) {
      throw new IllegalArgumentException(("member id '%s' is not valid: it must be 1-64 characters of letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit").formatted(memberId));
    }
    if (passphrase.isPresent() && passphrase.get().length == 0) {
      throw new IllegalArgumentException("the passphrase is empty; give a non-empty passphrase or none");
    }
    for (Path file : new Path[] {keyFile, csrFile}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString(), null,
            "refusing to overwrite an existing file; a bank key is generated once (move the old files away first)");
      }
    }
    KeyPair pair = newEcKeyPair();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Comity").addRDN(BCStyle.CN, memberId).build();
    PKCS10CertificationRequest csr;
    try {
      csr = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign the CSR", e);
    }
    BankPem.writePrivateFile(keyFile, BankPem.privateKeyPem(pair.getPrivate(), passphrase));
    try {
      BankPem.writeNewFile(csrFile, BankPem.toPem(csr));
    } catch (IOException e) {
      // Without its CSR the fresh key is useless; remove it so that a retry starts clean.
      Files.deleteIfExists(keyFile);
      throw e;
    }
    return new Generated(memberId, keyFile, csrFile, fingerprint(pair.getPublic().getEncoded()));
  }

  /** SHA-256 of a DER SubjectPublicKeyInfo, as colon-separated upper-case hex. */
  public static String fingerprint(byte[] subjectPublicKeyInfo) {
    try {
      return HexFormat.ofDelimiter(":").withUpperCase()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 key generation unavailable", e);
    }
  }
}
