package org.comity.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import org.comity.coordinator.audit.AuditSigner;
import org.comity.coordinator.store.DatabaseUrl;
import picocli.CommandLine.Option;

/**
 * Which key signs the audit entries a command appends. One rule for every command, so that the whole trail is
 * signed by one key: {@code --audit-key FILE} if given; else the coordinator's server key in the PKI directory
 * when there is one; else a key generated on first use next to the SQLite store ({@code FILE.audit-key.pem}) or,
 * for PostgreSQL, {@value AuditSigner#DEFAULT_KEY_FILE} in the working directory.
 */
final class AuditKeyOptions {
  @Option(names = "--audit-key", paramLabel = "FILE", description = {
      "Audit signing key (EC P-256, PKCS#8 PEM; created with mode 0600 if missing). Default: the server key",
      "of the PKI directory if present, else a key next to the SQLite store or ./" + AuditSigner.DEFAULT_KEY_FILE + "."})
  Path auditKey;

  AuditSigner signer(Path pkiDir, DatabaseUrl database) {
    if (auditKey != null) {
      return AuditSigner.loadOrCreate(auditKey);
    }
    if (pkiDir != null) {
      PkiFiles files = new PkiFiles(pkiDir);
      if (Files.isRegularFile(files.serverKey()) && Files.isRegularFile(files.serverCertificate())) {
        return AuditSigner.fromServerIdentity(files.serverKey(), files.serverCertificate());
      }
    }
    return AuditSigner.loadOrCreate(AuditSigner.defaultKeyFile(database));
  }
}
