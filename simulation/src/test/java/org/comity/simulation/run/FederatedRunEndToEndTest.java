package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.comity.agent.model.DeviceSelection;
import org.comity.agent.model.SessionThreads;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalModelFactory;
import org.comity.agent.training.TensorFlowLocalModel;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.server.CoordinatorOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real coordinator and real agents (TensorFlow training) over loopback gRPC, on the German credit data split
 * across banks.
 */
class FederatedRunEndToEndTest {
  static final Path GERMAN_TRAIN = Path.of("../docs/data/GermanCredit_train.csv");
  static final Path GERMAN_TEST = Path.of("../docs/data/GermanCredit_test.csv");
  static final LocalModelFactory TENSORFLOW = TensorFlowLocalModel.factory(DeviceSelection.cpu(), new SessionThreads(1, 1));
  static final CoordinatorOptions FAST = CoordinatorOptions.defaults().withPort(0)
      .withPolling(Duration.ofMillis(500), Duration.ofSeconds(4)).withRunId("e2e");

  @TempDir
  Path out;

  @Test
  void agentKilledInTheMiddleOfARound_roundCommitsWithQuorum_andTheNextRoundProceeds() throws Exception {
    // given: 3 banks, quorum 2; bank-03 will be killed while it trains in round 2
    PreparedConsortium consortium = ConsortiumPreparer.prepare(new SimulationConfig(null, 3, 3, 4, GERMAN_TRAIN,
        GERMAN_TEST, "label", "iid", out, 1));
    CountDownLatch bank3Training = new CountDownLatch(1);
    CountDownLatch crashed = new CountDownLatch(1);
    AtomicInteger created = new AtomicInteger();
    LocalModelFactory models = (plan, seed) -> {
      LocalModel model = TENSORFLOW.create(plan, seed);
      return created.incrementAndGet() == 3
          ? new SecureAggregationEndToEndTest.StallingModel(model, 2, bank3Training, crashed) : model;
    };
    List<RoundReport> rounds = new ArrayList<>();
    FederatedRegime regime = new FederatedRegime(models, rounds::add, FAST);
    Thread killer = new Thread(() -> {
      try {
        if (bank3Training.await(60, TimeUnit.SECONDS)) {
          regime.crashBank(2);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        crashed.countDown();
      }
    });
    killer.start();
    // when
    FederatedRegime.Outcome outcome = regime.run(consortium, Duration.ofMinutes(3));
    outcome.coordinator().close();
    killer.join();
    // then
    assertTrue(outcome.run().completed(), outcome.run().toString());
    List<RoundReport> training = outcome.rounds().stream().filter(r -> r.round() > 0).toList();
    assertEquals(3, training.size());
    RoundReport second = training.get(1);
    assertEquals(RoundPhase.COMMITTED, second.outcome(), second.reason());
    assertEquals("disconnected", second.dropouts().get("bank-03"), second.dropouts().toString());
    assertEquals(List.of("bank-01", "bank-02"), second.contributors());
    RoundReport third = training.get(2);
    assertEquals(RoundPhase.COMMITTED, third.outcome(), third.reason());
    assertEquals(List.of("bank-01", "bank-02"), third.selected(), "the dead bank is no longer sampled");
    assertEquals(3, outcome.coordinator().models().latest().orElseThrow().version());
  }
}
