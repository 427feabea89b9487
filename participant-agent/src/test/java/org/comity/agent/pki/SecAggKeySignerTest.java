package org.comity.agent.pki;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecAggKeySignerTest {
  @TempDir
  Path dir;

  private final TestCa ca = new TestCa("consortium");
  private SecAggKeySigner bankA;
  private SecAggKeySigner bankB;
  private final byte[] encryption = new byte[32];
  private final byte[] masking = new byte[32];

  @BeforeEach
  void enrol() throws Exception {
    bankA = signer("bank-a", ca);
    bankB = signer("bank-b", ca);
    encryption[0] = 1;
    masking[0] = 2;
  }

  private SecAggKeySigner signer(String member, TestCa authority) throws Exception {
    Path memberDir = Files.createDirectories(dir.resolve(member + "-" + System.nanoTime()));
    var generated = BankKeys.generate(member, memberDir.resolve("k.key"), memberDir.resolve("k.csr"), Optional.empty());
    var certificate = authority.signCsr(Files.readString(generated.csrFile()), Instant.now().minusSeconds(60),
        Duration.ofDays(1));
    Files.writeString(memberDir.resolve("k.crt"), BankPem.toPem(certificate));
    Files.writeString(memberDir.resolve("ca.crt"), ca.pem());
    return SecAggKeySigner.load(memberDir.resolve("ca.crt"), memberDir.resolve("k.crt"), generated.keyFile(),
        Optional.empty());
  }

  @Test
  void aPeersSignedKeys_verify() {
    byte[] signature = bankA.sign("run-1", 3, "bank-a", encryption, masking);
    bankB.verify("run-1", 3, "bank-a", encryption, masking, signature, bankA.certificateDer());
  }

  @Test
  void substitutedKeys_otherRound_otherMember_unsigned_orForeignCa_areRefused() throws Exception {
    byte[] signature = bankA.sign("run-1", 3, "bank-a", encryption, masking);
    byte[] substituted = masking.clone();
    substituted[5] ^= 1;
    IllegalArgumentException swap = assertThrows(IllegalArgumentException.class,
        () -> bankB.verify("run-1", 3, "bank-a", encryption, substituted, signature, bankA.certificateDer()));
    assertTrue(swap.getMessage().contains("coordinator may be substituting"), swap.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> bankB.verify("run-1", 4, "bank-a", encryption, masking, signature, bankA.certificateDer()), "replayed into another round");
    assertThrows(IllegalArgumentException.class,
        () -> bankB.verify("run-2", 3, "bank-a", encryption, masking, signature, bankA.certificateDer()), "another run");
    IllegalArgumentException impersonation = assertThrows(IllegalArgumentException.class,
        () -> bankB.verify("run-1", 3, "bank-c", encryption, masking, signature, bankA.certificateDer()));
    assertTrue(impersonation.getMessage().contains("names bank-a"), impersonation.getMessage());
    IllegalArgumentException unsigned = assertThrows(IllegalArgumentException.class,
        () -> bankB.verify("run-1", 3, "bank-a", encryption, masking, new byte[0], new byte[0]));
    assertTrue(unsigned.getMessage().contains("not signed"), unsigned.getMessage());
    SecAggKeySigner outsider = signer("bank-a", new TestCa("someone else"));
    byte[] foreign = outsider.sign("run-1", 3, "bank-a", encryption, masking);
    assertThrows(IllegalArgumentException.class,
        () -> bankB.verify("run-1", 3, "bank-a", encryption, masking, foreign, outsider.certificateDer()));
  }

  @Test
  void aStatementSignedWithTheCertificateKey_verifiesWithTheVerifiedCertificate_andNothingElseDoes() throws Exception {
    // given: bank-b has verified bank-a's certificate with its keys
    byte[] keySignature = bankA.sign("run-1", 3, "bank-a", encryption, masking);
    var certificate = bankB.verify("run-1", 3, "bank-a", encryption, masking, keySignature, bankA.certificateDer());
    byte[] statement = "comity/secagg/v1/consistency-check|statement".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    // when
    byte[] signature = bankA.signStatement(statement);
    // then
    assertTrue(SecAggKeySigner.verifyStatement(certificate, statement, signature));
    byte[] other = statement.clone();
    other[other.length - 1] ^= 1;
    assertTrue(!SecAggKeySigner.verifyStatement(certificate, other, signature), "another statement");
    assertTrue(!SecAggKeySigner.verifyStatement(certificate, statement, bankB.signStatement(statement)),
        "bank-b's signature is not bank-a's");
    assertTrue(!SecAggKeySigner.verifyStatement(certificate, statement, new byte[] {1, 2, 3}), "garbage, no exception");
    assertTrue(!SecAggKeySigner.verifyStatement(certificate, statement, keySignature), "the key signature is no statement");
  }

  @Test
  void theSignerNeverPrintsItsKey() {
    assertTrue(bankA.toString().contains("<redacted>"));
  }
}
