package org.comity.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The plans shipped in docs/examples load as written: the commands in the docs use them. */
class ExamplePlansTest {
  private static final Path EXAMPLES = Path.of("../docs/examples");

  @Test
  void everyExamplePlan_loadsWithoutProblems() throws Exception {
    List<Path> plans;
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      plans = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(plans.isEmpty(), "docs/examples has plans");
    for (Path plan : plans) {
      FederationPlan loaded = PlanLoader.load(plan);
      assertEquals(64, PlanHash.of(loaded).length(), plan.toString());
    }
  }

  @Test
  void logisticExamplePlans_haveNoHiddenLayer() throws IOException, PlanException {
    for (String name : List.of("creditcard-logistic-plan.yaml", "german-credit-logistic-plan.yaml")) {
      FederationPlan plan = PlanLoader.load(EXAMPLES.resolve(name));
      assertTrue(plan.model().hiddenUnits().isEmpty(), name);
      assertEquals(0.01, plan.training().learningRate(), 1e-12, name);
    }
  }

  @Test
  void distributedNoiseExamplePlan_placesTheNoiseAtTheBanksUnderSecureAggregation() throws IOException, PlanException {
    FederationPlan plan = PlanLoader.load(EXAMPLES.resolve("german-credit-distributed-dp-plan.yaml"));
    assertTrue(plan.bankPrivacy().distributedNoise());
    assertTrue(plan.secureAggregation().enabled());
  }
}
