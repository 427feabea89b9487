package org.comity.coordinator.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.comity.coordinator.pki.ConsortiumCa;
import org.comity.coordinator.pki.ServerIdentity;
import org.comity.coordinator.store.DatabaseUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditSignerTest {
  @TempDir
  Path directory;

  @Test
  void loadOrCreate_writesTheKeyOwnerOnly_andLoadsTheSameKeyAgain() throws Exception {
    Path file = directory.resolve("store.db.audit-key.pem");

    AuditSigner created = AuditSigner.loadOrCreate(file);
    AuditSigner loaded = AuditSigner.loadOrCreate(file);

    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals(created.keyId(), loaded.keyId());
    assertTrue(AuditSigner.verify(loaded.publicKey(), "ab".repeat(32), created.sign("ab".repeat(32))));
  }

  @Test
  void fromServerIdentity_signsWithTheServerKey_andRecordsItsCertificate() throws Exception {
    ConsortiumCa ca = ConsortiumCa.create("test CA", ConsortiumCa.DEFAULT_CA_VALIDITY, Clock.systemUTC());
    ServerIdentity server = ca.issueServerCertificate(List.of("localhost"), ConsortiumCa.DEFAULT_SERVER_VALIDITY);
    server.save(directory.resolve("server.key"), directory.resolve("server.crt"), Optional.empty());

    AuditSigner signer = AuditSigner.fromServerIdentity(directory.resolve("server.key"), directory.resolve("server.crt"));

    assertEquals(AuditSignerKey.keyIdOf(server.certificate().getPublicKey()), signer.keyId());
    assertTrue(signer.describe(java.time.Instant.EPOCH).certificate().contains("BEGIN CERTIFICATE"));
  }

  @Test
  void aSignerNeverPrintsItsKey() {
    AuditSigner signer = AuditSigner.generate();
    assertTrue(signer.toString().contains("<redacted>"));
    assertFalse(signer.toString().contains("BEGIN"));
  }

  @Test
  void loadOrCreate_aFileThatIsNotAKey_namesTheFile() throws Exception {
    Path file = Files.writeString(directory.resolve("audit.pem"), "not a key\n");
    AuditException failure = assertThrows(AuditException.class, () -> AuditSigner.loadOrCreate(file));
    assertTrue(failure.getMessage().contains(file.toString()), failure.getMessage());
  }

  @Test
  void defaultKeyFile_isNextToASqliteDatabase() {
    assertEquals(Path.of("data/c.db.audit-key.pem"),
        AuditSigner.defaultKeyFile(DatabaseUrl.parse("jdbc:sqlite:data/c.db")));
    assertEquals(Path.of(AuditSigner.DEFAULT_KEY_FILE),
        AuditSigner.defaultKeyFile(DatabaseUrl.parse("jdbc:postgresql://db/comity")));
  }
}
