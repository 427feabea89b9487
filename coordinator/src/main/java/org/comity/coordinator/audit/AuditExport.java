package org.comity.coordinator.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The audit trail as one JSON document for a reviewer: every entry exactly as stored, the public keys that signed
 * them, the head hash, and how the hashes are computed, so it can be verified without the coordinator's database
 * or any private key ({@code comity-coordinator audit verify --file FILE}).
 *
 * @param format {@value #FORMAT}
 * @param exportedAt when it was written (ISO-8601)
 * @param count number of entries
 * @param headHash hash of the last entry
 * @param hashEncoding the canonical encoding, in words
 * @param signers the public keys (base64 DER SubjectPublicKeyInfo, certificate PEM when there is one)
 * @param entries the entries in order
 */
public record AuditExport(String format, String exportedAt, long count, String headHash, String hashEncoding,
    List<Signer> signers, List<Entry> entries) {
  public static final String FORMAT = "comity-audit-trail/1";
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public AuditExport {
    signers = List.copyOf(signers == null ? List.of() : signers);
    entries = List.copyOf(entries == null ? List.of() : entries);
  }

  /** A signing key as exported. */
  public record Signer(String keyId, String algorithm, String publicKey, String certificate, String addedAt) {}

  /** An entry as exported; {@code details} is the JSON text exactly as hashed. */
  public record Entry(long sequence, String at, String actor, String action, String subject, String details,
      String previousHash, String hash, String keyId, String signature) {}

  static AuditExport of(List<AuditEntry> entries, List<AuditSignerKey> signers, Instant now) {
    List<Entry> exported = new ArrayList<>();
    for (AuditEntry entry : entries) {
      exported.add(new Entry(entry.sequence(), AuditEntry.formatTime(entry.at()), entry.actor(), entry.action(),
          entry.subject(), entry.details(), entry.previousHash(), entry.hash(), entry.keyId(), entry.signature()));
    }
    List<Signer> keys = new ArrayList<>();
    for (AuditSignerKey key : signers) {
      keys.add(new Signer(key.keyId(), key.algorithm(), key.publicKey(), key.certificate(),
          AuditEntry.formatTime(key.addedAt())));
    }
    String head = entries.isEmpty() ? AuditEntry.GENESIS_HASH : entries.get(entries.size() - 1).hash();
    return new AuditExport(FORMAT, AuditEntry.formatTime(now), entries.size(), head, "SHA-256 over '"
        + AuditEntry.ENCODING_TAG + "' then, each as a 4-byte big-endian length and UTF-8 bytes: sequence, at, actor, "
        + "action, subject, details, previousHash, keyId; signature: SHA256withECDSA (P-256, DER, base64) over the "
        + "32 hash bytes by keyId = SHA-256 of the DER public key", keys, exported);
  }

  /** Writes the document; refuses to overwrite an existing file. */
  public void writeTo(Path file) throws IOException {
    Files.writeString(file, JSON.writeValueAsString(this) + "\n", java.nio.file.StandardOpenOption.CREATE_NEW,
        java.nio.file.StandardOpenOption.WRITE);
  }

  /**
   * Reads an exported document.
   *
   * @throws IOException if the file cannot be read or is not an export of format {@value #FORMAT}
   */
  public static AuditExport read(Path file) throws IOException {
    AuditExport export;
    try {
      export = JSON.readValue(file.toFile(), AuditExport.class);
    } catch (IOException e) {
      throw new IOException("%s is not an audit trail export: %s".formatted(file,
          e.getMessage().lines().findFirst().orElse("")), e);
    }
    if (!FORMAT.equals(export.format())) {
      throw new IOException("%s has format '%s'; this build reads '%s'".formatted(file, export.format(), FORMAT));
    }
    return export;
  }

  /**
   * Verifies the exported entries against the exported keys. Entries that cannot even be parsed fail at their
   * position. The document's own {@code count} and {@code headHash} are checked too: a tail cut off the entries
   * without updating them is caught (one that updates them is not; compare with a head recorded elsewhere).
   */
  public AuditVerification verify(Set<String> trustedKeyIds, String expectedHead) {
    List<AuditEntry> parsed = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      Entry entry = entries.get(i);
      try {
        parsed.add(new AuditEntry(entry.sequence(), Instant.parse(entry.at()), entry.actor(), entry.action(),
            entry.subject(), entry.details(), entry.previousHash(), entry.hash(), entry.keyId(), entry.signature()));
      } catch (RuntimeException e) {
        AuditVerification before = AuditVerifier.verify(parsed, keys(), trustedKeyIds, null);
        return before.ok() ? new AuditVerification(false, i, before.headHash(), i + 1L, "malformed entry: "
            + e.getMessage(), before.signerKeyIds()) : before;
      }
    }
    AuditVerification result = AuditVerifier.verify(parsed, keys(), trustedKeyIds, expectedHead);
    if (result.ok() && (count != parsed.size() || !result.headHash().equals(headHash))) {
      return new AuditVerification(false, parsed.size(), result.headHash(), parsed.size() + 1L, ("the document says "
          + "%d entries with head %s, but holds %d with head %s: entries were removed from its end")
          .formatted(count, headHash, parsed.size(), result.headHash()), result.signerKeyIds());
    }
    return result;
  }

  private List<AuditSignerKey> keys() {
    List<AuditSignerKey> keys = new ArrayList<>();
    for (Signer signer : signers) {
      keys.add(new AuditSignerKey(signer.keyId(), signer.algorithm(), signer.publicKey(), signer.certificate(),
          Instant.parse(signer.addedAt())));
    }
    return keys;
  }
}
