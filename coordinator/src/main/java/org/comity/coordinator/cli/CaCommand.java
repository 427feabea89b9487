package org.comity.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.comity.coordinator.pki.ConsortiumCa;
import org.comity.coordinator.pki.MemberRoster;
import org.comity.coordinator.pki.MutualTls;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.pki.ServerIdentity;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.TokenSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ca init}: the consortium's certificate authority and the coordinator's own server certificate. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "The consortium's certificate authority.",
    subcommands = {CaCommand.Init.class, CaCommand.Import.class})
final class CaCommand {

  @Command(name = "init", mixinStandardHelpOptions = true, description = {
      "Creates the consortium CA (EC P-256; key encrypted with a passphrase, file mode 0600) in the PKI directory,",
      "and the coordinator's server certificate signed by it. Refuses to overwrite existing files.",
      "With --pkcs11-library and --pkcs11-slot or --pkcs11-token-label, the CA key is generated inside that token",
      "(not extractable) under --key-alias and no ca.key file is written; give the same options to 'member'."})
  static final class Init implements Callable<Integer> {
    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR",
        description = "Directory of the CA, the server identity, the member roster and the CRL (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--name", defaultValue = "Comity consortium CA", paramLabel = "NAME", description = "CA common name.")
    String name;

    @Option(names = "--server-name", split = ",", defaultValue = "localhost,127.0.0.1", paramLabel = "NAMES",
        description = "Host names and IP addresses of the coordinator's certificate (default: ${DEFAULT-VALUE}).")
    List<String> serverNames;

    @Option(names = "--passphrase-file", paramLabel = "FILE",
        description = "File holding the CA key passphrase (else $COMITY_CA_PASSPHRASE, else the terminal).")
    Path passphraseFile;

    @Mixin
    TokenOptions token = new TokenOptions();

    @Override
    public Integer call() throws Exception {
      PkiFiles files = new PkiFiles(dir);
      if (Files.exists(files.caKey()) || Files.exists(files.caCertificate())) {
        throw new ExitCodes.BadInputException("a CA already exists in " + dir + "; it is never overwritten");
      }
      if (token.given()) {
        return initInToken(files);
      }
      char[] passphrase = Passphrases.read(passphraseFile, "CA key");
      try {
        Files.createDirectories(dir);
        ConsortiumCa ca = ConsortiumCa.create(name, ConsortiumCa.DEFAULT_CA_VALIDITY, Clock.systemUTC());
        ca.save(files.caKey(), files.caCertificate(), passphrase);
        writeServerIdentityAndCrl(ca, files);
        System.out.printf("CA created in %s: %s (valid until %s); server certificate for %s%n", dir,
            files.caCertificate().getFileName(), ca.certificate().getNotAfter().toInstant(), serverNames);
        System.out.println("give " + files.caCertificate() + " to every member bank; keep the passphrase offline");
        return ExitCodes.OK;
      } finally {
        Arrays.fill(passphrase, '\0');
      }
    }

    private int initInToken(PkiFiles files) throws Exception {
      if (passphraseFile != null) {
        throw new ExitCodes.BadInputException("--passphrase-file encrypts a ca.key file; a CA key in a token is "
            + "protected by the token's PIN instead: give one or the other");
      }
      TokenSettings settings = token.settings();
      try (Pkcs11Token opened = token.open(settings)) {
        Files.createDirectories(dir);
        ConsortiumCa ca = ConsortiumCa.createInToken(name, ConsortiumCa.DEFAULT_CA_VALIDITY, Clock.systemUTC(), opened,
            settings.keyAlias());
        ca.saveCertificate(files.caCertificate());
        writeServerIdentityAndCrl(ca, files);
        System.out.printf("CA created: key %s in %s (generated in the token, not extractable); %s (valid until %s); "
                + "server certificate for %s%n", settings.keyAlias(), opened.description(),
            files.caCertificate(), ca.certificate().getNotAfter().toInstant(), serverNames);
        System.out.println("give " + files.caCertificate() + " to every member bank; 'member enroll' and 'member "
            + "revoke' need the same --pkcs11-* options");
        return ExitCodes.OK;
      }
    }

