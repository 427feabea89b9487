package org.comity.coordinator.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.comity.coordinator.audit.AuditEntry;
import org.comity.coordinator.audit.AuditExport;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.audit.AuditVerification;
import org.comity.coordinator.store.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code audit verify|export|list}: the coordinator's signed, hash-chained audit trail. */
@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "The audit trail: enrolments, revocations, rounds, promotions and rollbacks; signed and chained.",
    subcommands = {AuditCommand.Verify.class, AuditCommand.Export.class, AuditCommand.ListEntries.class})
final class AuditCommand {

  @Command(name = "verify", mixinStandardHelpOptions = true, description = {
      "Checks the trail (in the store, or an exported file): sequence, hash chain, hashes, signatures, signing key.",
      "Prints OK with the entry count and head hash (record it: removing entries from the end is detectable only",
      "against a head recorded earlier), or the first bad entry and what is wrong; exit 1 when it fails."})
  static final class Verify implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--file", paramLabel = "EXPORT", description = "Verify a file written by 'audit export' instead of the store.")
    Path file;

    @Option(names = "--trusted-key", paramLabel = "KEY_ID", description = {
        "Accept only entries signed by this key (hex SHA-256 of its public key; repeatable). Default: the key of the",
        "first entry, and any change of key fails."})
    List<String> trustedKeys = new ArrayList<>();

    @Option(names = "--expect-head", paramLabel = "HASH", description = "A head hash recorded earlier that must still be in the trail.")
    String expectedHead;

    @Override
    public Integer call() throws Exception {
      if (file != null && database.url != null) {
        throw new ExitCodes.BadInputException("give either --database or --file, not both");
      }
      Set<String> trusted = new LinkedHashSet<>();
      for (String key : trustedKeys) {
        trusted.add(hex64(key, "--trusted-key"));
      }
      String head = expectedHead == null ? null : hex64(expectedHead, "--expect-head");
      AuditVerification result;
      String source;
      if (file != null) {
        if (!Files.isRegularFile(file)) {
          throw new ExitCodes.BadInputException("--file: no such file " + file);
        }
        result = AuditExport.read(file).verify(trusted, head);
        source = file.toString();
      } else {
        try (Database store = database.open(false)) {
          result = AuditTrail.readOnly(store).verify(trusted, head);
          source = store.url().redacted();
        }
      }
      System.out.println(source + ": " + result.summary());
      if (result.ok() && !result.signerKeyIds().isEmpty()) {
        System.out.println("record the head hash outside the coordinator to detect a later truncation or rewrite");
      }
      return result.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true, description = {
      "Writes the whole trail with the public keys that signed it as one JSON document, for a reviewer who",
      "verifies it with 'audit verify --file' (no database or private key needed). Never overwrites a file."})
  static final class Export implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (Files.exists(out)) {
        throw new ExitCodes.BadInputException("--out " + out + " exists; it is never overwritten");
      }
      try (Database store = database.open(false)) {
        AuditExport export = AuditTrail.readOnly(store).export();
        export.writeTo(out);
        System.out.printf("wrote %d entries to %s; head %s%n", export.count(), out, export.headHash());
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Shows the latest entries, oldest first.")
  static final class ListEntries implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "How many (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (limit < 1 || limit > 1_000_000) {
        throw new ExitCodes.BadInputException("--limit must be 1 to 1000000, got " + limit);
      }
      try (Database store = database.open(false)) {
        List<AuditEntry> entries = AuditTrail.readOnly(store).latest(limit);
        if (json) {
          List<Map<String, Object>> out = new ArrayList<>();
          for (AuditEntry entry : entries) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("sequence", entry.sequence());
            row.put("at", entry.at().toString());
            row.put("actor", entry.actor());
            row.put("action", entry.action());
            row.put("subject", entry.subject());
            row.put("details", ModelCommand.JSON.readTree(entry.details()));
            row.put("hash", entry.hash());
            out.add(row);
          }
          System.out.println(ModelCommand.JSON.writeValueAsString(out));
          return ExitCodes.OK;
        }
        System.out.printf("%-6s %-31s %-16s %-18s %-24s %s%n", "seq", "at", "actor", "action", "subject", "details");
        for (AuditEntry entry : entries) {
          System.out.printf("%-6d %-31s %-16s %-18s %-24s %s%n", entry.sequence(), entry.at(), entry.actor(),
              entry.action(), entry.subject(), entry.details());
        }
        if (entries.isEmpty()) {
          System.out.println("(the audit trail is empty)");
        }
        return ExitCodes.OK;
      }
    }
  }

  private static String hex64(String value, String flag) throws ExitCodes.BadInputException {
    String normalised = value.strip().toLowerCase(java.util.Locale.ROOT);
    if (!normalised.matches("[0-9a-f]{64}")) {
      throw new ExitCodes.BadInputException("%s must be 64 hex digits (a SHA-256), got '%s'".formatted(flag, value));
    }
    return normalised;
  }
}
