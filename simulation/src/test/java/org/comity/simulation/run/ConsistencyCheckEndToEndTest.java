package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.comity.agent.cli.AgentMain;
import org.comity.coordinator.cli.CoordinatorMain;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.pki.MemberIdentityInterceptor;
import org.comity.coordinator.pki.PemFiles;
import org.comity.coordinator.pki.RevocationList;
import org.comity.coordinator.round.RoundPhase;
import org.comity.plan.FederationPlan;
import org.comity.plan.PlanHash;
import org.comity.plan.SecureAggregationSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secure aggregation with the consistency check (the actively secure protocol's signed survivor set) through the
 * real coordinator and agents over mutual TLS, every bank signing with the certificate key the consortium CA
 * issued it.
 */
class ConsistencyCheckEndToEndTest {
  private static final List<String> BANKS = List.of("bank-01", "bank-02", "bank-03", "bank-04");

  @TempDir
  Path dir;

  @Test
  void consistencyCheckedRound_overThePki_commitsTheModelOfPlainFedAvg_withinTheQuantizationBound() throws Exception {
    // given: a consortium CA and four enrolled banks, made by the operator's and the banks' commands
    var logs = SecureAggregationEndToEndTest.captureLogs();
    Transport pkiTransport = enrolledConsortium(dir.resolve("pki-setup"));
    // and the same consortium twice: plain FedAvg, and secure aggregation with the consistency check on
    PreparedConsortium plain = prepare(dir.resolve("plain"), false);
    PreparedConsortium prepared = prepare(dir.resolve("secure"), true);
    PreparedConsortium checked = new PreparedConsortium(withConsistencyCheck(prepared.plan()), prepared.banks(),
        prepared.testCsv(), prepared.description());
    assertTrue(checked.plan().secureAggregation().consistencyCheck());
    // when
    FederatedRegime.Outcome plainRun = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST).run(plain, Duration.ofMinutes(2));
    FederatedRegime.Outcome checkedRun = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST, bank -> null, pkiTransport).run(checked, Duration.ofMinutes(2));
    plainRun.coordinator().close();
    checkedRun.coordinator().close();
    SecureAggregationEndToEndTest.stopCapturing(logs);
    // then: the round committed with every bank, through the consistency-check stage
    assertTrue(checkedRun.run().completed(), checkedRun.run().reason());
    checkedRun.rounds().stream().filter(r -> r.round() > 0).forEach(r -> {
      assertEquals(RoundPhase.COMMITTED, r.outcome(), r.reason());
      assertEquals(BANKS, r.contributors(), "every bank signed the survivor set and unmasked");
    });
    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().contains("stage CONSISTENCY_CHECK")),
        "the consistency-check stage ran");
    // and its model is plain FedAvg's up to quantization (bound as in SecureAggregationEndToEndTest: 4 banks,
    // step 2 * 2.0 / (2^30 - 1), max weight 1e6, ~560 training rows: 2.7e-5, plus float rounding)
    ModelVersion plainV1 = plainRun.coordinator().models().latest().orElseThrow();
    ModelVersion checkedV1 = checkedRun.coordinator().models().latest().orElseThrow();
    assertEquals(1, checkedV1.version());
    float[] a = plainV1.weights();
    float[] b = checkedV1.weights();
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    assertTrue(worst < 3e-5, "largest difference to plain FedAvg: " + worst);
    assertTrue(worst > 0, "the secure path really ran (quantization leaves a trace)");
    // and neither keys nor signatures reached the logs
    SecureAggregationEndToEndTest.assertNoKeyMaterial(logs.list, PlanHash.of(checked.plan()), PlanHash.of(plain.plan()));
  }

  private PreparedConsortium prepare(Path out, boolean secure) throws Exception {
    return ConsortiumPreparer.prepare(new SimulationConfig(null, BANKS.size(), 1, 8,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1, secure));
  }

  private static FederationPlan withConsistencyCheck(FederationPlan plan) {
    SecureAggregationSpec s = plan.secureAggregation();
    SecureAggregationSpec checked = new SecureAggregationSpec(s.enabled(), s.corruptFraction(), s.dropoutRate(),
        s.threatModel(), s.neighbours(), s.threshold(), s.clipBound(), s.maxSampleCount(), s.stageDeadline(), true);
    return new FederationPlan(plan.name(), plan.features(), plan.label(), plan.model(), plan.training(), plan.rounds(),
        plan.evaluation(), checked, plan.bankPrivacy(), plan.samplePrivacy());
  }

  /** The operator's CA, each bank's key and certificate by the commands, and mutual TLS plus key signers over them. */
  private static Transport enrolledConsortium(Path base) throws Exception {
    Path pki = base.resolve("pki");
    Path passphrase = Files.writeString(Files.createDirectories(base).resolve("pass.txt"),
        "a passphrase that is long enough\n");
    assertEquals(0, CoordinatorMain.execute("ca", "init", "--pki-dir", pki.toString(), "--passphrase-file",
        passphrase.toString()));
    for (String bank : BANKS) {
      Path bankDir = base.resolve(bank);
      assertEquals(0, AgentMain.execute("keygen", "--member-id", bank, "--out-dir", bankDir.toString()));
      assertEquals(0, CoordinatorMain.execute("member", "enroll", "--pki-dir", pki.toString(), "--passphrase-file",
          passphrase.toString(), "--csr", bankDir.resolve(bank + ".csr").toString(), "--member-id", bank, "--out",
          bankDir.resolve(bank + ".crt").toString()));
    }
    var ca = PemFiles.readCertificate(Files.readString(pki.resolve("ca.crt")), "ca");
    return new Transport(
        org.comity.coordinator.pki.MutualTls.serverCredentials(pki.resolve("ca.crt"), pki.resolve("server.crt"),
            pki.resolve("server.key"), Optional.empty()),
        List.of(new MemberIdentityInterceptor(RevocationList.reloading(pki.resolve("crl.pem"), ca))),
        bank -> {
          try {
            return org.comity.agent.pki.MutualTls.channelCredentials(pki.resolve("ca.crt"),
                base.resolve(bank).resolve(bank + ".crt"), base.resolve(bank).resolve(bank + ".key"), Optional.empty());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, "localhost",
        bank -> {
          try {
            return org.comity.agent.pki.SecAggKeySigner.load(pki.resolve("ca.crt"),
                base.resolve(bank).resolve(bank + ".crt"), base.resolve(bank).resolve(bank + ".key"), Optional.empty());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
  }
}