    private void writeServerIdentityAndCrl(ConsortiumCa ca, PkiFiles files) throws Exception {
      ServerIdentity server = ca.issueServerCertificate(serverNames, ConsortiumCa.DEFAULT_SERVER_VALIDITY);
      server.save(files.serverKey(), files.serverCertificate(), Optional.empty());
      MemberRoster roster = MemberRoster.load(files.roster());
      roster.save();
      ca.revocationList(roster).writeTo(files.crl());
    }
  }

  @Command(name = "import", mixinStandardHelpOptions = true, description = {
      "Uses a CA the consortium already runs instead of one made by 'ca init': copies its certificate, the",
      "coordinator's server certificate and key it issued, and optionally its CRL into the PKI directory.",
      "The coordinator then accepts every member certificate that CA signs with a member id as its CN;",
      "enrolment and revocation are done with the existing CA's own tools (put its fresh CRL in crl.pem)."})
  static final class Import implements Callable<Integer> {
    @Option(names = "--ca-cert", required = true, paramLabel = "FILE", description = "The existing CA's certificate (PEM).")
    Path caCertificate;

    @Option(names = "--server-cert", required = true, paramLabel = "FILE",
        description = "The coordinator's server certificate (chain, PEM) issued by that CA; EKU serverAuth.")
    Path serverCertificate;

    @Option(names = "--server-key", required = true, paramLabel = "FILE", description = "The server certificate's private key (PKCS#8 PEM).")
    Path serverKey;

    @Option(names = "--crl", paramLabel = "FILE", description = "The CA's current CRL (PEM), if any.")
    Path crl;

    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR", description = "PKI directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Override
    public Integer call() throws Exception {
      PkiFiles files = new PkiFiles(dir);
      if (Files.exists(files.caCertificate()) || Files.exists(files.serverKey())) {
        throw new ExitCodes.BadInputException("a CA or server identity already exists in " + dir + "; it is never overwritten");
      }
      var ca = PemFiles.readCertificate(PemFiles.readText(caCertificate), "--ca-cert");
      // Checks that the key matches the certificate and that the CA signed it, before anything is written.
      MutualTls.serverCredentials(ca, PemFiles.readText(serverCertificate), PemFiles.readText(serverKey), Optional.empty());
      if (crl != null) {
        RevocationList.load(crl, ca);
      }
      Files.createDirectories(dir);
      PemFiles.writeNewFile(files.caCertificate(), PemFiles.readText(caCertificate));
      PemFiles.writeNewFile(files.serverCertificate(), PemFiles.readText(serverCertificate));
      PemFiles.writePrivateFile(files.serverKey(), PemFiles.readText(serverKey));
      if (crl != null) {
        PemFiles.writeNewFile(files.crl(), PemFiles.readText(crl));
      }
      System.out.printf("imported the CA %s into %s; run the coordinator with --pki-dir %s%n",
          ca.getSubjectX500Principal().getName(), dir, dir);
      return ExitCodes.OK;
    }
  }

  /**
   * Loads the CA (shared by the member commands): its key from the token when token options are given (the token
   * stays logged in until this command's process ends), else from ca.key with its passphrase.
   */
  static ConsortiumCa load(PkiFiles files, Path passphraseFile, TokenOptions token) throws Exception {
    if (token.given()) {
      if (passphraseFile != null) {
        throw new ExitCodes.BadInputException("--passphrase-file is for a ca.key file; a CA key in a token is "
            + "protected by the token's PIN ($COMITY_PKCS11_PIN or the terminal)");
      }
      TokenSettings settings = token.settings();
      if (!Files.exists(files.caCertificate())) {
        throw new ExitCodes.BadInputException("no CA certificate in " + files.dir() + ": run 'ca init' first");
      }
      return ConsortiumCa.loadFromToken(token.open(settings), settings.keyAlias(), files.caCertificate(),
          Clock.systemUTC());
    }
    if (!Files.exists(files.caKey())) {
      throw new ExitCodes.BadInputException(Files.exists(files.caCertificate())
          ? "no ca.key in " + files.dir() + ": if the CA key is in a PKCS#11 token, give --pkcs11-library and "
              + "--pkcs11-slot or --pkcs11-token-label"
          : "no CA in " + files.dir() + ": run 'ca init' first");
    }
    char[] passphrase = Passphrases.read(passphraseFile, "CA key");
    try {
      return ConsortiumCa.load(files.caKey(), files.caCertificate(), passphrase, Clock.systemUTC());
    } finally {
      Arrays.fill(passphrase, '\0');
    }
  }

  /** Default validity of a member certificate. */
  static Duration memberValidity(int days) throws ExitCodes.BadInputException {
    if (days < 1 || days > 825) {
      throw new ExitCodes.BadInputException("--validity-days must be 1 to 825, got " + days);
    }
    return Duration.ofDays(days);
  }
}
