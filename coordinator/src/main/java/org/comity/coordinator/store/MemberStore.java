package org.comity.coordinator.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code members} table: member banks as the coordinator knows them, with the certificate the CA last issued
 * (serial and expiry, when the enrolment went through the {@code member} commands) and when each was first and
 * last seen. The PKI roster stays authoritative for certificates; this is the operator's view in the store.
 */
public final class MemberStore {
  /** One member. {@code certificateSerial}, {@code certificateNotAfter} and {@code revokedAt} may be null. */
  public record Member(String memberId, String status, String certificateSerial, Instant certificateNotAfter,
      Instant firstSeenAt, Instant lastSeenAt, Instant revokedAt) {}

  private final Database database;

  public MemberStore(Database database) {
    this.database = java.util.Objects.requireNonNull(database, "database");
  }

  /** A certificate was issued to {@code memberId}: it is active with that serial and expiry. */
  public void enrolled(String memberId, String serial, Instant notAfter, Instant at) {
    upsert(memberId, at, connection -> {
      try (PreparedStatement update = connection.prepareStatement("UPDATE members SET status = 'ACTIVE', "
          + "certificate_serial = ?, certificate_not_after = ?, last_seen_at = ?, revoked_at = NULL WHERE member_id = ?")) {
        update.setString(1, serial);
        update.setString(2, notAfter == null ? null : Columns.instant(notAfter));
        update.setString(3, Columns.instant(at));
        update.setString(4, memberId);
        update.executeUpdate();
      }
      return null;
    });
  }

  /** {@code memberId}'s certificates were revoked. */
  public void revoked(String memberId, Instant at) {
    upsert(memberId, at, connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE members SET status = 'REVOKED', revoked_at = ? WHERE member_id = ?")) {
        update.setString(1, Columns.instant(at));
        update.setString(2, memberId);
        update.executeUpdate();
      }
      return null;
    });
  }

  /** {@code memberId} connected to the coordinator (the server calls this; it creates unknown members). */
  public void seen(String memberId, Instant at) {
    upsert(memberId, at, connection -> {
      try (PreparedStatement update = connection.prepareStatement(
          "UPDATE members SET last_seen_at = ? WHERE member_id = ?")) {
        update.setString(1, Columns.instant(at));
        update.setString(2, memberId);
        update.executeUpdate();
      }
      return null;
    });
  }

  public Optional<Member> find(String memberId) {
    return list().stream().filter(member -> member.memberId().equals(memberId)).findFirst();
  }

  /** Every member, by id. */
  public List<Member> list() {
    try {
      return database.read(connection -> {
        List<Member> members = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement("SELECT * FROM members ORDER BY member_id");
             ResultSet row = query.executeQuery()) {
          while (row.next()) {
            members.add(new Member(row.getString("member_id"), row.getString("status"),
                row.getString("certificate_serial"), Columns.instant(row.getString("certificate_not_after")),
                Columns.instant(row.getString("first_seen_at")), Columns.instant(row.getString("last_seen_at")),
                Columns.instant(row.getString("revoked_at"))));
          }
        }
        return members;
      });
    } catch (SQLException e) {
      throw new DatabaseException(DatabaseException.Kind.FAILED, "cannot read the members from %s: %s"
          .formatted(database.url().redacted(), e.getMessage()), e);
    }
  }

  private void upsert(String memberId, Instant at, SqlWork<Void> update) {
    try {
      database.inTransaction(connection -> {
        insertIfAbsent(connection, memberId, at);
        return update.run(connection);
      });
    } catch (SQLException e) {
      throw new DatabaseException(DatabaseException.Kind.FAILED, "cannot record member %s in %s: %s"
          .formatted(memberId, database.url().redacted(), e.getMessage()), e);
    }
  }

  private static void insertIfAbsent(Connection connection, String memberId, Instant at) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM members WHERE member_id = ?")) {
      query.setString(1, memberId);
      try (ResultSet row = query.executeQuery()) {
        if (row.next()) {
          return;
        }
      }
    }
    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO members (member_id, status, "
        + "first_seen_at, last_seen_at) VALUES (?, 'ACTIVE', ?, ?)")) {
      insert.setString(1, memberId);
      insert.setString(2, Columns.instant(at));
      insert.setString(3, Columns.instant(at));
      insert.executeUpdate();
    }
  }
}
