package org.comity.simulation.run;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.comity.agent.data.CsvDataLoader;
import org.comity.agent.data.DataCheckReport;
import org.comity.agent.data.HoldoutSplit;
import org.comity.agent.privacy.SampleLevelPrivacyLedger;
import org.comity.agent.runtime.AgentOutcome;
import org.comity.agent.runtime.AgentRunner;
import org.comity.agent.runtime.TaskExecutor;
import org.comity.agent.training.LocalModel;
import org.comity.agent.training.LocalModelFactory;
import org.comity.coordinator.round.RoundListener;
import org.comity.coordinator.round.RoundReport;
import org.comity.coordinator.round.RunOutcome;
import org.comity.coordinator.server.CoordinatorOptions;
import org.comity.coordinator.server.CoordinatorServer;
import org.comity.plan.FederationPlan;

/**
 * The federated regime of a simulation: the real coordinator and one real agent per bank in this JVM, talking
 * gRPC over loopback, the same code paths as a production deployment (no shortcut aggregator).
 */
public final class FederatedRegime {
  /** What the federated run produced. */
  public record Outcome(CoordinatorServer coordinator, RunOutcome run, List<RoundReport> rounds) {}

  /** Loopback coordinator settings for simulations: short polls, so a crashed bank is noticed within seconds. */
  public static final CoordinatorOptions SIMULATION_OPTIONS = CoordinatorOptions.defaults().withPort(0)
      .withPolling(Duration.ofSeconds(2), Duration.ofSeconds(8)).withRunId("simulation");

  private final LocalModelFactory models;
  private final Consumer<RoundReport> onRound;
  private final CoordinatorOptions options;
  private final List<AgentRunner> runners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public FederatedRegime(LocalModelFactory models, Consumer<RoundReport> onRound, CoordinatorOptions options) {
    this(models, onRound, options, bank -> null);
  }

  /**
   * @param epsilonCeilings each bank's own DP-SGD epsilon ceiling (needed when the plan enables sample-level
   *     privacy); a bank's delta is 1 / (10 x its training rows)
   */
  public FederatedRegime(LocalModelFactory models, Consumer<RoundReport> onRound, CoordinatorOptions options,
      java.util.function.Function<String, Double> epsilonCeilings) {
    this(models, onRound, options, epsilonCeilings, Transport.plaintext());
  }

  /** A regime whose coordinator and banks connect with {@code transport} (e.g. mutual TLS). */
  public FederatedRegime(LocalModelFactory models, Consumer<RoundReport> onRound, CoordinatorOptions options,
      java.util.function.Function<String, Double> epsilonCeilings, Transport transport) {
    this.models = models;
    this.onRound = onRound;
    this.options = options;
    this.epsilonCeilings = epsilonCeilings;
    this.transport = transport;
  }

  private final Transport transport;
  private org.comity.coordinator.round.RunJournal journal = org.comity.coordinator.round.RunJournal.NONE;

  /** Records the coordinator's run in {@code journal} (default: none); returns this regime. */
  public FederatedRegime journaling(org.comity.coordinator.round.RunJournal journal) {
    this.journal = java.util.Objects.requireNonNull(journal, "journal");
    return this;
  }

  private final java.util.function.Function<String, Double> epsilonCeilings;

  private RoundListener[] observers = {};
  private Consumer<CoordinatorServer> onStarted = coordinator -> { };

  /**
   * Registers {@code listener} with the coordinator when it starts, and calls {@code started} once it listens and
   * before any bank connects, on the thread that called {@link #run}: e.g. to open the operator console on it and
   * watch the whole run.
   */
  public FederatedRegime observedBy(RoundListener listener, Consumer<CoordinatorServer> started) {
    this.observers = new RoundListener[] {listener};
    this.onStarted = started;
    return this;
  }

