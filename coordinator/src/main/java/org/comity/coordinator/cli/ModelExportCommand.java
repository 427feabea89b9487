package org.comity.coordinator.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.comity.coordinator.export.ExportedModel;
import org.comity.coordinator.export.ModelExportException;
import org.comity.coordinator.export.SavedModelExporter;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.store.Database;
import org.comity.coordinator.store.ModelCatalog;
import org.comity.coordinator.store.ModelRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code model export}: a committed version as a TensorFlow Serving SavedModel ({@code DIR/<version>/}), with the
 * normalisation inside the graph and the run's own plan, checked against the version's plan hash.
 */
@Command(name = "export",
    description = {"Writes a committed version as a TensorFlow Serving SavedModel into DIR/<version>/ (tag 'serve', "
        + "signature 'serving_default': raw features in, fraud probability out) with its manifest comity-model.json.",
        "See docs/SERVING.md."})
final class ModelExportCommand implements Callable<Integer> {
  @Mixin
  DatabaseOptions database;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
  boolean help;

  // Not mixinStandardHelpOptions: its --version (print the program version) would take this option's name.
  @Option(names = "--version", required = true, paramLabel = "VERSION",
      description = "V, or RUN:V when several runs have a version V (e.g. 3 or run-7:3).")
  String version;

  @Option(names = "--out", required = true, paramLabel = "DIR",
      description = "Model directory of TensorFlow Serving; the version goes into DIR/<version>/.")
  Path out;

  @Option(names = "--overwrite", description = "Replace DIR/<version>/ if it exists.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    ModelRef ref = ModelRef.parse(version, "--version");
    try (Database store = database.open(false)) {
      ModelCatalog catalog = new ModelCatalog(store, null);
      ModelVersion found = catalog.require(ref);
      ExportedModel exported;
      try {
        exported = new SavedModelExporter().export(found, catalog.planOf(found), out, overwrite);
      } catch (ModelExportException e) {
        if (e.badInput()) {
          throw new ExitCodes.BadInputException(e.getMessage());
        }
        throw e;
      }
      System.out.printf("exported version %d of run %s to %s (weights sha256 %s)%n", found.version(), found.runId(),
          exported.versionDirectory().toAbsolutePath(), found.weightsHash());
      return ExitCodes.OK;
    }
  }
}
