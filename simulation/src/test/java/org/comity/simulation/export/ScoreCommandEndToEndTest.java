package org.comity.simulation.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import org.comity.agent.cli.AgentMain;
import org.comity.agent.data.BankDataset;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.PlanDataValidator;
import org.comity.coordinator.export.SavedModelExporter;
import org.comity.coordinator.model.ModelVersion;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.ScoringSpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's {@code score} command on versions exported by the coordinator: scores equal the agent's own, bands
 * follow the plan's thresholds, a model of another plan and bad rows are refused with exit code 2.
 */
class ScoreCommandEndToEndTest {
  @TempDir
  static Path shared;

  @TempDir
  Path dir;

  static FederationPlan plan;
  static Path planFile;
  static Path models;
  static ModelVersion latest;

  @BeforeAll
  static void trainAndExportTwoVersions() throws Exception {
    plan = TrainedVersions.mixedPlan();
    planFile = Files.writeString(shared.resolve("plan.yaml"), TrainedVersions.MIXED_PLAN);
    BankDataset training = TrainedVersions.load(plan,
        TrainedVersions.write(shared, "train.csv", TrainedVersions.mixedCsv(600, 21, true, null)));
    models = shared.resolve("models");
    SavedModelExporter exporter = new SavedModelExporter();
    exporter.export(TrainedVersions.train(plan, training, 1, 2), plan, models, false);
    latest = TrainedVersions.train(plan, training, 3, 4);
    exporter.export(latest, plan, models, false);
  }

  private record Run(int exitCode, String out, String err) {}

  private static Run agent(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = AgentMain.execute(args);
      return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  @Test
  void score_csvWithIds_highestVersion_scoresAsTheAgent_andBandsByThePlanThresholds() throws Exception {
    // given: rows to score, with an id and without a label
    Path rows = TrainedVersions.write(dir, "today.csv", TrainedVersions.mixedCsv(250, 22, false, "tx_id"));
    Path out = dir.resolve("scores.csv");
    // when
    Run run = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--data", rows.toString(),
        "--id-column", "tx_id", "--out", out.toString());
    // then
    assertEquals(0, run.exitCode(), run.err());
    List<String> lines = Files.readAllLines(out);
    assertEquals("tx_id,fraud_probability,band", lines.get(0));
    assertEquals(251, lines.size());
    PlanDataValidator validator = PlanDataValidator.forScoring(plan, "tx_id", PlanDataValidator.Positions.LINE);
    DataCheckReport report = CsvDataLoader.load(rows, validator);
    float[] expected = TrainedVersions.agentScores(plan, latest, report.dataset());
    ScoringSpec scoring = plan.scoring();
    long[] counts = new long[3];
    for (int row = 0; row < expected.length; row++) {
      String[] cells = lines.get(row + 1).split(",");
      assertEquals("tx-" + (1000 + row), cells[0]);
      float served = Float.parseFloat(cells[1]);
      assertEquals(Float.floatToRawIntBits(expected[row]), Float.floatToRawIntBits(served), "row " + row);
      String band = served >= 0.7f ? "block" : served >= 0.3f ? "review" : "allow";
      assertEquals(band, cells[2], "row %d, probability %s".formatted(row, served));
      counts[scoring.band(served).ordinal()]++;
    }
    assertTrue(counts[0] > 0 && counts[1] > 0, "the data reaches at least two bands: " + List.of(counts));
    assertTrue(run.out().contains("scored 250 rows"), run.out());
    assertTrue(run.out().contains("with model version 4 (plan %s)".formatted(PlanHash.of(plan).substring(0, 12))),
        run.out());
    assertTrue(run.out().contains("allow %d, review %d, block %d".formatted(counts[0], counts[1], counts[2])),
        run.out());
  }

