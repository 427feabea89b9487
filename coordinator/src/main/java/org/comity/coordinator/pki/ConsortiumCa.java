package org.comity.coordinator.pki;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.util.IPAddress;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.TokenException;

/**
 * The consortium's certificate authority: one EC P-256 key that signs the members' client certificates, the
 * coordinator's server certificate and the revocation list.
 *
 * <p><b>Security properties.</b> The CA key is stored only encrypted (see {@link PemFiles}), in a file created
 * with mode 0600 and never overwritten; or it is generated and kept inside a PKCS#11 token
 * ({@link #createInToken}), which signs everything and never lets the key out. Member certificates are issued from a CSR whose signature is verified
 * (proof of possession) and whose key is EC P-256 or RSA of at least 2048 bits; the subject is built by the CA
 * ({@code CN=<member id>, O=Comity}), never copied from the CSR. They carry EKU clientAuth only, a random 128-bit
 * serial, and a short validity (default {@link #DEFAULT_MEMBER_VALIDITY}); their not-before is
 * {@link #CLOCK_SKEW} in the past so that a member with a slightly slow clock can connect at once.
 *
 * <p>Instances are immutable and thread-safe; the clock decides every not-before, not-after and CRL date.
 */
public final class ConsortiumCa {
  public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(5 * 365);
  public static final Duration DEFAULT_MEMBER_VALIDITY = Duration.ofDays(30);
  public static final Duration DEFAULT_SERVER_VALIDITY = Duration.ofDays(365);
  /** How long a CRL is declared current (its nextUpdate); the coordinator re-signs on every revocation. */
  public static final Duration DEFAULT_CRL_VALIDITY = Duration.ofDays(30);
  /** Not-before is backdated by this much to tolerate clock skew between the CA and the members. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  /** The organisation every Comity certificate names. */
  public static final String ORGANISATION = "Comity";

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final Pattern DNS_NAME = Pattern.compile(
      "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final Clock clock;
  /** The token's provider when the key is in a PKCS#11 token; null for a key in memory (any provider). */
  private final Provider signingProvider;
  private final SecureRandom random = new SecureRandom();

  private ConsortiumCa(PrivateKey key, X509Certificate certificate, Clock clock, Provider signingProvider) {
    this.key = key;
    this.certificate = certificate;
    this.clock = clock;
    this.signingProvider = signingProvider;
  }

  /**
   * Creates a new CA with a fresh EC P-256 key and a self-signed certificate ({@code CN=<name>, O=Comity},
   * BasicConstraints CA with path length 0, key usage keyCertSign and cRLSign). Nothing is written to disk.
   */
  public static ConsortiumCa create(String name, Duration validity, Clock clock) {
    requirePositive(validity, "CA validity");
    requireName(name);
    KeyPair pair = newEcKeyPair();
    return new ConsortiumCa(pair.getPrivate(), selfSigned(name, validity, clock, pair, null), clock, null);
  }

  /**
   * Creates a new CA whose EC P-256 key is generated inside a PKCS#11 token and stored there under {@code alias},
   * with the CA certificate as its entry's certificate. The key is sensitive and unextractable: it never leaves the
   * token, and every certificate and CRL is signed by the token. Only the certificate is to be written to disk
   * ({@link #saveCertificate}).
   *
   * @throws TokenException if the alias is taken (a CA key is never replaced) or the token refuses
   */
  public static ConsortiumCa createInToken(String name, Duration validity, Clock clock, Pkcs11Token token, String alias)
      throws TokenException {
    requirePositive(validity, "CA validity");
    requireName(name);
    if (token.contains(alias)) {
      throw new TokenException(("%s already holds a key '%s'; a CA key is never replaced (a new CA invalidates every "
          + "member certificate): choose another --key-alias").formatted(token.description(), alias));
    }
    KeyPair pair = token.generateEcKeyPair();
    X509Certificate certificate = selfSigned(name, validity, clock, pair, token.provider());
    token.storeKey(alias, pair.getPrivate(), new X509Certificate[] {certificate});
    return new ConsortiumCa(pair.getPrivate(), certificate, clock, token.provider());
  }

  /**
   * Loads a CA whose key is in a PKCS#11 token (made by {@link #createInToken}); the certificate is the CA
   * certificate file of the PKI directory.
   *
   * @throws TokenException if the token has no such key
   * @throws PkiException if the certificate is not a CA certificate or is not the token key's
   */
  public static ConsortiumCa loadFromToken(Pkcs11Token token, String alias, Path certificateFile, Clock clock)
      throws IOException, PkiException, TokenException {
    X509Certificate certificate = PemFiles.readCertificate(PemFiles.readText(certificateFile), certificateFile.toString());
    PrivateKey key = token.privateKey(alias);
    if (certificate.getBasicConstraints() < 0) {
      throw new PkiException(certificateFile + " is not a CA certificate (no BasicConstraints CA)");
    }
    if (!KeyMatch.matches(key, certificate.getPublicKey())) {
      throw new PkiException("the key '%s' in %s does not belong to the certificate in %s: check --key-alias"
          .formatted(alias, token.description(), certificateFile));
    }
    return new ConsortiumCa(key, certificate, clock, token.provider());
  }

  private static X509Certificate selfSigned(String name, Duration validity, Clock clock, KeyPair pair,
      Provider provider) {
    X500Name subject = name(name);
    Instant now = clock.instant();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(subject, randomSerial(new SecureRandom()),
          Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(validity)), subject,
          SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
      return sign(builder, pair.getPrivate(), provider);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the CA certificate", e);
    }
  }

