package org.comity.coordinator.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.comity.coordinator.store.Database;

/**
 * The coordinator's audit trail in its {@link Database}: append-only, hash-chained and signed (see
 * {@link AuditEntry} for the encoding). The code never updates or deletes an entry; the chain and the signatures
 * make any later change by someone else detectable by {@link #verify}.
 *
 * <p>Appends from several processes (the coordinator and an operator's CLI) are serialised by the database: on
 * SQLite by an immediate write transaction, on PostgreSQL by a transaction-scoped advisory lock
 * ({@link Database#lockAppends}); the primary key on the sequence number is the backstop (a lost race is retried
 * with the new head).
 */
public final class AuditTrail {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final int APPEND_ATTEMPTS = 5;

  private final Database database;
  private final AuditSigner signer;
  private final Clock clock;

  /**
   * A trail that appends, signing with {@code signer}.
   *
   * @param signer the coordinator's audit key, or {@code null} for a read-only trail
   */
  public AuditTrail(Database database, AuditSigner signer, Clock clock) {
    this.database = Objects.requireNonNull(database, "database");
    this.signer = signer;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A trail for reading, listing, exporting and verifying only. */
  public static AuditTrail readOnly(Database database) {
    return new AuditTrail(database, null, Clock.systemUTC());
  }

  /**
   * Appends an entry and returns it once it is durable.
   *
   * @param details the particulars, written as a JSON object with sorted keys
   * @throws AuditException if the trail is read-only or the entry cannot be written
   */
  public AuditEntry append(String actor, String action, String subject, Map<String, ?> details) {
    if (signer == null) {
      throw new AuditException("this audit trail was opened read-only; it cannot append " + action, null);
    }
    String detailsJson = json(details);
    SQLException lastFailure = null;
    for (int attempt = 0; attempt < APPEND_ATTEMPTS; attempt++) {
      try {
        return database.inTransaction(connection -> insert(connection, actor, action, subject, detailsJson));
      } catch (SQLException e) {
        lastFailure = e;
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (!state.startsWith("23")) {
          break;
        }
        // Another process appended the same sequence number first: retry on the new head.
      }
    }
    throw new AuditException("cannot append %s on %s to the audit trail in %s: %s".formatted(action, subject,
        database.url().redacted(), lastFailure.getMessage()), lastFailure);
  }

  /**
   * Appends an entry inside the caller's transaction, so that a change and its audit entry commit together.
   * Under concurrent appends on PostgreSQL the caller's commit may fail with a unique violation (SQL state 23505):
   * retry the whole transaction.
   */
  public AuditEntry append(Connection connection, String actor, String action, String subject, Map<String, ?> details)
      throws SQLException {
    if (signer == null) {
      throw new AuditException("this audit trail was opened read-only; it cannot append " + action, null);
    }
    return insert(connection, actor, action, subject, json(details));
  }

  private AuditEntry insert(Connection connection, String actor, String action, String subject, String details)
      throws SQLException {
    database.lockAppends(connection);
    Instant now = clock.instant();
    registerSigner(connection, now);
    long sequence = 1;
    String previousHash = AuditEntry.GENESIS_HASH;
    try (PreparedStatement head = connection.prepareStatement(
        "SELECT seq, entry_hash FROM audit_entries ORDER BY seq DESC LIMIT 1");
         ResultSet row = head.executeQuery()) {
      if (row.next()) {
        sequence = row.getLong("seq") + 1;
        previousHash = row.getString("entry_hash");
      }
    }
    String hash = AuditEntry.computeHash(sequence, now, actor, action, subject, details, previousHash, signer.keyId());
    AuditEntry entry = new AuditEntry(sequence, now, actor, action, subject, details, previousHash, hash,
        signer.keyId(), signer.sign(hash));
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_entries (seq, at, actor, action, "
        + "subject, details_json, previous_hash, entry_hash, key_id, signature) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
      insert.setLong(1, entry.sequence());
      insert.setString(2, AuditEntry.formatTime(entry.at()));
      insert.setString(3, entry.actor());
      insert.setString(4, entry.action());
      insert.setString(5, entry.subject());
      insert.setString(6, entry.details());
      insert.setString(7, entry.previousHash());
      insert.setString(8, entry.hash());
      insert.setString(9, entry.keyId());
      insert.setString(10, entry.signature());
      insert.executeUpdate();
    }
    return entry;
  }

  private void registerSigner(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM audit_signers WHERE key_id = ?")) {
      query.setString(1, signer.keyId());
      try (ResultSet row = query.executeQuery()) {
        if (row.next()) {
          return;
        }
      }
    }
    AuditSignerKey key = signer.describe(now);
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_signers (key_id, algorithm, "
        + "public_key, certificate, added_at) VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, key.keyId());
      insert.setString(2, key.algorithm());
      insert.setString(3, key.publicKey());
      insert.setString(4, key.certificate());
      insert.setString(5, AuditEntry.formatTime(key.addedAt()));
      insert.executeUpdate();
    }
  }