  @Test
  void score_explicitVersionDirectoryOrFlag_usesThatVersion() throws Exception {
    Path rows = TrainedVersions.write(dir, "today.csv", TrainedVersions.mixedCsv(20, 23, false, null));
    Run byFlag = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--version", "2",
        "--data", rows.toString(), "--out", dir.resolve("a.csv").toString());
    Run byDir = agent("score", "--plan", planFile.toString(), "--model", models.resolve("2").toString(),
        "--data", rows.toString(), "--out", dir.resolve("b.csv").toString());
    assertEquals(0, byFlag.exitCode(), byFlag.err());
    assertTrue(byFlag.out().contains("with model version 2"), byFlag.out());
    assertEquals(Files.readAllLines(dir.resolve("a.csv")), Files.readAllLines(dir.resolve("b.csv")));
    assertEquals("fraud_probability,band", Files.readAllLines(dir.resolve("a.csv")).get(0), "no id column asked");
    Run missing = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--version", "3",
        "--data", rows.toString(), "--out", dir.resolve("c.csv").toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("--version 3 is not in") && missing.err().contains("[2, 4]"), missing.err());
  }

  @Test
  void score_modelOfAnotherPlan_isRefusedWithBothHashes() throws Exception {
    // given: the bank's plan differs (other thresholds), so its hash does too
    Path otherPlan = Files.writeString(dir.resolve("other.yaml"),
        TrainedVersions.MIXED_PLAN.replace("block_threshold: 0.7", "block_threshold: 0.8"));
    Path rows = TrainedVersions.write(dir, "today.csv", TrainedVersions.mixedCsv(20, 24, false, null));
    Path out = dir.resolve("scores.csv");
    // when
    Run run = agent("score", "--plan", otherPlan.toString(), "--model", models.toString(), "--data", rows.toString(),
        "--out", out.toString());
    // then
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("model version 4") && run.err().contains("was trained under plan "
        + PlanHash.of(plan)), run.err());
    assertTrue(run.err().contains("but this bank's plan hashes to "), run.err());
    assertFalse(Files.exists(out), "nothing is written");
  }

  @Test
  void score_badRows_areRefusedNamingColumnAndLine() throws Exception {
    // given: line 3 has a non-number amount, line 4 an empty cell in a missing: reject feature
    Path rows = Files.writeString(dir.resolve("bad.csv"), """
        amount,hour,channel,balance,risk
        10.5,3,web,100,0.2
        abc,3,web,100,0.2
        10.5,3,app,100,
        """);
    Path out = dir.resolve("scores.csv");
    // when
    Run run = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--data", rows.toString(),
        "--out", out.toString());
    // then
    assertEquals(2, run.exitCode());
    assertTrue(run.err().contains("column 'amount': value is not a number (1 occurrence; line 3)"), run.err());
    assertTrue(run.err().contains("column 'risk': empty cell, and the plan says missing: reject (1 occurrence; line 4)"),
        run.err());
    assertFalse(Files.exists(out), "nothing is written");
    Run unknownId = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--data",
        rows.toString(), "--id-column", "tx_id", "--out", out.toString());
    assertEquals(2, unknownId.exitCode());
    assertTrue(unknownId.err().contains("column 'tx_id': the id column (--id-column) is missing from the header"),
        unknownId.err());
  }

  @Test
  void score_fromASqliteQuery_writesWhatTheCsvGives() throws Exception {
    // given: the same rows in a CSV file and in a SQLite table
    String csv = TrainedVersions.mixedCsv(60, 25, false, "tx_id");
    Path rows = TrainedVersions.write(dir, "today.csv", csv);
    String url = "jdbc:sqlite:" + dir.resolve("bank.db");
    try (Connection connection = DriverManager.getConnection(url)) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE TABLE tx (tx_id TEXT, amount REAL, hour INTEGER, channel TEXT, balance REAL, "
            + "risk REAL)");
      }
      try (PreparedStatement insert = connection.prepareStatement("INSERT INTO tx VALUES (?, ?, ?, ?, ?, ?)")) {
        for (String line : csv.lines().skip(1).toList()) {
          String[] cells = line.split(",", -1);
          insert.setString(1, cells[0]);
          insert.setObject(2, cells[1].isEmpty() ? null : Double.parseDouble(cells[1]));
          insert.setObject(3, cells[2].isEmpty() ? null : Integer.parseInt(cells[2]));
          insert.setString(4, cells[3].isEmpty() ? null : cells[3]);
          insert.setObject(5, cells[4].isEmpty() ? null : Double.parseDouble(cells[4]));
          insert.setDouble(6, Double.parseDouble(cells[5]));
          insert.executeUpdate();
        }
      }
    }
    // when
    Run fromCsv = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--data",
        rows.toString(), "--id-column", "tx_id", "--out", dir.resolve("csv.csv").toString());
    Run fromDb = agent("score", "--plan", planFile.toString(), "--model", models.toString(), "--jdbc-url", url,
        "--query", "SELECT tx_id, amount, hour, channel, balance, risk FROM tx ORDER BY rowid", "--id-column", "tx_id",
        "--out", dir.resolve("db.csv").toString());
    // then
    assertEquals(0, fromCsv.exitCode(), fromCsv.err());
    assertEquals(0, fromDb.exitCode(), fromDb.err());
    assertTrue(fromDb.out().contains("scored 60 rows from query on jdbc:sqlite:"), fromDb.out());
    assertEquals(Files.readAllLines(dir.resolve("csv.csv")), Files.readAllLines(dir.resolve("db.csv")));
  }
}
