package org.comity.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.SoftHsmTokens;
import org.comity.pkcs11.TokenException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bank's key generated in a SoftHSM token: CSR, placeholder entry, signing of secure-aggregation keys. */
class TokenKeysTest {
  @TempDir
  Path dir;

  @Test
  void generateInToken_csrSignedByTheTokenKey_keyNeverExtractable() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path csrFile = dir.resolve("bank-a.csr");
    try (Pkcs11Token opened = token.open("bank-a")) {
      // when
      var generated = BankKeys.generateInToken("bank-a", opened, "bank-a", csrFile);

      // then
      PKCS10CertificationRequest csr = readCsr(csrFile);
      assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(new BouncyCastleProvider())
          .build(csr.getSubjectPublicKeyInfo())), "proof of possession by the token key");
      assertEquals("bank-a", csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
      X509Certificate placeholder = opened.certificate("bank-a");
      assertTrue(placeholder.getSubjectX500Principal().getName().contains("OU=placeholder"));
      assertEquals(BankKeys.fingerprint(placeholder.getPublicKey().getEncoded()), generated.publicKeyFingerprint());
      assertEquals(BankKeys.fingerprint(csr.getSubjectPublicKeyInfo().getEncoded()), generated.publicKeyFingerprint());
      PrivateKey key = opened.privateKey("bank-a");
      assertNull(key.getEncoded(), "the token must not reveal the key");
      assertTrue(key.toString().contains("token object, sensitive, unextractable"), key.toString());
      assertEquals(List.of("bank-a.csr"), Files.list(dir).map(p -> p.getFileName().toString()).toList(),
          "nothing but the CSR is written to disk");
    }
  }

  @Test
  void generateInToken_aliasTaken_refusedBeforeWritingAnything() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-a")) {
      BankKeys.generateInToken("bank-a", opened, "bank-a", dir.resolve("first.csr"));
      String firstKey = opened.privateKey("bank-a").toString();

      TokenException error = assertThrows(TokenException.class,
          () -> BankKeys.generateInToken("bank-a", opened, "bank-a", dir.resolve("second.csr")));

      assertTrue(error.getMessage().contains("already holds a key 'bank-a'"), error.getMessage());
      assertTrue(error.getMessage().contains("--key-alias"), error.getMessage());
      assertFalse(Files.exists(dir.resolve("second.csr")));
      assertEquals(firstKey, opened.privateKey("bank-a").toString());
    }
  }

  @Test
  void generateInToken_csrFileExists_refusedAndNoKeyStored() throws Exception {
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    Path csrFile = Files.writeString(dir.resolve("bank-a.csr"), "an older request");
    try (Pkcs11Token opened = token.open("bank-a")) {
      assertThrows(FileAlreadyExistsException.class, () -> BankKeys.generateInToken("bank-a", opened, "bank-a", csrFile));

      assertEquals(List.of(), opened.aliases());
      assertEquals("an older request", Files.readString(csrFile));
    }
  }

  @Test
  void secAggKeys_signedByTheTokenKey_verifiedByAnotherBank() throws Exception {
    // given: bank-a's key in a token, bank-b's in a file, both enrolled by the same CA
    TestCa ca = new TestCa("consortium");
    Path caFile = Files.writeString(dir.resolve("ca.crt"), ca.pem());
    SoftHsmTokens.Token token = SoftHsmTokens.fresh();
    try (Pkcs11Token opened = token.open("bank-a")) {
      var generated = BankKeys.generateInToken("bank-a", opened, "bank-a", dir.resolve("a.csr"));
      Path certificateA = Files.writeString(dir.resolve("a.crt"), BankPem.toPem(
          ca.signCsr(Files.readString(generated.csrFile()), Instant.now().minusSeconds(60), Duration.ofDays(1))));
      SecAggKeySigner bankA = SecAggKeySigner.withKey(caFile, certificateA, opened.privateKey("bank-a"));
      var fileKey = BankKeys.generate("bank-b", dir.resolve("b.key"), dir.resolve("b.csr"), Optional.empty());
      Path certificateB = Files.writeString(dir.resolve("b.crt"), BankPem.toPem(
          ca.signCsr(Files.readString(fileKey.csrFile()), Instant.now().minusSeconds(60), Duration.ofDays(1))));
      SecAggKeySigner bankB = SecAggKeySigner.load(caFile, certificateB, fileKey.keyFile(), Optional.empty());
      byte[] encryption = new byte[32];
      byte[] masking = new byte[32];
      masking[0] = 7;

      // when
      byte[] signature = bankA.sign("run-1", 3, "bank-a", encryption, masking);

      // then
      bankB.verify("run-1", 3, "bank-a", encryption, masking, signature, bankA.certificateDer());
      masking[0] = 8;
      assertThrows(IllegalArgumentException.class,
          () -> bankB.verify("run-1", 3, "bank-a", encryption, masking, signature, bankA.certificateDer()));
    }
  }

  private static PKCS10CertificationRequest readCsr(Path file) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      return (PKCS10CertificationRequest) parser.readObject();
    }
  }
}