  /** Every entry, in sequence order. */
  public List<AuditEntry> entries() {
    return query("SELECT * FROM audit_entries ORDER BY seq", -1);
  }

  /** The last {@code limit} entries, oldest first. */
  public List<AuditEntry> latest(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("the limit must be at least 1, got " + limit);
    }
    List<AuditEntry> newestFirst = query("SELECT * FROM audit_entries ORDER BY seq DESC LIMIT ?", limit);
    List<AuditEntry> oldestFirst = new ArrayList<>(newestFirst);
    Collections.reverse(oldestFirst);
    return oldestFirst;
  }

  /** The recorded signing keys, in order of first use. */
  public List<AuditSignerKey> signers() {
    try {
      return database.read(connection -> {
        List<AuditSignerKey> keys = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT * FROM audit_signers ORDER BY added_at");
             ResultSet row = query.executeQuery()) {
          while (row.next()) {
            keys.add(new AuditSignerKey(row.getString("key_id"), row.getString("algorithm"),
                row.getString("public_key"), row.getString("certificate"), Instant.parse(row.getString("added_at"))));
          }
        }
        return keys;
      });
    } catch (SQLException e) {
      throw failure("read the audit signers", e);
    }
  }

  /** Verifies the stored trail; see {@link AuditVerifier#verify} for the parameters. */
  public AuditVerification verify(Set<String> trustedKeyIds, String expectedHead) {
    List<AuditEntry> entries;
    try {
      entries = entries();
    } catch (AuditException e) {
      return new AuditVerification(false, 0, AuditEntry.GENESIS_HASH, 1, e.getMessage(), List.of());
    }
    return AuditVerifier.verify(entries, signers(), trustedKeyIds, expectedHead);
  }

  /** The whole trail with its public keys, for a reviewer. */
  public AuditExport export() {
    return AuditExport.of(entries(), signers(), clock.instant());
  }

  private List<AuditEntry> query(String sql, int limit) {
    try {
      return database.read(connection -> {
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql)) {
          if (limit > 0) {
            query.setInt(1, limit);
          }
          try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
              entries.add(read(row));
            }
          }
        }
        return entries;
      });
    } catch (SQLException e) {
      throw failure("read the audit trail", e);
    }
  }

  private static AuditEntry read(ResultSet row) throws SQLException {
    long sequence = row.getLong("seq");
    try {
      return new AuditEntry(sequence, Instant.parse(row.getString("at")), row.getString("actor"),
          row.getString("action"), row.getString("subject"), row.getString("details_json"),
          row.getString("previous_hash"), row.getString("entry_hash"), row.getString("key_id"),
          row.getString("signature"));
    } catch (RuntimeException e) {
      throw new AuditException("audit entry %d is malformed: %s".formatted(sequence, e.getMessage()), e);
    }
  }

  private AuditException failure(String what, SQLException e) {
    return new AuditException("cannot %s in %s: %s".formatted(what, database.url().redacted(), e.getMessage()), e);
  }

  static String json(Map<String, ?> details) {
    try {
      return JSON.writeValueAsString(details == null ? Map.of() : new TreeMap<>(details));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("audit details cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }
}
