package org.comity.coordinator.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.comity.coordinator.console.IssuedToken;
import org.comity.coordinator.console.OperatorRole;
import org.comity.coordinator.console.OperatorToken;
import org.comity.coordinator.console.OperatorTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code operator token create|list|revoke}: who may use the operator console. */
@Command(name = "operator", mixinStandardHelpOptions = true,
    description = "Manage access to the operator console (run --console-port).",
    subcommands = {OperatorCommand.Token.class})
final class OperatorCommand {
  /**
   * With a store configured ({@code --database} or {@code $COMITY_DATABASE_URL}), appends a token's creation or
   * revocation to the signed audit trail; the token itself is never recorded. Messages go to stderr, so that create's
   * stdout stays the token alone.
   */
  static void audit(MemberCommand.StoreRecording recording, Path pkiDir, String action, String name,
      java.util.Map<String, Object> details) throws Exception {
    try (MemberCommand.StoreRecording.Open store = recording.open(pkiDir)) {
      if (store != null) {
        var entry = store.trail().append(store.actor(), action, "operator-token/" + name, details);
        System.err.printf("audit trail entry %d (%s)%n", entry.sequence(), action);
      }
    }
  }

  /** Default token file, shared by these commands and {@code run --console-tokens}. */
  static final String DEFAULT_TOKENS_FILE = "operator-tokens.json";

  @Command(name = "token", mixinStandardHelpOptions = true,
      description = "Create, list and revoke operator tokens. The file keeps only each token's SHA-256.",
      subcommands = {Create.class, ListTokens.class, Revoke.class})
  static final class Token {}

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Creates a token and prints it once on standard output; only its hash is stored (file mode 0600).")
  static final class Create implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME",
        description = "Who holds it; recorded as the actor in the audit trail (letters, digits, . _ @ -).")
    String name;

    @Option(names = "--role", required = true, paramLabel = "ROLE",
        description = "read (every GET route, the dashboard) or admin (also promote and roll back models).")
    String role;

    @Option(names = "--tokens-file", defaultValue = DEFAULT_TOKENS_FILE, paramLabel = "FILE",
        description = "Token file (default: ${DEFAULT-VALUE}).")
    Path file;

    @picocli.CommandLine.Mixin
    MemberCommand.StoreRecording recording;

    @Option(names = "--pki-dir", paramLabel = "DIR",
        description = "The PKI directory whose server key signs the audit entry (as for 'run'); with --database.")
    Path pkiDir;

    @Override
    public Integer call() throws Exception {
      OperatorRole parsedRole;
      try {
        parsedRole = OperatorRole.parse(role);
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException("--role: " + e.getMessage());
      }
      IssuedToken issued;
      try {
        issued = OperatorTokens.open(file, Clock.systemUTC()).create(name, parsedRole);
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException("--name: " + e.getMessage());
      }
      // The token alone on stdout, so that TOKEN=$(comity-coordinator operator token create ...) works.
      System.out.println(issued.secret());
      System.err.printf("created %s token '%s' in %s; it is shown only this once: keep it secret%n",
          parsedRole.label(), name, file);
      audit(recording, pkiDir, org.comity.coordinator.audit.AuditActions.OPERATOR_TOKEN_CREATED, name,
          java.util.Map.of("role", parsedRole.label(), "tokensFile", file.toString()));
      return ExitCodes.OK;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists tokens (names, roles, dates; never secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Option(names = "--tokens-file", defaultValue = DEFAULT_TOKENS_FILE, paramLabel = "FILE",
        description = "Token file (default: ${DEFAULT-VALUE}).")
    Path file;

    @Override
    public Integer call() throws Exception {
      List<OperatorToken> tokens = OperatorTokens.open(file, Clock.systemUTC()).list();
      if (tokens.isEmpty()) {
        System.out.printf("no operator tokens in %s%n", file);
        return ExitCodes.OK;
      }
      System.out.printf("%-24s %-6s %-8s %-24s %s%n", "NAME", "ROLE", "STATUS", "CREATED", "REVOKED");
      for (OperatorToken token : tokens) {
        System.out.printf("%-24s %-6s %-8s %-24s %s%n", token.name(), token.role().label(),
            token.active() ? "active" : "revoked", token.createdAt(), token.active() ? "-" : token.revokedAt());
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revokes a token; a running console refuses it from the next request on and closes its event streams.")
  static final class Revoke implements Callable<Integer> {
    @Option(names = "--name", required = true, paramLabel = "NAME", description = "The token's name.")
    String name;

    @Option(names = "--tokens-file", defaultValue = DEFAULT_TOKENS_FILE, paramLabel = "FILE",
        description = "Token file (default: ${DEFAULT-VALUE}).")
    Path file;

    @picocli.CommandLine.Mixin
    MemberCommand.StoreRecording recording;

    @Option(names = "--pki-dir", paramLabel = "DIR",
        description = "The PKI directory whose server key signs the audit entry (as for 'run'); with --database.")
    Path pkiDir;

    @Override
    public Integer call() throws Exception {
      try {
        OperatorTokens.open(file, Clock.systemUTC()).revoke(name);
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.BadInputException("--name: " + e.getMessage());
      }
      System.out.printf("revoked operator token '%s'%n", name);
      audit(recording, pkiDir, org.comity.coordinator.audit.AuditActions.OPERATOR_TOKEN_REVOKED, name,
          java.util.Map.of("tokensFile", file.toString()));
      return ExitCodes.OK;
    }
  }
}
