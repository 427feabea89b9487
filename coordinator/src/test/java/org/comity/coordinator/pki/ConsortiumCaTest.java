package org.comity.coordinator.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsortiumCaTest {
  private static final Instant NOW = Instant.parse("2026-11-27T09:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
  private static ConsortiumCa ca;

  @TempDir
  Path dir;

  @BeforeAll
  static void createCa() {
    ca = ConsortiumCa.create("Comity test CA", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK);
  }

  @Test
  void create_caCertificateIsCaWithCertAndCrlSigning() throws Exception {
    X509Certificate certificate = ca.certificate();

    assertEquals(0, certificate.getBasicConstraints());
    boolean[] usage = certificate.getKeyUsage();
    assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
    assertEquals("EC", certificate.getPublicKey().getAlgorithm());
    assertEquals(NOW.plus(ConsortiumCa.DEFAULT_CA_VALIDITY), certificate.getNotAfter().toInstant());
    certificate.verify(certificate.getPublicKey());
  }

  @Test
  void save_keyFileIsEncrypted0600_andLoadsBackWithThePassphrase() throws Exception {
    // given
    Path key = dir.resolve("ca-key.pem");
    Path cert = dir.resolve("ca-cert.pem");
    // when
    ca.save(key, cert, PASSPHRASE);
    // then
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    // the key file parses as an encrypted PKCS#8 structure (the test builds its key at run time; none is in the repo)
    try (org.bouncycastle.openssl.PEMParser parser = new org.bouncycastle.openssl.PEMParser(
        new java.io.StringReader(Files.readString(key)))) {
      assertTrue(parser.readObject() instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo,
          "the CA key is written encrypted");
    }
    ConsortiumCa loaded = ConsortiumCa.load(key, cert, PASSPHRASE.clone(), CLOCK);
    assertEquals(ca.certificate(), loaded.certificate());
    X509Certificate issued = loaded.enroll(TestBanks.ecBank("CN=bank-a").csrPem(), "bank-a", Duration.ofDays(1));
    issued.verify(ca.certificate().getPublicKey());
  }

  @Test
  void save_existingFiles_refusedAndNothingOverwritten() throws Exception {
    Path key = dir.resolve("ca-key.pem");
    Path cert = dir.resolve("ca-cert.pem");
    ca.save(key, cert, PASSPHRASE);
    String before = Files.readString(key);

    assertThrows(FileAlreadyExistsException.class, () -> ca.save(key, dir.resolve("other-cert.pem"), PASSPHRASE));
    assertThrows(FileAlreadyExistsException.class,
        () -> ConsortiumCa.create("other", Duration.ofDays(10), CLOCK).save(key, cert, PASSPHRASE));

    assertEquals(before, Files.readString(key));
    assertFalse(Files.exists(dir.resolve("other-cert.pem")));
  }

  @Test
  void load_wrongPassphrase_clearErrorWithoutThePassphraseOrKey() throws Exception {
    Path key = dir.resolve("ca-key.pem");
    Path cert = dir.resolve("ca-cert.pem");
    ca.save(key, cert, PASSPHRASE);

    PkiException error = assertThrows(PkiException.class,
        () -> ConsortiumCa.load(key, cert, "hunter2-wrong".toCharArray(), CLOCK));

    assertTrue(error.getMessage().contains("wrong passphrase"), error.getMessage());
    assertNoSecretText(error, Files.readString(key), "hunter2-wrong");
  }

  @Test
  void enroll_validCsr_clientCertificateForTheMember() throws Exception {
    X509Certificate issued = ca.enroll(TestBanks.ecBank("CN=bank-a,O=Comity").csrPem(), "bank-a",
        ConsortiumCa.DEFAULT_MEMBER_VALIDITY);

    assertEquals(Optional.of("bank-a"), MemberCertificates.memberId(issued));
    X500Name subject = X500Name.getInstance(issued.getSubjectX500Principal().getEncoded());
    assertEquals("Comity", subject.getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.O)[0].getFirst().getValue().toString());
    assertEquals(List.of("1.3.6.1.5.5.7.3.2"), issued.getExtendedKeyUsage(), "EKU clientAuth only");
    assertEquals(-1, issued.getBasicConstraints());
    assertEquals(NOW.plus(Duration.ofDays(30)), issued.getNotAfter().toInstant());
    assertTrue(issued.getNotBefore().toInstant().isBefore(NOW));
    assertTrue(issued.getSerialNumber().signum() > 0 && issued.getSerialNumber().bitLength() <= 128);
    issued.verify(ca.certificate().getPublicKey());
  }

  @Test
  void enroll_csrWithoutCn_subjectComesFromTheOperatorsMemberId() throws Exception {
    X509Certificate issued = ca.enroll(TestBanks.ecBank("O=Some Bank").csrPem(), "bank-c", Duration.ofDays(1));

    assertEquals(Optional.of("bank-c"), MemberCertificates.memberId(issued));
  }

  @Test
  void enroll_rsa2048_accepted() throws Exception {
    var bank = TestBanks.bank(TestBanks.keyPair("RSA", null, 2048), "CN=bank-r", "SHA256withRSA");

    X509Certificate issued = ca.enroll(bank.csrPem(), "bank-r", Duration.ofDays(1));

    assertEquals("RSA", issued.getPublicKey().getAlgorithm());
  }

  @Test
  void enroll_badMemberId_refusedWithTheRule() {
    String csr = TestBanks.ecBank("CN=bank a").csrPem();
    for (String bad : List.of("bank a", "-bank", "", "b".repeat(65), "bank/../a", "bänk")) {
      PkiException error = assertThrows(PkiException.class, () -> ca.enroll(csr, bad, Duration.ofDays(1)), bad);
      assertTrue(error.getMessage().contains("is not valid: it must be 1-64 characters"), error.getMessage());
    }
  }

  @Test
  void enroll_cnDiffersFromMemberId_refused() {
    PkiException error = assertThrows(PkiException.class,
        () -> ca.enroll(TestBanks.ecBank("CN=bank-b").csrPem(), "bank-a", Duration.ofDays(1)));

    assertTrue(error.getMessage().contains("asks for CN 'bank-b'"), error.getMessage());
  }

  @Test
  void enroll_weakOrUnsupportedKeys_refusedWithTheReason() {
    var rsa1024 = TestBanks.bank(TestBanks.keyPair("RSA", null, 1024), "CN=bank-a", "SHA256withRSA");
    var p384 = TestBanks.bank(TestBanks.keyPair("EC", new ECGenParameterSpec("secp384r1"), 0), "CN=bank-a",
        "SHA384withECDSA");

    PkiException rsa = assertThrows(PkiException.class, () -> ca.enroll(rsa1024.csrPem(), "bank-a", Duration.ofDays(1)));
    PkiException ec = assertThrows(PkiException.class, () -> ca.enroll(p384.csrPem(), "bank-a", Duration.ofDays(1)));

    assertTrue(rsa.getMessage().contains("RSA of 1024 bits"), rsa.getMessage());
    assertTrue(ec.getMessage().contains("EC on curve secp384r1"), ec.getMessage());
  }

  @Test
  void enroll_tamperedCsr_refused() {
    String csr = TestBanks.ecBank("CN=bank-a").csrPem();
    String body = csr.replaceAll("-----[A-Z ]+-----|\\s", "");
    byte[] der = Base64.getDecoder().decode(body);
    der[der.length - 5] ^= 0x01; // inside the signature
    String tampered = "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";

    PkiException error = assertThrows(PkiException.class, () -> ca.enroll(tampered, "bank-a", Duration.ofDays(1)));

    assertTrue(error.getMessage().contains("signature"), error.getMessage());
  }

  @Test
  void enroll_privateKeyGivenInsteadOfCsr_refusedWithoutEchoingTheKey() {
    String keyPem = TestBanks.ecBank("CN=bank-a").unencryptedKeyPem();

    PkiException asCsr = assertThrows(PkiException.class, () -> ca.enroll(keyPem, "bank-a", Duration.ofDays(1)));
    PkiException asCert = assertThrows(PkiException.class, () -> PemFiles.readCertificate(keyPem, "cert.pem"));
    PkiException mixed = assertThrows(PkiException.class, () -> ca.enroll(
        "-----BEGIN CERTIFICATE REQUEST-----\n" + keyPem, "bank-a", Duration.ofDays(1)));

    for (PkiException error : List.of(asCsr, asCert, mixed)) {
      assertNoSecretText(error, keyPem, null);
    }
  }

  @Test
  void enroll_beyondTheCaValidity_refused() {
    PkiException error = assertThrows(PkiException.class, () -> ca.enroll(TestBanks.ecBank("CN=bank-a").csrPem(),
        "bank-a", ConsortiumCa.DEFAULT_CA_VALIDITY.plusDays(1)));

    assertTrue(error.getMessage().contains("outlive the CA"), error.getMessage());
  }

  @Test
  void publicKeyFingerprint_isSha256OfTheCsrKey() throws Exception {
    String fingerprint = ConsortiumCa.publicKeyFingerprint(TestBanks.ecBank("CN=bank-a").csrPem());

    assertTrue(fingerprint.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), fingerprint);
  }

  @Test
  void issueServerCertificate_sanAndServerAuth_key0600() throws Exception {
    ServerIdentity server = ca.issueServerCertificate(List.of("localhost", "127.0.0.1", "::1", "coordinator.example"),
        ConsortiumCa.DEFAULT_SERVER_VALIDITY);

    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), server.certificate().getExtendedKeyUsage());
    Collection<List<?>> names = server.certificate().getSubjectAlternativeNames();
    assertTrue(names.contains(List.of(2, "localhost")), names.toString());
    assertTrue(names.contains(List.of(7, "127.0.0.1")), names.toString());
    assertTrue(names.contains(List.of(2, "coordinator.example")), names.toString());
    assertFalse(server.toString().contains("PRIVATE"), server.toString());
    Path key = dir.resolve("server-key.pem");
    server.save(key, dir.resolve("server-cert.pem"), Optional.of(PASSPHRASE));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(Files.readString(key).contains("ENCRYPTED"));
    assertThrows(FileAlreadyExistsException.class,
        () -> server.save(key, dir.resolve("other-cert.pem"), Optional.empty()));
  }

  @Test
  void issueServerCertificate_badName_refused() {
    assertThrows(PkiException.class, () -> ca.issueServerCertificate(List.of("bad name"), Duration.ofDays(1)));
    assertThrows(PkiException.class, () -> ca.issueServerCertificate(List.of(), Duration.ofDays(1)));
  }

  @Test
  void readPrivateKey_encryptedWithoutPassphrase_refused() {
    var bank = TestBanks.ecBank("CN=bank-a");
    String encrypted = PemFiles.privateKeyPem(bank.keys().getPrivate(), Optional.of(PASSPHRASE));

    PkiException error = assertThrows(PkiException.class,
        () -> PemFiles.readPrivateKey(encrypted, Optional.empty(), "key.pem"));

    assertTrue(error.getMessage().contains("passphrase is needed"), error.getMessage());
  }

  @Test
  void writePrivateFile_existingFile_notOverwritten() throws Exception {
    Path file = dir.resolve("key.pem");
    Files.writeString(file, "original");

    assertThrows(FileAlreadyExistsException.class, () -> PemFiles.writePrivateFile(file, "replacement"));

    assertEquals("original", Files.readString(file));
  }

  /** Neither the key's PEM text (any base64 line of it) nor the passphrase appears anywhere in the cause chain. */
  static void assertNoSecretText(Throwable error, String keyPem, String passphrase) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      assertFalse(message.contains("PRIVATE KEY"), message);
      for (String line : keyPem.lines().filter(l -> !l.startsWith("-----")).toList()) {
        assertFalse(message.contains(line.substring(0, Math.min(16, line.length()))), message);
      }
      if (passphrase != null) {
        assertFalse(message.contains(passphrase), message);
      }
    }
  }
}
