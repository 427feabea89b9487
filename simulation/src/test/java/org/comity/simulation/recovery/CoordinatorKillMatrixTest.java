package org.comity.simulation.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.LocalModelFactory;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.simulation.run.ConsortiumPreparer;
import org.comity.simulation.run.PreparedConsortium;
import org.comity.simulation.run.SimulationConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.comity.agent.cli.AgentMain;
import org.comity.coordinator.cli.CoordinatorMain;
import org.comity.plan.PlanLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The kill matrix: the coordinator, a real separate process journaling to its store, is killed with SIGKILL while it
 * waits in each stage of a round (including each secure-aggregation stage), started again on the same store, and
 * the run ends with the same final model as an uninterrupted run with the same seed, every round committed once and
 * no bank training any round twice. Every stage on SQLite; the plain and secure training stages also on a real
 * PostgreSQL server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CoordinatorKillMatrixTest {
  private static final Path GERMAN_TRAIN = Path.of("../docs/data/GermanCredit_train.csv");
  private static final Path GERMAN_TEST = Path.of("../docs/data/GermanCredit_test.csv");
  private static final LocalModelFactory TENSORFLOW =
      TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1));
  private static final int ROUNDS = 2;
  private static final AtomicInteger NEXT = new AtomicInteger();

  /** Shared by every case of the class (the reference runs are made once); deleted after the last. */
  @TempDir
  static Path root;
  private PreparedConsortium plain;
  private PreparedConsortium secure;
  private CrashRecoveryRun.Outcome plainReference;
  private CrashRecoveryRun.Outcome secureReference;
  private EmbeddedPostgres postgres;

  @BeforeAll
  void uninterruptedRuns() throws Exception {
    plain = prepare(root.resolve("plain"), 3, false);
    secure = prepare(root.resolve("secure"), 4, true);
    plainReference = sqlite().run(plain, planFile(plain), null, root.resolve("plain-reference"));
    secureReference = sqlite().run(secure, planFile(secure), null, root.resolve("secure-reference"));
    assertEquals(ROUNDS, plainReference.finalVersion());
    assertEquals(ROUNDS, secureReference.finalVersion());
  }

  @AfterAll
  void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @ParameterizedTest
  @EnumSource(value = KillPoint.class, mode = EnumSource.Mode.EXCLUDE, names = "SECAGG_CONSISTENCY_CHECK")
  void coordinatorKilledInAStage_restartsFromItsJournal_andEndsWithTheUninterruptedModel(KillPoint point)
      throws Exception {
    assertKillAndRestartGiveTheReferenceModel(sqlite(), point);
  }

  /**
   * The actively secure protocol over mutual TLS with certificates from the commands: killed while the banks sign
   * the survivor set, the retry signs and unmasks again and the run ends with the uninterrupted model.
   */
  @Test
  void overMutualTls_killedInTheConsistencyCheck_restartsAndEndsWithTheUninterruptedModel() throws Exception {
    Path dir = root.resolve("consistency");
    CrashRecoveryRun.Pki pki = consortiumPki(dir, 4);
    PreparedConsortium checked = withConsistencyCheck(prepare(dir.resolve("run"), 4, true));
    Path plan = dir.resolve("run").resolve("plan-checked.yaml");
    CrashRecoveryRun.Outcome reference = new CrashRecoveryRun(TENSORFLOW, "jdbc:sqlite:" + dir.resolve("reference.db"),
        Map.of(), pki).run(checked, plan, null, dir.resolve("reference"));
    CrashRecoveryRun.Outcome killed = new CrashRecoveryRun(TENSORFLOW, "jdbc:sqlite:" + dir.resolve("killed.db"),
        Map.of(), pki).run(checked, plan, KillPoint.SECAGG_CONSISTENCY_CHECK, dir.resolve("killed"));
    assertTrue(reference.firstOutput().contains("CONSISTENCY_CHECK"), "the check ran: " + reference.firstOutput());
    assertEquals(reference.finalHash(), killed.finalHash());
    assertEquals(reference.trainings(), killed.trainings(), "no bank trained a round twice");
    assertTrue(killed.secondOutput().contains("held only by the stopped process"), killed.secondOutput());
  }

  /** The CA, the coordinator's certificate and one enrolled key per bank, made by the commands. */
  private static CrashRecoveryRun.Pki consortiumPki(Path dir, int banks) throws Exception {
    Path pki = dir.resolve("pki");
    Files.createDirectories(dir);
    Path passphrase = Files.writeString(dir.resolve("pass.txt"), "a passphrase that is long enough\n");
    assertEquals(0, CoordinatorMain.execute("ca", "init", "--pki-dir", pki.toString(), "--passphrase-file",
        passphrase.toString()));
    for (int i = 1; i <= banks; i++) {
      String bank = "bank-%02d".formatted(i);
      Path bankDir = dir.resolve("banks").resolve(bank);
      assertEquals(0, AgentMain.execute("keygen", "--member-id", bank, "--out-dir", bankDir.toString()));
      assertEquals(0, CoordinatorMain.execute("member", "enroll", "--pki-dir", pki.toString(), "--passphrase-file",
          passphrase.toString(), "--csr", bankDir.resolve(bank + ".csr").toString(), "--member-id", bank, "--out",
          bankDir.resolve(bank + ".crt").toString()));
    }
    return new CrashRecoveryRun.Pki(pki, dir.resolve("banks"));
  }

  /** The prepared secure plan with the consistency-check round switched on, written next to the original. */
  private static PreparedConsortium withConsistencyCheck(PreparedConsortium consortium) throws Exception {
    Path original = planFile(consortium);
    String yaml = Files.readString(original).replace("secure_aggregation:\n", "secure_aggregation:\n  consistency_check: true\n");
    assertTrue(yaml.contains("consistency_check: true"), yaml);
    Path checked = original.resolveSibling("plan-checked.yaml");
    Files.writeString(checked, yaml);
    return new PreparedConsortium(PlanLoader.load(checked), consortium.banks(), consortium.testCsv(),
        consortium.description() + " with the consistency check");
  }

  @ParameterizedTest
  @EnumSource(value = KillPoint.class, names = {"TRAINING", "SECAGG_MASKED_INPUT"})
  void onPostgreSql_coordinatorKilledInAStage_restartsFromItsJournal_andEndsWithTheUninterruptedModel(
      KillPoint point) throws Exception {
    assertKillAndRestartGiveTheReferenceModel(postgresql(), point);
  }

  private void assertKillAndRestartGiveTheReferenceModel(CrashRecoveryRun runner, KillPoint point) throws Exception {
    PreparedConsortium consortium = point.secure() ? secure : plain;
    CrashRecoveryRun.Outcome reference = point.secure() ? secureReference : plainReference;
    CrashRecoveryRun.Outcome killed = runner.run(consortium, planFile(consortium), point,
        root.resolve("killed-" + NEXT.incrementAndGet() + "-" + point.name().toLowerCase()));
    assertEquals(reference.finalHash(), killed.finalHash(), "final model after the kill at " + point);
    assertEquals(ROUNDS, killed.finalVersion(), "every committed version is there, none twice");
    assertEquals(reference.trainings(), killed.trainings(), "no bank trained a round twice");
    assertTrue(killed.secondOutput().contains("resumed from its journal"), killed.secondOutput());
    for (int round = 1; round <= ROUNDS; round++) {
      int commits = count(killed.firstOutput() + killed.secondOutput(), "round " + round + " committed");
      assertEquals(1, commits, "round " + round + " committed once across both processes");
    }
    if (point.secure()) {
      assertTrue(killed.secondOutput().contains("held only by the stopped process"), killed.secondOutput());
    }
  }

  private CrashRecoveryRun sqlite() {
    return new CrashRecoveryRun(TENSORFLOW, "jdbc:sqlite:" + root.resolve("store-" + NEXT.incrementAndGet() + ".db"),
        Map.of());
  }

  private synchronized CrashRecoveryRun postgresql() throws Exception {
    if (postgres == null) {
      postgres = EmbeddedPostgres.builder().start();
    }
    String name = "kill_matrix_" + NEXT.incrementAndGet();
    try (Connection admin = postgres.getPostgresDatabase().getConnection();
         Statement statement = admin.createStatement()) {
      statement.execute("CREATE DATABASE " + name);
    }
    return new CrashRecoveryRun(TENSORFLOW, "jdbc:postgresql://localhost:%d/%s".formatted(postgres.getPort(), name),
        Map.of("COMITY_DB_USER", "postgres", "COMITY_DB_PASSWORD", "postgres"));
  }

  private static Path planFile(PreparedConsortium consortium) {
    return consortium.banks().get(0).csv().getParent().getParent().resolve("plan.yaml");
  }

  private static PreparedConsortium prepare(Path out, int banks, boolean secure) throws Exception {
    Files.createDirectories(out);
    return ConsortiumPreparer.prepare(new SimulationConfig(null, banks, ROUNDS, 4, GERMAN_TRAIN, GERMAN_TEST, "label",
        "iid", out, 1, secure));
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }
}
