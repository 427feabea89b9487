package org.comity.coordinator.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.SoftHsmTokens;
import org.comity.pkcs11.TokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The consortium CA with its key in a SoftHSM token. */
class ConsortiumCaTokenTest {
  private static final Instant NOW = Instant.now();
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir
  Path dir;

  @Test
  void createInToken_keyStaysInTheToken_andSignsAMemberCertificateThatVerifies() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("comity-ca")) {
      // when
      ConsortiumCa ca = ConsortiumCa.createInToken("Comity token CA", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK, opened,
          "comity-ca");
      X509Certificate member = ca.enroll(TestBanks.ecBank("CN=bank-a,O=Comity").csrPem(), "bank-a",
          Duration.ofDays(30));

      // then
      assertTrue(ca.keyInToken());
      assertNull(opened.privateKey("comity-ca").getEncoded(), "the CA key must not leave the token");
      assertTrue(opened.privateKey("comity-ca").toString().contains("sensitive, unextractable"));
      ca.certificate().verify(ca.certificate().getPublicKey());
      member.verify(ca.certificate().getPublicKey());
      assertEquals(ca.certificate().getPublicKey(), opened.certificate("comity-ca").getPublicKey());
      assertTrue(ca.toString().contains("<in token>"));
    }
  }

  @Test
  void loadFromToken_afterReopening_signsCertificatesAndRevocationLists() throws Exception {
    // given: a CA made in the token, its certificate written to the PKI directory
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path certificateFile = dir.resolve("ca.crt");
    try (Pkcs11Token opened = token.open("comity-ca")) {
      ConsortiumCa.createInToken("Comity token CA", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK, opened, "comity-ca")
          .saveCertificate(certificateFile);
    }
    assertEquals(1, Files.list(dir).count(), "only the certificate is on disk");

    // when
    try (Pkcs11Token reopened = Pkcs11Token.open(token.bySlot("comity-ca"), SoftHsmTokens.PIN.toCharArray())) {
      ConsortiumCa ca = ConsortiumCa.loadFromToken(reopened, "comity-ca", certificateFile, CLOCK);
      X509Certificate member = ca.enroll(TestBanks.ecBank("CN=bank-b,O=Comity").csrPem(), "bank-b", Duration.ofDays(30));
      MemberRoster roster = MemberRoster.load(dir.resolve("members.json"));
      roster.recordIssued(member);
      RevocationList crl = ca.revoke("bank-b", roster);

      // then
      member.verify(ca.certificate().getPublicKey());
      assertEquals(1, crl.size());
      RevocationList.load(writeCrl(crl), ca.certificate());
    }
  }

  @Test
  void loadFromToken_unknownAlias_namesTheFlag() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path certificateFile = dir.resolve("ca.crt");
    try (Pkcs11Token opened = token.open("comity-ca")) {
      ConsortiumCa.createInToken("Comity token CA", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK, opened, "comity-ca")
          .saveCertificate(certificateFile);

      TokenException error = assertThrows(TokenException.class,
          () -> ConsortiumCa.loadFromToken(opened, "other-ca", certificateFile, CLOCK));

      assertTrue(error.getMessage().contains("--key-alias 'other-ca'"), error.getMessage());
      assertTrue(error.getMessage().contains("it holds: comity-ca"), error.getMessage());
    }
  }

  @Test
  void loadFromToken_certificateOfAnotherCa_refused() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path otherCertificate = dir.resolve("other-ca.crt");
    ConsortiumCa.create("Other CA", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK).saveCertificate(otherCertificate);
    try (Pkcs11Token opened = token.open("comity-ca")) {
      ConsortiumCa.createInToken("Comity token CA", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK, opened, "comity-ca");

      PkiException error = assertThrows(PkiException.class,
          () -> ConsortiumCa.loadFromToken(opened, "comity-ca", otherCertificate, CLOCK));

      assertTrue(error.getMessage().contains("does not belong to the certificate"), error.getMessage());
    }
  }

  @Test
  void createInToken_aliasTaken_refusedAndTheOldCaKept() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("comity-ca")) {
      ConsortiumCa first = ConsortiumCa.createInToken("CA one", ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK, opened,
          "comity-ca");

      TokenException error = assertThrows(TokenException.class, () -> ConsortiumCa.createInToken("CA two",
          ConsortiumCa.DEFAULT_CA_VALIDITY, CLOCK, opened, "comity-ca"));

      assertTrue(error.getMessage().contains("never replaced"), error.getMessage());
      assertEquals(first.certificate().getPublicKey(), opened.certificate("comity-ca").getPublicKey());
      assertFalse(opened.aliases().size() > 1);
    }
  }

  private Path writeCrl(RevocationList crl) throws Exception {
    Path file = dir.resolve("crl.pem");
    crl.writeTo(file);
    return file;
  }
}
