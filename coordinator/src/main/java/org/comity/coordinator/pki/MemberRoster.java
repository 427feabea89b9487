package org.comity.coordinator.pki;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The CA's record of issued member certificates ({@code members.json}): member id, serial, not-after, status.
 * Every issued certificate is one entry, so a renewed member has several; revoking a member revokes all of its
 * active certificates.
 *
 * <p>The file is replaced atomically on {@link #save()}. Instances are thread-safe, but two processes must not
 * edit the same roster at once (the operator's commands run one at a time).
 */
public final class MemberRoster {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final int FORMAT_VERSION = 1;

  private final Path file;
  private final List<EnrolledMember> entries;

  private MemberRoster(Path file, List<EnrolledMember> entries) {
    this.file = file;
    this.entries = new ArrayList<>(entries);
  }

  /** Loads the roster in {@code file}, or an empty roster bound to it if the file does not exist yet. */
  public static MemberRoster load(Path file) throws IOException, PkiException {
    if (!Files.exists(file)) {
      return new MemberRoster(file, List.of());
    }
    RosterFile parsed;
    try {
      parsed = JSON.readValue(file.toFile(), RosterFile.class);
    } catch (IOException e) {
      throw new PkiException("%s is not a valid member roster: %s".formatted(file, e.getMessage().lines().findFirst().orElse("")), e);
    }
    if (parsed.version() != FORMAT_VERSION) {
      throw new PkiException("%s has roster format version %d; this coordinator reads version %d"
          .formatted(file, parsed.version(), FORMAT_VERSION));
    }
    List<EnrolledMember> entries = new ArrayList<>();
    try {
      for (Entry entry : parsed.members()) {
        entries.add(new EnrolledMember(entry.memberId(), entry.serial(), Instant.parse(entry.notAfter()),
            EnrolledMember.Status.valueOf(entry.status()),
            entry.revokedAt() == null ? null : Instant.parse(entry.revokedAt())));
      }
    } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
      throw new PkiException("%s has an invalid entry: %s".formatted(file, e.getMessage()), e);
    }
    return new MemberRoster(file, entries);
  }

  public Path file() {
    return file;
  }

  /** Records a certificate the CA just issued. */
  public synchronized EnrolledMember recordIssued(X509Certificate certificate) {
    String memberId = MemberCertificates.memberId(certificate).orElseThrow(() ->
        new IllegalArgumentException("the certificate does not name a valid member id"));
    EnrolledMember entry = new EnrolledMember(memberId, certificate.getSerialNumber().toString(16),
        certificate.getNotAfter().toInstant(), EnrolledMember.Status.ACTIVE, null);
    entries.add(entry);
    return entry;
  }

  /**
   * Marks every active certificate of {@code memberId} revoked at {@code when}.
   *
   * @return the entries just revoked
   * @throws PkiException if the member has no active certificate (unknown, or already revoked)
   */
  public synchronized List<EnrolledMember> revoke(String memberId, Instant when) throws PkiException {
    List<EnrolledMember> revoked = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      EnrolledMember entry = entries.get(i);
      if (entry.memberId().equals(memberId) && entry.status() == EnrolledMember.Status.ACTIVE) {
        EnrolledMember updated = new EnrolledMember(entry.memberId(), entry.serial(), entry.notAfter(),
            EnrolledMember.Status.REVOKED, when);
        entries.set(i, updated);
        revoked.add(updated);
      }
    }
    if (revoked.isEmpty()) {
      boolean known = entries.stream().anyMatch(e -> e.memberId().equals(memberId));
      throw new PkiException(known
          ? "member %s has no active certificate; it is already revoked".formatted(memberId)
          : "member %s is not enrolled".formatted(memberId));
    }
    return List.copyOf(revoked);
  }

  /** Every issued certificate, in issue order. */
  public synchronized List<EnrolledMember> members() {
    return List.copyOf(entries);
  }

  /** Writes the roster to its file, replacing it atomically. */
  public synchronized void save() throws IOException {
    List<Entry> out = new ArrayList<>();
    for (EnrolledMember member : entries) {
      out.add(new Entry(member.memberId(), member.serial(), member.notAfter().toString(), member.status().name(),
          member.revokedAt() == null ? null : member.revokedAt().toString()));
    }
    PemFiles.replaceFile(file, JSON.writeValueAsString(new RosterFile(FORMAT_VERSION, out)) + "\n");
  }

  record RosterFile(int version, List<Entry> members) {
    RosterFile {
      members = members == null ? List.of() : members;
    }
  }

  record Entry(String memberId, String serial, String notAfter, String status, String revokedAt) {}
}
