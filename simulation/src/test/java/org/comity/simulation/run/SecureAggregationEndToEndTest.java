package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalModelFactory;
import org.comity.coordinator.model.ModelVersion;
import org.comity.coordinator.round.RoundPhase;
import org.comity.coordinator.round.RoundReport;
import org.comity.plan.PlanHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Secure aggregation through the real coordinator and agents over gRPC. */
class SecureAggregationEndToEndTest {
  @TempDir
  Path plainDir;

  @TempDir
  Path secureDir;

  private static PreparedConsortium prepare(Path out, int banks, int rounds, boolean secure) throws Exception {
    return ConsortiumPreparer.prepare(new SimulationConfig(null, banks, rounds, 8, FederatedRunEndToEndTest.GERMAN_TRAIN,
        FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1, secure));
  }

  @Test
  void securelyAggregatedModel_equalsPlainFedAvg_withinTheQuantizationBound_andLogsHoldNoKeyMaterial() throws Exception {
    // given: the same consortium, once with plain FedAvg and once with secure aggregation
    ListAppender<ILoggingEvent> logs = captureLogs();
    PreparedConsortium plain = prepare(plainDir, 4, 1, false);
    PreparedConsortium secure = prepare(secureDir, 4, 1, true);
    // when
    FederatedRegime.Outcome plainRun = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST).run(plain, Duration.ofMinutes(2));
    FederatedRegime.Outcome secureRun = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, r -> { },
        FederatedRunEndToEndTest.FAST).run(secure, Duration.ofMinutes(2));
    plainRun.coordinator().close();
    secureRun.coordinator().close();
    stopCapturing(logs);
    // then: both committed version 1 from identical local training; only quantization separates them
    ModelVersion plainV1 = plainRun.coordinator().models().latest().orElseThrow();
    ModelVersion secureV1 = secureRun.coordinator().models().latest().orElseThrow();
    assertEquals(1, secureV1.version());
    float[] a = plainV1.weights();
    float[] b = secureV1.weights();
    double worst = 0;
    for (int i = 0; i < a.length; i++) {
      worst = Math.max(worst, Math.abs(a[i] - b[i]));
    }
    // Bound: survivors * step * maxWeight / totalWeight with step = 2 * 2.0 / (2^30 - 1), 4 banks, maxWeight 1e6,
    // ~560 training rows in all: 4 * 3.7e-9 * 1e6 / 560 = 2.7e-5, plus float rounding.
    assertTrue(worst < 3e-5, "largest difference to plain FedAvg: " + worst);
    assertTrue(worst > 0, "the secure path really ran (quantization leaves a trace)");
    RoundReport round = secureRun.rounds().stream().filter(r -> r.round() == 1).findFirst().orElseThrow();
    assertTrue(round.reason().contains("version 1 committed"), round.reason());
    assertNoKeyMaterial(logs.list, PlanHash.of(secure.plan()), PlanHash.of(plain.plan()));
  }

  @Test
  void bankThatDropsBeforeAdvertisingKeys_doesNotStopTheRound() throws Exception {
    // given: 5 banks; bank-05 dies while it trains in round 2, i.e. before it advertises its keys
    PreparedConsortium consortium = prepare(secureDir, 5, 3, true);
    CountDownLatch training = new CountDownLatch(1);
    CountDownLatch crashed = new CountDownLatch(1);
    AtomicInteger created = new AtomicInteger();
    LocalModelFactory models = (plan, seed) -> {
      LocalModel model = FederatedRunEndToEndTest.TENSORFLOW.create(plan, seed);
      return created.incrementAndGet() == 5 ? new StallingModel(model, 2, training, crashed) : model;
    };
    FederatedRegime regime = new FederatedRegime(models, r -> { }, FederatedRunEndToEndTest.FAST);
    Thread killer = new Thread(() -> {
      try {
        if (training.await(60, TimeUnit.SECONDS)) {
          regime.crashBank(4);
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
    List<RoundReport> rounds = outcome.rounds().stream().filter(r -> r.round() > 0).toList();
    RoundReport second = rounds.get(1);
    assertEquals(RoundPhase.COMMITTED, second.outcome(), second.reason());
    assertEquals(List.of("bank-01", "bank-02", "bank-03", "bank-04"), second.contributors());
    assertTrue(second.dropouts().containsKey("bank-05"), second.dropouts().toString());
    assertEquals(RoundPhase.COMMITTED, rounds.get(2).outcome(), rounds.get(2).reason());
  }

  static ListAppender<ILoggingEvent> captureLogs() {
    Logger comity = (Logger) LoggerFactory.getLogger("org.comity");
    comity.setLevel(Level.DEBUG);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    comity.addAppender(appender);
    return appender;
  }

  static void stopCapturing(ListAppender<ILoggingEvent> appender) {
    Logger comity = (Logger) LoggerFactory.getLogger("org.comity");
    comity.detachAppender(appender);
    comity.setLevel(null);
  }

  /**
   * Keys, seeds, shares and masked words are 32+ random bytes: in a log they would show as a long hex or base64
   * run. The only long hex strings Comity logs are plan hashes.
   */
  static void assertNoKeyMaterial(List<ILoggingEvent> events, String... allowed) {
    Pattern longToken = Pattern.compile("[A-Za-z0-9+/=_-]{40,}");
    assertFalse(events.isEmpty(), "logs were captured");
    List<String> offending = new ArrayList<>();
    for (ILoggingEvent event : events) {
      Matcher matcher = longToken.matcher(event.getFormattedMessage());
      while (matcher.find()) {
        String token = matcher.group();
        if (!List.of(allowed).contains(token)) {
          offending.add(token);
        }
      }
    }
    assertTrue(offending.isEmpty(), "key-like material in the logs: " + offending);
  }

  /** Blocks the given training call until the test has crashed the bank. */
  static final class StallingModel implements LocalModel {
    private final LocalModel delegate;
    private final int stallAt;
    private final CountDownLatch training;
    private final CountDownLatch crashed;
    private int epochs;

    StallingModel(LocalModel delegate, int stallAt, CountDownLatch training, CountDownLatch crashed) {
      this.delegate = delegate;
      this.stallAt = stallAt;
      this.training = training;
      this.crashed = crashed;
    }

    @Override
    public double trainEpoch(float[] x, float[] y, int rows, float weight, long seed) {
      if (++epochs == stallAt) {
        training.countDown();
        try {
          crashed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return delegate.trainEpoch(x, y, rows, weight, seed);
    }

    @Override
    public org.comity.agent.model.PrivateEpochResult trainEpochPrivately(float[] x, float[] y, int rows, float weight,
        org.comity.agent.model.DpSgdSettings settings) {
      return delegate.trainEpochPrivately(x, y, rows, weight, settings);
    }

    @Override
    public void setWeights(float[] weights) {
      delegate.setWeights(weights);
    }

    @Override
    public float[] weights() {
      return delegate.weights();
    }

    @Override
    public void resetOptimizerState() {
      delegate.resetOptimizerState();
    }

    @Override
    public float[] predictProbabilities(float[] x, int rows) {
      return delegate.predictProbabilities(x, rows);
    }

    @Override
    public String deviceDescription() {
      return delegate.deviceDescription();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
