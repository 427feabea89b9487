package org.comity.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.coordinator.pki.ConsortiumCa;
import org.comity.coordinator.pki.EnrolledMember;
import org.comity.coordinator.pki.MemberRoster;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
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
    TokenOptions token = new TokenOptions();

    @Override
    public Integer call() throws Exception {
      PkiFiles files = new PkiFiles(dir);
      if (!Files.isRegularFile(csr)) {
        throw new ExitCodes.BadInputException("--csr: no such file " + csr);
      }
      ConsortiumCa ca = CaCommand.load(files, passphraseFile, token);
      var certificate = ca.enroll(Files.readString(csr), memberId, CaCommand.memberValidity(validityDays));
      MemberRoster roster = MemberRoster.load(files.roster());
      roster.recordIssued(certificate);
      roster.save();
      Path target = out != null ? out : dir.resolve(memberId + ".crt");
      PemFiles.writeNewFile(target, PemFiles.toPem(certificate));
      System.out.printf("enrolled %s until %s: %s%n", memberId, certificate.getNotAfter().toInstant(), target);
      return ExitCodes.OK;
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
    TokenOptions token = new TokenOptions();

    @Override
    public Integer call() throws Exception {
      PkiFiles files = new PkiFiles(dir);
      ConsortiumCa ca = CaCommand.load(files, passphraseFile, token);
      MemberRoster roster = MemberRoster.load(files.roster());
      RevocationList list = ca.revoke(memberId, roster);
      roster.save();
      list.writeTo(files.crl());
      System.out.printf("revoked %s; %s now lists %d certificate(s)%n", memberId, files.crl(), list.size());
      return ExitCodes.OK;
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
