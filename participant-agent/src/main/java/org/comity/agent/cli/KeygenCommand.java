package org.comity.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.comity.agent.pki.BankKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keygen}: the bank's key pair and certificate signing request; the private key never leaves the bank. */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = {
    "Creates this bank's EC P-256 key pair (private key file mode 0600, optionally encrypted) and a certificate",
    "signing request to send to the consortium operator ('comity-coordinator member enroll'). Never overwrites."})
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "This bank's member id.")
  String memberId;

  @Option(names = "--out-dir", defaultValue = ".", paramLabel = "DIR", description = "Where ID.key and ID.csr go (default: current directory).")
  Path outDir;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Encrypt the private key with the passphrase in this file (first line).")
  Path passphraseFile;

  @Override
  public Integer call() throws Exception {
    if (!BankKeys.MEMBER_ID.matcher(memberId).matches()) {
      throw new ExitCodes.BadInputException(
          "--member-id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    Optional<char[]> passphrase = passphrase(passphraseFile);
    try {
      Files.createDirectories(outDir);
      var generated = BankKeys.generate(memberId, outDir.resolve(memberId + ".key"), outDir.resolve(memberId + ".csr"),
          passphrase);
      System.out.printf("key: %s (mode 0600%s)%ncsr: %s (send this to the consortium operator)%npublic key fingerprint: %s%n",
          generated.keyFile(), passphrase.isPresent() ? ", encrypted" : "", generated.csrFile(),
          generated.publicKeyFingerprint());
      return ExitCodes.OK;
    } finally {
      passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
    }
  }

  static Optional<char[]> passphrase(Path file) throws ExitCodes.BadInputException {
    if (file == null) {
      return Optional.empty();
    }
    try {
      String line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
      if (line.isEmpty()) {
        throw new ExitCodes.BadInputException("the passphrase file " + file + " is empty");
      }
      return Optional.of(line.toCharArray());
    } catch (IOException e) {
      throw new ExitCodes.BadInputException("cannot read the passphrase file %s: %s".formatted(file, e.getMessage()));
    }
  }
}
