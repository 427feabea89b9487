package org.comity.simulation.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import org.comity.coordinator.server.CoordinatorServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The coordinator returned by {@link FederatedRegime#run} outlives the run (callers read its model registry); it must
 * not keep the regime, and through it every simulated agent's data and model, reachable.
 */
class FederatedRegimeRetentionTest {
  @TempDir
  Path out;

  @Test
  void run_openCoordinator_doesNotKeepTheRegimeReachable() throws Exception {
    // given
    PreparedConsortium consortium = ConsortiumPreparer.prepare(new SimulationConfig(null, 2, 1, 3,
        FederatedRunEndToEndTest.GERMAN_TRAIN, FederatedRunEndToEndTest.GERMAN_TEST, "label", "iid", out, 1));
    FederatedRegime regime = new FederatedRegime(FederatedRunEndToEndTest.TENSORFLOW, report -> { },
        FederatedRunEndToEndTest.FAST);
    // when
    try (CoordinatorServer coordinator = regime.run(consortium, Duration.ofMinutes(5)).coordinator()) {
      ReferenceQueue<FederatedRegime> collected = new ReferenceQueue<>();
      WeakReference<FederatedRegime> weakRegime = new WeakReference<>(regime, collected);
      regime = null;
      // Await the collector's notice that the regime is gone (bounded), instead of sleeping between collections.
      for (int attempt = 0; attempt < 20 && weakRegime.get() != null; attempt++) {
        System.gc();
        if (collected.remove(100) != null) {
          break;
        }
      }
      // then
      assertEquals(1, coordinator.engine().reports().stream().filter(r -> r.round() == 1).count());
      assertNull(weakRegime.get(), "the open coordinator still reaches the regime and its agents");
    }
  }
}
