package org.comity.coordinator.audit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One entry of the audit trail.
 *
 * <p><b>Hash.</b> {@code hash} is the lowercase hex SHA-256 of the entry's canonical encoding: the ASCII tag
 * {@value #ENCODING_TAG}, then each of these fields as a 4-byte big-endian length followed by its UTF-8 bytes, in
 * this order: sequence (decimal), at (UTC, {@code yyyy-MM-ddTHH:mm:ss.nnnnnnnnnZ}, always nine fraction digits),
 * actor, action, subject, details (the JSON text exactly as stored), previousHash, keyId. The length prefixes make
 * the encoding unambiguous; including {@code previousHash} chains each entry to the one before (the first entry's
 * previous hash is {@link #GENESIS_HASH}); including {@code keyId} binds the entry to its signer.
 *
 * <p><b>Signature.</b> {@code signature} is base64 of the DER ECDSA signature (SHA256withECDSA, P-256) over the
 * 32 raw bytes of the hash, by the key whose id is {@code keyId} (hex SHA-256 of its DER SubjectPublicKeyInfo).
 *
 * @param sequence position in the trail, from 1, without gaps
 * @param at when it was appended
 * @param actor who did it (an operator's name, or {@code coordinator})
 * @param action what was done, e.g. {@code model.promoted}
 * @param subject what it was done to, e.g. {@code run-7/v3}
 * @param details JSON object text with the particulars
 * @param previousHash hash of the entry before, or {@link #GENESIS_HASH}
 * @param hash this entry's hash
 * @param keyId id of the signing key
 * @param signature base64 DER signature over the hash
 */
public record AuditEntry(long sequence, Instant at, String actor, String action, String subject, String details,
    String previousHash, String hash, String keyId, String signature) {
  /** The previous hash of the first entry. */
  public static final String GENESIS_HASH = "0".repeat(64);
  /** Domain separation of the canonical encoding. */
  public static final String ENCODING_TAG = "comity-audit-entry-v1";

  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");
  private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
      .withZone(ZoneOffset.UTC);

  public AuditEntry {
    if (sequence < 1) {
      throw new IllegalArgumentException("audit sequence numbers start at 1, got " + sequence);
    }
    for (String[] field : new String[][] {{"actor", actor}, {"action", action}, {"subject", subject},
        {"details", details}, {"signature", signature}}) {
      if (field[1] == null) {
        throw new IllegalArgumentException("audit entry %d has no %s".formatted(sequence, field[0]));
      }
    }
    if (at == null) {
      throw new IllegalArgumentException("audit entry %d has no time".formatted(sequence));
    }
    for (String[] field : new String[][] {{"previousHash", previousHash}, {"hash", hash}, {"keyId", keyId}}) {
      if (field[1] == null || !HEX_64.matcher(field[1]).matches()) {
        throw new IllegalArgumentException("audit entry %d: %s must be 64 lower-case hex digits, got '%s'"
            .formatted(sequence, field[0], field[1]));
      }
    }
  }

  /** The time as it is hashed and stored. */
  public static String formatTime(Instant at) {
    return AT.format(at);
  }

  /** The hash this entry's fields give (compare with {@link #hash()} to detect an edit). */
  public String computeHash() {
    return computeHash(sequence, at, actor, action, subject, details, previousHash, keyId);
  }

  /** The hash of an entry with these fields; see the class documentation for the encoding. */
  public static String computeHash(long sequence, Instant at, String actor, String action, String subject,
      String details, String previousHash, String keyId) {
    ByteArrayOutputStream encoding = new ByteArrayOutputStream();
    encoding.writeBytes(ENCODING_TAG.getBytes(StandardCharsets.US_ASCII));
    for (String field : new String[] {Long.toString(sequence), formatTime(at), actor, action, subject, details,
        previousHash, keyId}) {
      byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      encoding.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
      encoding.writeBytes(bytes);
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(encoding.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
