package org.comity.agent.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.comity.agent.pki.BankKeys;
import org.comity.pkcs11.Pkcs11Token;
import org.comity.pkcs11.TokenSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code keygen}: the bank's key pair and certificate signing request; the private key never leaves the bank. With
 * the {@code --pkcs11-*} options the key pair is generated inside a PKCS#11 token and never leaves the token.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = {
    "Creates this bank's EC P-256 key pair (private key file mode 0600, optionally encrypted) and a certificate",
    "signing request to send to the consortium operator ('comity-coordinator member enroll'). Never overwrites.",
    "With --pkcs11-library and --pkcs11-slot or --pkcs11-token-label, the key pair is generated inside that token",
    "(not extractable) under --key-alias; the certificate the operator returns stays a file (run --tls-cert)."})
final class KeygenCommand implements Callable<Integer> {
  @Option(names = "--member-id", required = true, paramLabel = "ID", description = "This bank's member id.")
  String memberId;

  @Option(names = "--out-dir", defaultValue = ".", paramLabel = "DIR", description = "Where ID.key and ID.csr go (default: current directory).")
  Path outDir;

  @Option(names = "--passphrase-file", paramLabel = "FILE",
      description = "Encrypt the private key with the passphrase in this file (first line).")
  Path passphraseFile;

  @Option(names = "--csr-out", paramLabel = "FILE", description = "Where the CSR goes (default: DIR/ID.csr).")
  Path csrOut;

  @Mixin
  TokenOptions token = new TokenOptions();

  @Override
  public Integer call() throws Exception {
    if (!BankKeys.MEMBER_ID.matcher(memberId).matches()) {
      throw new ExitCodes.BadInputException(
          "--member-id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }
    Path csrFile = csrOut != null ? csrOut : outDir.resolve(memberId + ".csr");
    if (token.given()) {
      return generateInToken(csrFile);
    }
    Optional<char[]> passphrase = passphrase(passphraseFile);
    try {
      Files.createDirectories(outDir);
      var generated = BankKeys.generate(memberId, outDir.resolve(memberId + ".key"), csrFile, passphrase);
      System.out.printf("key: %s (mode 0600%s)%ncsr: %s (send this to the consortium operator)%npublic key fingerprint: %s%n",
          generated.keyFile(), passphrase.isPresent() ? ", encrypted" : "", generated.csrFile(),
          generated.publicKeyFingerprint());
      return ExitCodes.OK;
    } finally {
      passphrase.ifPresent(p -> Arrays.fill(p, '\0'));
    }
  }

  private int generateInToken(Path csrFile) throws Exception {
    if (passphraseFile != null) {
      throw new ExitCodes.BadInputException("--passphrase-file encrypts a key file; a key in a token is protected by "
          + "the token's PIN instead: give one or the other");
    }
    TokenSettings settings = token.settings(memberId);
    if (Files.exists(csrFile)) {
      throw new ExitCodes.BadInputException("the CSR file " + csrFile + " already exists; move it away first");
    }
    try (Pkcs11Token opened = token.open(settings)) {
      if (csrFile.toAbsolutePath().getParent() != null) {
        Files.createDirectories(csrFile.toAbsolutePath().getParent());
      }
      var generated = BankKeys.generateInToken(memberId, opened, settings.keyAlias(), csrFile);
      System.out.printf("key: EC P-256 in %s, alias %s (generated in the token, not extractable)%n"
              + "csr: %s (send this to the consortium operator)%npublic key fingerprint: %s%n",
          generated.token(), generated.keyAlias(), generated.csrFile(), generated.publicKeyFingerprint());
      return ExitCodes.OK;
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
