package org.comity.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.comity.coordinator.audit.AuditActions;
import org.comity.coordinator.audit.AuditEntry;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.pki.ConsortiumCa;
import org.comity.coordinator.pki.EnrolledMember;
import org.comity.coordinator.pki.MemberRoster;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.MemberStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code member enroll|revoke|list}: the consortium's members and their certificates. */
@Command(name = "member", mixinStandardHelpOptions = true, description = "Enrol, revoke and list member banks.",
    subcommands = {MemberCommand.Enroll.class, MemberCommand.Revoke.class, MemberCommand.ListMembers.class})
final class MemberCommand {

  @Command(name = "enroll", mixinStandardHelpOptions = true,
      description = "Signs a bank's certificate signing request; the bank's private key never leaves the bank.")
  static final class Enroll implements Callable<Integer> {
    @Option(names = "--csr", required = true, paramLabel = "FILE", description = "The bank's CSR (PEM), from 'comity-agent keygen'.")
    Path csr;

    @Option(names = "--member-id", required = true, paramLabel = "ID", description = "The member id put in the certificate.")
    String memberId;

    @Option(names = "--validity-days", defaultValue = "30", paramLabel = "DAYS", description = "Certificate validity (default: ${DEFAULT-VALUE}).")
    int validityDays;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the certificate (default: PKI dir/ID.crt).")
    Path out;

    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR", description = "PKI directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "CA key passphrase file (else $COMITY_CA_PASSPHRASE, else the terminal).")
    Path passphraseFile;

    @Mixin
    StoreRecording recording;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Override
    public Integer call() throws Exception {
      PkiFiles files = new PkiFiles(dir);
      if (!Files.isRegularFile(csr)) {
        throw new ExitCodes.BadInputException("--csr: no such file " + csr);
      }
      // The store and the audit key are opened first, so a bad URL or key fails before a certificate exists.
      try (StoreRecording.Open store = recording.open(dir)) {
        ConsortiumCa ca = CaCommand.load(files, passphraseFile, token);
        var certificate = ca.enroll(Files.readString(csr), memberId, CaCommand.memberValidity(validityDays));
        MemberRoster roster = MemberRoster.load(files.roster());
        var entry = roster.recordIssued(certificate);
        roster.save();
        Path target = out != null ? out : dir.resolve(memberId + ".crt");
        PemFiles.writeNewFile(target, PemFiles.toPem(certificate));
        System.out.printf("enrolled %s until %s: %s%n", memberId, certificate.getNotAfter().toInstant(), target);
        if (store != null) {
          new MemberStore(store.database()).enrolled(memberId, entry.serial(), entry.notAfter(), Clock.systemUTC().instant());
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("serial", entry.serial());
          details.put("notAfter", entry.notAfter().toString());
          details.put("validityDays", validityDays);
          store.audited(AuditActions.MEMBER_ENROLLED, memberId, details);
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes a member's certificates; a running coordinator refuses its calls from the next one on.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(paramLabel = "ID", description = "The member id.")
    String memberId;

    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR", description = "PKI directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--passphrase-file", paramLabel = "FILE", description = "CA key passphrase file (else $COMITY_CA_PASSPHRASE, else the terminal).")
    Path passphraseFile;

    @Mixin
    StoreRecording recording;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Override
    public Integer call() throws Exception {
      PkiFiles files = new PkiFiles(dir);
      try (StoreRecording.Open store = recording.open(dir)) {
        ConsortiumCa ca = CaCommand.load(files, passphraseFile, token);
        MemberRoster roster = MemberRoster.load(files.roster());
        List<String> before = activeSerials(roster, memberId);
        RevocationList list = ca.revoke(memberId, roster);
        roster.save();
        list.writeTo(files.crl());
        System.out.printf("revoked %s; %s now lists %d certificate(s)%n", memberId, files.crl(), list.size());
        if (store != null) {
          new MemberStore(store.database()).revoked(memberId, Clock.systemUTC().instant());
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("serials", before);
          details.put("crlEntries", list.size());
          store.audited(AuditActions.MEMBER_REVOKED, memberId, details);
        }
        return ExitCodes.OK;
      }
    }

    private static List<String> activeSerials(MemberRoster roster, String memberId) {
      return roster.members().stream()
          .filter(m -> m.memberId().equals(memberId) && m.status() == EnrolledMember.Status.ACTIVE)
          .map(EnrolledMember::serial).toList();
    }
  }

  /**
   * {@code --database}, {@code --audit-key}, {@code --actor} of the member commands: with a store configured (the
   * flag or {@code $COMITY_DATABASE_URL}), an enrolment or revocation is recorded in the members table and the
   * audit trail; without one, only the PKI files change, as before.
   */
  static final class StoreRecording {
    @Mixin
    DatabaseOptions database;

    @Mixin
    AuditKeyOptions auditKey;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who is doing it, for the audit trail (default: the OS user name).")
    String actor;

    /** The open store and trail, or {@code null} when no store is configured. */
    Open open(Path pkiDir) throws Exception {
      if (!database.configured()) {
        return null;
      }
      String who = Actors.resolve(actor);
      Database store = database.open(true);
      try {
        return new Open(store, new AuditTrail(store, auditKey.signer(pkiDir, store.url()), Clock.systemUTC()), who);
      } catch (RuntimeException e) {
        store.close();
        throw e;
      }
    }

    record Open(Database database, AuditTrail trail, String actor) implements AutoCloseable {
      void audited(String action, String memberId, Map<String, Object> details) {
        AuditEntry entry = trail.append(actor, action, memberId, details);
        System.out.printf("audit trail entry %d (%s)%n", entry.sequence(), action);
      }

      @Override
      public void close() {
        database.close();
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists members, certificate expiry and status.")
  static final class ListMembers implements Callable<Integer> {
    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR", description = "PKI directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      MemberRoster roster = MemberRoster.load(new PkiFiles(dir).roster());
      System.out.printf("%-24s %-10s %-26s %s%n", "member", "status", "certificate expires", "serial");
      for (EnrolledMember member : roster.members()) {
        System.out.printf("%-24s %-10s %-26s %s%n", member.memberId(), member.status().name().toLowerCase(),
            member.notAfter(), member.serial());
      }
      return ExitCodes.OK;
    }
  }
}
