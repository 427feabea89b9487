package org.comity.agent.model.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.comity.agent.model.Activation;
import org.comity.agent.model.ModelArchitecture;
import org.junit.jupiter.api.Test;

class TrainingFlopCountTest {

  @Test
  void trainingFlopsPerSample_defaultNetwork_is76992() {
    // given: MACs 30*128 + 128*64 + 64*32 + 32*1 = 14,112
    ModelArchitecture architecture = ModelArchitecture.defaults(30);

    // when / then: forward 28,224 + weight gradients 28,224 + input gradients 2*(8,192+2,048+32) = 20,544
    assertEquals(28_224, TrainingFlopCount.forwardFlopsPerSample(architecture));
    assertEquals(76_992, TrainingFlopCount.trainingFlopsPerSample(architecture));
  }

  @Test
  void trainingFlopsPerSample_singleLayer_hasNoInputGradient() {
    // given
    ModelArchitecture logistic = new ModelArchitecture(10, List.of(), 0.0, Activation.RELU);

    // when / then: forward 20 + weight gradient 20
    assertEquals(40, TrainingFlopCount.trainingFlopsPerSample(logistic));
  }
}
