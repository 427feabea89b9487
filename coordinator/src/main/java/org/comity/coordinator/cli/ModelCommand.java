package org.comity.coordinator.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.comity.aggregation.metrics.EvaluationSummary;
import org.comity.coordinator.audit.AuditTrail;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.store.CatalogEntry;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.ModelCatalog;
import org.comity.coordinator.store.ModelComparison;
import org.comity.coordinator.store.ModelRef;
import org.comity.coordinator.store.Promotion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code model list|show|compare|promote|rollback|export}: the registry of committed model versions. */
@Command(name = "model", mixinStandardHelpOptions = true,
    description = "The model registry: committed versions, their lineage, and which one serves.",
    subcommands = {ModelCommand.ListVersions.class, ModelCommand.Show.class, ModelCommand.Compare.class,
        ModelCommand.Promote.class, ModelCommand.Rollback.class, ModelExportCommand.class})
final class ModelCommand {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String VERSION_HELP = "V, or RUN:V when several runs have a version V (e.g. 3 or run-7:3).";

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "Lists committed versions, oldest first; '*' marks the promoted one.")
  static final class ListVersions implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = "--run", paramLabel = "ID", description = "Only the versions of this run.")
    String runId;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      try (Database store = database.open(false)) {
        List<CatalogEntry> entries = new ModelCatalog(store, null).list(runId);
        if (json) {
          List<Map<String, Object>> out = new ArrayList<>();
          for (CatalogEntry entry : entries) {
            out.add(summary(entry));
          }
          System.out.println(JSON.writeValueAsString(out));
          return ExitCodes.OK;
        }
        System.out.printf("  %-8s %-24s %-6s %-31s %-8s %-8s %-8s %s%n", "version", "run", "round", "committed at",
            "ROC-AUC", "PR-AUC", "epsilon", "sha256");
        for (CatalogEntry entry : entries) {
          System.out.printf("%s %-8d %-24s %-6d %-31s %-8s %-8s %-8s %s%n", entry.promoted() ? "*" : " ",
              entry.version(), entry.runId(), entry.round(), entry.committedAt(), metric(entry.rocAuc()),
              metric(entry.prAuc()), metric(entry.epsilonSpent()), entry.weightsHash().substring(0, 12));
        }
        if (entries.isEmpty()) {
          System.out.println("(no committed versions" + (runId == null ? ")" : " in run " + runId + ")"));
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "show",
      description = "Shows one version's full lineage: plan, run, round, participants, metrics, privacy, hash.")
  static final class Show implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    // Not mixinStandardHelpOptions: its --version (print the program version) would take this option's name.
    @Option(names = "--version", required = true, paramLabel = "VERSION", description = VERSION_HELP)
    String version;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ModelRef ref = ModelRef.parse(version, "--version");
      try (Database store = database.open(false)) {
        ModelCatalog catalog = new ModelCatalog(store, null);
        ModelVersion found = catalog.require(ref);
        CatalogEntry entry = catalog.entry(new ModelRef(found.runId(), found.version()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("run", found.runId());
        out.put("version", found.version());
        out.put("promoted", entry.promoted());
        out.put("round", found.round());
        out.put("planHash", found.planHash());
        out.put("committedAt", found.committedAt().toString());
        out.put("parameters", found.parameterCount());
        out.put("weightsSha256", found.weightsHash());
        out.put("participants", found.participants());
        out.put("epsilonSpent", finiteOrNull(found.epsilonSpent()));
        out.put("validation", validation(found.validation()));
        out.put("normalizationColumns", found.normalization() == null ? null : found.normalization().columns());
        if (json) {
          System.out.println(JSON.writeValueAsString(out));
        } else {
          for (Map.Entry<String, Object> field : out.entrySet()) {
            System.out.printf("%-21s %s%n", field.getKey() + ":", field.getValue());
          }
        }
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "compare",
      description = "Compares two versions: metric deltas, L2 distance of the weights, participants, plan.")
  static final class Compare implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    // Not mixinStandardHelpOptions: its --version (print the program version) would take this option's name.
    @Option(names = "--version", required = true, paramLabel = "VERSION", description = "Base version: " + VERSION_HELP)
    String base;

    @Option(names = "--against", required = true, paramLabel = "VERSION", description = "Version compared to the base.")
    String against;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      ModelRef baseRef = ModelRef.parse(base, "--version");
      ModelRef otherRef = ModelRef.parse(against, "--against");
      try (Database store = database.open(false)) {
        ModelComparison comparison = new ModelCatalog(store, null).compare(baseRef, otherRef);
        Map<String, Object> deltas = new LinkedHashMap<>();
        comparison.metricDeltas().forEach((metric, delta) -> deltas.put(metric, finiteOrNull(delta)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("base", comparison.base().ref().toString());
        out.put("against", comparison.other().ref().toString());
        out.put("samePlan", comparison.samePlan());
        out.put("l2Distance", finiteOrNull(comparison.l2Distance()));
        out.put("deltas", deltas);
        out.put("participantsAdded", comparison.participantsAdded());
        out.put("participantsRemoved", comparison.participantsRemoved());
        if (json) {
          System.out.println(JSON.writeValueAsString(out));
          return ExitCodes.OK;
        }
        System.out.printf("%s -> %s (%s)%n", out.get("base"), out.get("against"),
            comparison.samePlan() ? "same plan" : "DIFFERENT plans: " + comparison.base().planHash().substring(0, 12)
                + " vs " + comparison.other().planHash().substring(0, 12));
        System.out.printf("L2 distance of the weights: %s%n", Double.isNaN(comparison.l2Distance())
            ? "n/a (different layouts)" : "%.6g".formatted(comparison.l2Distance()));
        comparison.metricDeltas().forEach((metric, delta) -> System.out.printf("  %-14s %s%n", metric,
            Double.isNaN(delta) ? "n/a" : "%+.4f".formatted(delta)));
        System.out.printf("participants added: %s; removed: %s%n", comparison.participantsAdded(),
            comparison.participantsRemoved());
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "promote",
      description = "Promotes a version for serving; recorded with who and why, and appended to the audit trail.")
  static final class Promote implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Mixin
    AuditKeyOptions auditKey;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    // Not mixinStandardHelpOptions: its --version (print the program version) would take this option's name.
    @Option(names = "--version", required = true, paramLabel = "VERSION", description = VERSION_HELP)
    String version;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
    String reason;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who is doing it (default: the OS user name).")
    String actor;

    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR",
        description = "PKI directory whose server key signs the audit entry, if present (default: ${DEFAULT-VALUE}).")
    Path pkiDir;

    @Override
    public Integer call() throws Exception {
      ModelRef ref = ModelRef.parse(version, "--version");
      try (Database store = database.open(false)) {
        ModelCatalog catalog = new ModelCatalog(store, new AuditTrail(store,
            auditKey.signer(pkiDir, store.url()), Clock.systemUTC()));
        Promotion promotion = catalog.promote(ref, Actors.resolve(actor), reason, Clock.systemUTC().instant());
        System.out.printf("promoted %s (by %s)%n", promotion.target(), promotion.actor());
        return ExitCodes.OK;
      }
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = "Returns to the version promoted before the current one; recorded and audited like promote.")
  static final class Rollback implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Mixin
    AuditKeyOptions auditKey;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Why (kept in the audit trail).")
    String reason;

    @Option(names = "--actor", paramLabel = "NAME", description = "Who is doing it (default: the OS user name).")
    String actor;

    @Option(names = "--pki-dir", defaultValue = "comity-pki", paramLabel = "DIR",
        description = "PKI directory whose server key signs the audit entry, if present (default: ${DEFAULT-VALUE}).")
    Path pkiDir;

    @Override
    public Integer call() throws Exception {
      try (Database store = database.open(false)) {
        ModelCatalog catalog = new ModelCatalog(store, new AuditTrail(store,
            auditKey.signer(pkiDir, store.url()), Clock.systemUTC()));
        Promotion promotion = catalog.rollback(Actors.resolve(actor), reason, Clock.systemUTC().instant());
        System.out.printf("rolled back to %s (by %s)%n", promotion.target(), promotion.actor());
        return ExitCodes.OK;
      }
    }
  }

  static Map<String, Object> summary(CatalogEntry entry) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run", entry.runId());
    out.put("version", entry.version());
    out.put("round", entry.round());
    out.put("committedAt", entry.committedAt().toString());
    out.put("rocAuc", finiteOrNull(entry.rocAuc()));
    out.put("prAuc", finiteOrNull(entry.prAuc()));
    out.put("epsilonSpent", finiteOrNull(entry.epsilonSpent()));
    out.put("weightsSha256", entry.weightsHash());
    out.put("participants", entry.participants());
    out.put("planHash", entry.planHash());
    out.put("promoted", entry.promoted());
    return out;
  }

  private static Map<String, Object> validation(EvaluationSummary summary) {
    if (summary == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("examples", summary.examples());
    out.put("positives", summary.positives());
    out.put("rocAuc", finiteOrNull(summary.rocAuc()));
    out.put("prAuc", finiteOrNull(summary.prAuc()));
    out.put("precision", finiteOrNull(summary.precision()));
    out.put("recall", finiteOrNull(summary.recall()));
    out.put("f1", finiteOrNull(summary.f1()));
    out.put("logLoss", finiteOrNull(summary.logLoss()));
    out.put("threshold", finiteOrNull(summary.threshold()));
    return out;
  }

  private static String metric(double value) {
    return Double.isNaN(value) ? "-" : "%.4f".formatted(value);
  }

  /** JSON has no NaN: a metric that is not a number prints as null. */
  static Double finiteOrNull(double value) {
    return Double.isFinite(value) ? value : null;
  }
}