  private SampleLevelPrivacyLedger ledger(FederationPlan plan, String memberId, int trainingRows) {
    if (!plan.samplePrivacy().enabled()) {
      return null;
    }
    Double ceiling = epsilonCeilings.apply(memberId);
    if (ceiling == null) {
      throw new IllegalArgumentException("the plan trains with DP-SGD: give each bank an epsilon ceiling "
          + "(simulate --epsilon-ceiling)");
    }
    return new SampleLevelPrivacyLedger(ceiling, 1.0 / (10.0 * trainingRows), trainingRows);
  }

  /**
   * Runs the federation to its end. The returned coordinator is still open (its model registry is read by the
   * caller) and must be closed by the caller.
   */
  public Outcome run(PreparedConsortium consortium, Duration timeout) throws IOException, InterruptedException {
    FederationPlan plan = consortium.plan();
    List<HoldoutSplit> splits = new ArrayList<>();
    for (PreparedConsortium.BankFile bank : consortium.banks()) {
      DataCheckReport report = new CsvDataLoader(plan).load(bank.csv());
      if (!report.ok()) {
        throw new IllegalArgumentException(report.describe());
      }
      splits.add(HoldoutSplit.of(report.dataset(), plan.evaluation().holdoutFraction(), plan.evaluation().holdoutSeed()));
    }
    RoundListener[] listeners = java.util.stream.Stream.concat(java.util.stream.Stream.of(trainingRoundsTo(onRound)),
        java.util.Arrays.stream(observers)).toArray(RoundListener[]::new);
    CoordinatorServer coordinator = CoordinatorServer.start(plan, options, transport.server(), transport.interceptors(),
        certificate -> false, journal, Clock.systemUTC(), listeners);
    try {
      onStarted.accept(coordinator);
    } catch (RuntimeException e) {
      coordinator.close();
      throw e;
    }
    ExecutorService agents = Executors.newFixedThreadPool(consortium.banks().size(), r -> {
      Thread thread = new Thread(r, "simulated-bank");
      thread.setDaemon(true);
      return thread;
    });
    List<ManagedChannel> channels = new ArrayList<>();
    List<LocalModel> localModels = new ArrayList<>();
    List<Future<AgentOutcome>> outcomes = new ArrayList<>();
    try {
      for (int i = 0; i < consortium.banks().size(); i++) {
        String memberId = consortium.banks().get(i).memberId();
        ManagedChannel channel = NettyChannelBuilder.forAddress(transport.host(), coordinator.port(),
            transport.bank().apply(memberId)).maxInboundMessageSize(64 << 20).build();
        channels.add(channel);
        LocalModel model = models.create(plan, plan.model().initSeed());
        localModels.add(model);
        AgentRunner runner = new AgentRunner(memberId, plan, channel, new TaskExecutor(memberId, plan, splits.get(i), model,
            ledger(plan, memberId, splits.get(i).training().rows()), transport.signer().apply(memberId)),
            Duration.ofMinutes(1));
        runners.add(runner);
        outcomes.add(agents.submit(runner::run));
      }
      RunOutcome run;
      try {
        run = coordinator.runFinished().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the federated run did not finish within " + timeout, e);
      }
      for (Future<AgentOutcome> outcome : outcomes) {
        try {
          outcome.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
          // A bank that crashed or was stopped has no outcome; the coordinator's reports say what it missed.
        }
      }
      return new Outcome(coordinator, run, coordinator.engine().reports());
    } finally {
      agents.shutdownNow();
      for (ManagedChannel channel : channels) {
        channel.shutdownNow();
      }
      for (LocalModel model : localModels) {
        model.close();
      }
    }
  }

  /**
   * The coordinator's listener, built in a static method so that it does not capture this regime: the coordinator
   * outlives {@link #run} and must not keep the agents (their data and models) reachable.
   */
  private static RoundListener trainingRoundsTo(Consumer<RoundReport> onRound) {
    return new RoundListener() {
      @Override
      public void onRoundFinished(RoundReport report) {
        if (report.round() > 0) {
          onRound.accept(report);
        }
      }
    };
  }

  /** Simulates a crash of bank {@code index}: its connection drops with no goodbye. */
  public void crashBank(int index) {
    runners.get(index).crash();
  }
}