  private static void requireName(String name) {
    if (name == null || name.isBlank() || name.length() > 64) {
      throw new IllegalArgumentException("CA name must be 1-64 characters, got '%s'".formatted(name));
    }
  }

  /** Writes only the CA certificate (the key of a token CA stays in the token); never overwrites. */
  public void saveCertificate(Path certificateFile) throws IOException {
    PemFiles.writeNewFile(certificateFile, PemFiles.toPem(certificate));
  }

  /** Whether the CA key is in a PKCS#11 token. */
  public boolean keyInToken() {
    return signingProvider != null;
  }

  /**
   * Writes the CA key, encrypted with {@code passphrase}, to {@code keyFile} (mode 0600) and the certificate to
   * {@code certificateFile}. Refuses to overwrite either file; on refusal nothing is written.
   */
  public void save(Path keyFile, Path certificateFile, char[] passphrase) throws IOException {
    if (signingProvider != null) {
      throw new IllegalStateException("the CA key is in a token and cannot be saved to a file; use saveCertificate");
    }
    requirePassphrase(passphrase);
    for (Path file : new Path[] {keyFile, certificateFile}) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString(), null,
            "refusing to overwrite an existing CA file; a new CA invalidates every member certificate");
      }
    }
    PemFiles.writePrivateFile(keyFile, PemFiles.privateKeyPem(key, Optional.of(passphrase)));
    PemFiles.writeNewFile(certificateFile, PemFiles.toPem(certificate));
  }

  /**
   * Loads a CA saved by {@link #save}.
   *
   * @throws PkiException on a wrong passphrase (the message does not contain it), or if the key and certificate
   *     do not belong together or the certificate is not a CA certificate
   */
  public static ConsortiumCa load(Path keyFile, Path certificateFile, char[] passphrase, Clock clock)
      throws IOException, PkiException {
    requirePassphrase(passphrase);
    X509Certificate certificate = PemFiles.readCertificate(PemFiles.readText(certificateFile), certificateFile.toString());
    PrivateKey key = PemFiles.readPrivateKey(PemFiles.readText(keyFile), Optional.of(passphrase), keyFile.toString());
    if (certificate.getBasicConstraints() < 0) {
      throw new PkiException(certificateFile + " is not a CA certificate (no BasicConstraints CA)");
    }
    if (!KeyMatch.matches(key, certificate.getPublicKey())) {
      throw new PkiException("the key in %s does not belong to the certificate in %s".formatted(keyFile, certificateFile));
    }
    return new ConsortiumCa(key, certificate, clock, null);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * Issues a member's client certificate from its CSR.
   *
   * @param csrPem the bank's PKCS#10 request, PEM
   * @param memberId the id the operator enrols; the CSR's CN, if it has one, must equal it
   * @param validity how long the certificate is valid (positive, at most the CA's remaining validity)
   * @throws PkiException with the reason: malformed CSR, bad signature, bad member id, CN mismatch, weak key
   */
  public X509Certificate enroll(String csrPem, String memberId, Duration validity) throws PkiException {
    requirePositive(validity, "member certificate validity");
    if (!MemberCertificates.isValidMemberId(memberId)) {
      throw new PkiException("member id '%s' is not valid: it must be %s"
          .formatted(printable(memberId), MemberCertificates.describeRule()));
    }
    PKCS10CertificationRequest csr = CertificateRequests.parse(csrPem);
    verifySignature(csr);
    var commonNames = csr.getSubject().getRDNs(BCStyle.CN);
    if (commonNames.length > 0 && !MemberCertificates.memberId(csr.getSubject()).equals(Optional.of(memberId))) {
      String requested = commonNames.length == 1 ? commonNames[0].getFirst().getValue().toString()
          : commonNames.length + " CNs";
      throw new PkiException("the CSR asks for CN '%s' but the member being enrolled is '%s'; check which bank sent it"
          .formatted(printable(requested), memberId));
    }
    SubjectPublicKeyInfo publicKey = csr.getSubjectPublicKeyInfo();
    requireStrongKey(publicKey);
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    requireWithinCa(notAfter);
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(caName(), randomSerial(random),
          Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), name(memberId), publicKey)
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(publicKey))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      return sign(builder, key, signingProvider);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue the member certificate", e);
    }
  }

  /**
   * Issues the coordinator's server certificate with a fresh EC P-256 key: EKU serverAuth, and a SAN entry per
   * name (IP address entries for IPv4/IPv6 literals, DNS entries otherwise). The CN is the first name.
   */
  public ServerIdentity issueServerCertificate(List<String> hostnamesAndAddresses, Duration validity) throws PkiException {
    requirePositive(validity, "server certificate validity");
    if (hostnamesAndAddresses.isEmpty()) {
      throw new PkiException("the server certificate needs at least one host name or IP address");
    }
    List<GeneralName> names = new ArrayList<>();
    for (String name : hostnamesAndAddresses) {
      if (IPAddress.isValid(name)) {
        names.add(new GeneralName(GeneralName.iPAddress, name));
      } else if (DNS_NAME.matcher(name).matches()) {
        names.add(new GeneralName(GeneralName.dNSName, name));
      } else {
        throw new PkiException("'%s' is neither an IP address nor a DNS host name".formatted(printable(name)));
      }
    }
    Instant now = clock.instant();
    Instant notAfter = now.plus(validity);
    requireWithinCa(notAfter);
    KeyPair pair = newEcKeyPair();
    try {
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
          .addRDN(BCStyle.O, ORGANISATION).addRDN(BCStyle.CN, hostnamesAndAddresses.get(0)).build();
      X509v3CertificateBuilder builder = new X509v3CertificateBuilder(caName(), randomSerial(random),
          Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), subject,
          SubjectPublicKeyInfo.getInstance(pair.getPublic().getEncoded()))
          .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
          .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
          .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
          .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)))
          .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
          .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
      return new ServerIdentity(pair.getPrivate(), sign(builder, key, signingProvider));
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot issue the server certificate", e);
    }
  }

  /**
   * Marks every active certificate of {@code memberId} revoked in the roster (and saves it), then signs a CRL
   * listing every revoked certificate that has not yet expired.
   *
   * @throws PkiException if the roster has no active certificate for the member
   */
  public RevocationList revoke(String memberId, MemberRoster roster) throws PkiException, IOException {
    roster.revoke(memberId, clock.instant());
    roster.save();
    return revocationList(roster);
  }

  /** Signs a CRL of the roster's revoked, unexpired certificates (valid for {@link #DEFAULT_CRL_VALIDITY}). */
  public RevocationList revocationList(MemberRoster roster) {
    Instant now = clock.instant();
    X509v2CRLBuilder builder = new X509v2CRLBuilder(caName(), Date.from(now));
    builder.setNextUpdate(Date.from(now.plus(DEFAULT_CRL_VALIDITY)));
    for (EnrolledMember member : roster.members()) {
      if (member.status() == EnrolledMember.Status.REVOKED && member.notAfter().isAfter(now)) {
        builder.addCRLEntry(member.serialNumber(), Date.from(member.revokedAt()), CRLReason.privilegeWithdrawn);
      }
    }
    try {
      builder.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
      X509CRL crl = new JcaX509CRLConverter().getCRL(builder.build(signer(key, signingProvider)));
      return RevocationList.of(crl, certificate);
    } catch (GeneralSecurityException | IOException | OperatorCreationException | PkiException e) {
      throw new IllegalStateException("cannot sign the revocation list", e);
    }
  }

  /**
   * SHA-256 fingerprint of a CSR's public key (colon-separated hex), for the operator to compare, out of band,
   * with the one the bank's {@code keygen} printed before enrolling.
   */
  public static String publicKeyFingerprint(String csrPem) throws PkiException {
    return fingerprint(CertificateRequests.parse(csrPem).getSubjectPublicKeyInfo());
  }

  static String fingerprint(SubjectPublicKeyInfo publicKey) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
      return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  private static void verifySignature(PKCS10CertificationRequest csr) throws PkiException {
    try {
      // The BC provider: the JDK providers cannot build an EC verifier from the CSR's key info (stack trap 6).
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(PemFiles.BC)
          .build(csr.getSubjectPublicKeyInfo()))) {
        throw new PkiException("the CSR's signature does not verify: it was altered, or not made with its own key");
      }
    } catch (OperatorCreationException | PKCSException e) {
      throw new PkiException("the CSR's signature cannot be checked: " + e.getMessage(), e);
    }
  }

  private static void requireStrongKey(SubjectPublicKeyInfo publicKey) throws PkiException {
    ASN1ObjectIdentifier algorithm = publicKey.getAlgorithm().getAlgorithm();
    if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
      ASN1Encodable parameters = publicKey.getAlgorithm().getParameters();
      if (!(parameters instanceof ASN1ObjectIdentifier curve) || !SECObjectIdentifiers.secp256r1.equals(curve)) {
        String curveName = parameters instanceof ASN1ObjectIdentifier curve
            ? Optional.ofNullable(ECNamedCurveTable.getName(curve)).orElse(curve.getId()) : "explicit parameters";
        throw new PkiException(("the CSR's key is EC on curve %s; Comity accepts EC P-256 (secp256r1), which every "
            + "member's TLS stack supports, or RSA of at least 2048 bits").formatted(curveName));
      }
    } else if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
      int bits;
      try {
        bits = RSAPublicKey.getInstance(publicKey.parsePublicKey()).getModulus().bitLength();
      } catch (IOException | IllegalArgumentException e) {
        throw new PkiException("the CSR's RSA key is malformed", e);
      }
      if (bits < 2048) {
        throw new PkiException("the CSR's key is RSA of %d bits; Comity accepts RSA of at least 2048 bits or EC P-256"
            .formatted(bits));
      }
    } else {
      throw new PkiException(("the CSR's key algorithm (OID %s) is not accepted; Comity accepts EC P-256 or RSA of "
          + "at least 2048 bits (Ed25519 fails with gRPC's BoringSSL)").formatted(algorithm.getId()));
    }
  }

  private void requireWithinCa(Instant notAfter) throws PkiException {
    Instant caNotAfter = certificate.getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      throw new PkiException("the certificate would outlive the CA (CA valid until %s, requested until %s)"
          .formatted(caNotAfter, notAfter));
    }
  }

  private X500Name caName() {
    return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
  }

  private static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, ORGANISATION).addRDN(BCStyle.CN, commonName).build();
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signingKey, Provider provider)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signingKey, provider)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create the signer", e);
    }
  }

  /** A signer over the key; a token key is signed with by its token's provider, the only one that can use it. */
  private static ContentSigner signer(PrivateKey signingKey, Provider provider) throws OperatorCreationException {
    JcaContentSignerBuilder builder = new JcaContentSignerBuilder(SIGNATURE_ALGORITHM);
    return (provider != null ? builder.setProvider(provider) : builder).build(signingKey);
  }

  /** A positive serial of up to 128 random bits (RFC 5280 allows 20 octets; at least 64 random bits advised). */
  static BigInteger randomSerial(SecureRandom random) {
    BigInteger serial;
    do {
      byte[] bytes = new byte[16];
      random.nextBytes(bytes);
      serial = new BigInteger(1, bytes);
    } while (serial.signum() == 0);
    return serial;
  }

  static KeyPair newEcKeyPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("EC P-256 key generation unavailable", e);
    }
  }

  private static void requirePositive(Duration validity, String what) {
    if (validity == null || validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("%s must be positive, got %s".formatted(what, validity));
    }
  }

  private static void requirePassphrase(char[] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("the CA key needs a non-empty passphrase");
    }
  }

  private static String printable(String text) {
    String clean = text == null ? "" : text.replaceAll("[^\\x20-\\x7E]", "?");
    return clean.length() > 80 ? clean.substring(0, 80) + "..." : clean;
  }

  @Override
  public String toString() {
    return "ConsortiumCa[subject=%s, notAfter=%s, key=%s]".formatted(certificate.getSubjectX500Principal(),
        certificate.getNotAfter().toInstant(), signingProvider != null ? "<in token>" : "<redacted>");
  }

  /** Whether a private key and a public key form a pair: sign a random challenge and verify it. */
  static final class KeyMatch {
    private KeyMatch() {}

    static boolean matches(PrivateKey privateKey, PublicKey publicKey) {
      if (!privateKey.getAlgorithm().equals(publicKey.getAlgorithm())) {
        return false;
      }
      try {
        String algorithm = "EC".equals(publicKey.getAlgorithm()) ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        java.security.Signature signer = java.security.Signature.getInstance(algorithm);
        signer.initSign(privateKey);
        signer.update(challenge);
        byte[] signature = signer.sign();
        java.security.Signature verifier = java.security.Signature.getInstance(algorithm);
        verifier.initVerify(publicKey);
        verifier.update(challenge);
        return verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
  }
}
