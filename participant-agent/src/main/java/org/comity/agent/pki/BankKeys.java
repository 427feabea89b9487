package org.comity.agent.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.TokenException;

/**
 * A bank's key generation for enrolment: an EC P-256 key pair that never leaves the bank (in a key file, or inside
 * a PKCS#11 token where it never leaves the token), and a PKCS#10 request
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

  /** What {@link #generateInToken} made: a key in a token under an alias, and the CSR file. */
  public record GeneratedInToken(String memberId, String token, String keyAlias, Path csrFile,
      String publicKeyFingerprint) {}

  /** How long the token entry's placeholder certificate claims to be valid; nothing ever trusts it. */
  static final Duration PLACEHOLDER_VALIDITY = Duration.ofDays(3650);

  /**
   * Generates the key pair and the CSR and writes both files.
   *
   * @param passphrase encrypts the key file when present (recommended); the caller clears the array afterwards
   * @throws IllegalArgumentException for an invalid member id or an empty passphrase
   * @throws FileAlreadyExistsException if either file exists (nothing is written then)
   */
  public static Generated generate(String memberId, Path keyFile, Path csrFile, Optional<char[]> passphrase)
      throws IOException {
    requireMemberId(memberId);
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
    X500Name subject = subject(memberId);
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

  /**
   * Generates the key pair inside a PKCS#11 token and writes the CSR, signed by the token.
   *
   * <p><b>Security properties.</b> The private key is created by the token, sensitive and unextractable (see
   * {@link Pkcs11Token}); no key material touches the disk or this process's memory. The JDK's PKCS#11 key store
   * keeps a key only together with a certificate, so the entry gets a self-signed placeholder
   * ({@code CN=<member id>, O=Comity, OU=placeholder}) signed by the token key. Nothing trusts the placeholder: the
   * agent presents the certificate the consortium CA issues, which stays a file ({@code run --tls-cert}).
   *
   * @throws IllegalArgumentException for an invalid member id
   * @throws FileAlreadyExistsException if the CSR file exists (nothing is generated then)
   * @throws TokenException if the alias is taken or the token refuses (the CSR file is removed again)
   */
  public static GeneratedInToken generateInToken(String memberId, Pkcs11Token token, String keyAlias, Path csrFile)
      throws IOException, TokenException {
    requireMemberId(memberId);
    if (Files.exists(csrFile)) {
      throw new FileAlreadyExistsException(csrFile.toString(), null,
          "refusing to overwrite an existing CSR; move it away first");
    }
    if (token.contains(keyAlias)) {
      throw new TokenException(("%s already holds a key '%s'; a bank key is generated once: choose another "
          + "--key-alias, or delete the old one with the token's own tools").formatted(token.description(), keyAlias));
    }
    KeyPair pair = token.generateEcKeyPair();
    PKCS10CertificationRequest csr;
    X509Certificate placeholder;
    try {
      ContentSigner signer = new JcaContentSignerBuilder("SHA256withECDSA").setProvider(token.provider())
          .build(pair.getPrivate());
      csr = new JcaPKCS10CertificationRequestBuilder(subject(memberId), pair.getPublic()).build(signer);
      placeholder = placeholderCertificate(memberId, pair, signer);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot create a signer for the token key", e);
    }
    BankPem.writeNewFile(csrFile, BankPem.toPem(csr));
    try {
      token.storeKey(keyAlias, pair.getPrivate(), new X509Certificate[] {placeholder});
    } catch (TokenException | RuntimeException e) {
      // A CSR whose key was not kept would enrol a certificate nobody can use.
      Files.deleteIfExists(csrFile);
      throw e;
    }
    return new GeneratedInToken(memberId, token.description(), keyAlias, csrFile,
        fingerprint(pair.getPublic().getEncoded()));
  }

  private static X509Certificate placeholderCertificate(String memberId, KeyPair pair, ContentSigner signer) {
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, "Comity").addRDN(BCStyle.OU, "placeholder").addRDN(BCStyle.CN, memberId).build();
    Instant now = Instant.now();
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    try {
      return new JcaX509CertificateConverter().getCertificate(new X509v3CertificateBuilder(subject,
          new BigInteger(1, serial).setBit(0), Date.from(now), Date.from(now.plus(PLACEHOLDER_VALIDITY)), subject,
          SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .build(signer));
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the placeholder certificate", e);
    }
  }

  private static X500Name subject(String memberId) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Comity").addRDN(BCStyle.CN, memberId).build();
  }

  private static void requireMemberId(String memberId) {
    if (memberId == null || !MEMBER_ID.matcher(memberId).matches()) {
      throw new IllegalArgumentException(("member id '%s' is not valid: it must be 1-64 characters of letters, "
          + "digits, '.', '_' or '-', starting with a letter or digit").formatted(memberId));
    }
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
