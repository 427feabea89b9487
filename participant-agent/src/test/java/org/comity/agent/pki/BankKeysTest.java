package org.comity.agent.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BankKeysTest {
  @TempDir
  Path dir;

  @Test
  void generate_encryptedKey0600_andSignedCsrForTheMember() throws Exception {
    // given
    Path key = dir.resolve("bank-a.key");
    Path csrFile = dir.resolve("bank-a.csr");
    // when
    BankKeys.Generated generated = BankKeys.generate("bank-a", key, csrFile, Optional.of("s3cret pass".toCharArray()));
    // then
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(pemObject(key) instanceof org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo, "written encrypted");
    PKCS10CertificationRequest csr;
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(csrFile)))) {
      csr = (PKCS10CertificationRequest) parser.readObject();
    }
    assertEquals("bank-a", csr.getSubject().getRDNs(BCStyle.CN)[0].getFirst().getValue().toString());
    assertEquals("Comity", csr.getSubject().getRDNs(BCStyle.O)[0].getFirst().getValue().toString());
    assertTrue(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BankPem.BC)
        .build(csr.getSubjectPublicKeyInfo())));
    assertEquals(BankKeys.fingerprint(csr.getSubjectPublicKeyInfo().getEncoded()), generated.publicKeyFingerprint());
    assertFalse(generated.toString().contains("PRIVATE"));
  }

  @Test
  void generate_withoutPassphrase_plainPkcs8Still0600() throws Exception {
    Path key = dir.resolve("k.pem");

    BankKeys.generate("bank-a", key, dir.resolve("c.pem"), Optional.empty());

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    assertTrue(pemObject(key) instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo, "plain PKCS#8");
  }

  /** The one PEM object in {@code file}, parsed (the tests generate their keys; none is kept in the repository). */
  private static Object pemObject(Path file) throws Exception {
    try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
      return parser.readObject();
    }
  }

  @Test
  void generate_existingKeyOrCsr_refusedAndNothingReplaced() throws Exception {
    Path key = dir.resolve("k.pem");
    Path csr = dir.resolve("c.pem");
    BankKeys.generate("bank-a", key, csr, Optional.empty());
    String originalKey = Files.readString(key);

    assertThrows(FileAlreadyExistsException.class, () -> BankKeys.generate("bank-a", key, dir.resolve("c2.pem"),
        Optional.empty()));
    assertThrows(FileAlreadyExistsException.class, () -> BankKeys.generate("bank-a", dir.resolve("k2.pem"), csr,
        Optional.empty()));

    assertEquals(originalKey, Files.readString(key));
    assertFalse(Files.exists(dir.resolve("k2.pem")));
    assertFalse(Files.exists(dir.resolve("c2.pem")));
  }

  @Test
  void generate_invalidMemberIdOrEmptyPassphrase_refused() {
    IllegalArgumentException badId = assertThrows(IllegalArgumentException.class,
        () -> BankKeys.generate("bank a", dir.resolve("k"), dir.resolve("c"), Optional.empty()));
    assertThrows(IllegalArgumentException.class,
        () -> BankKeys.generate("bank-a", dir.resolve("k"), dir.resolve("c"), Optional.of(new char[0])));

    assertTrue(badId.getMessage().contains("1-64 characters"), badId.getMessage());
    assertFalse(Files.exists(dir.resolve("k")));
  }
}
