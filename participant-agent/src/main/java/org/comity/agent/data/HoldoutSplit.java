package org.comity.agent.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A bank's rows split into a training part and a local holdout for federated evaluation. Stratified (each class
 * split in the same proportion) and seeded, so a bank's split is the same every time it starts; the holdout
 * never trains.
 *
 * @param training rows used for training and for the statistics round
 * @param holdout rows used only for evaluation
 */
public record HoldoutSplit(BankDataset training, BankDataset holdout) {

  /** Splits {@code data}, keeping about {@code holdoutFraction} of each class out (at least one when possible). */
  public static HoldoutSplit of(BankDataset data, double holdoutFraction, long seed) {
    if (!(holdoutFraction > 0 && holdoutFraction < 1)) {
      throw new IllegalArgumentException("holdout fraction must be in (0, 1), got " + holdoutFraction);
    }
    List<Integer> positives = new ArrayList<>();
    List<Integer> negatives = new ArrayList<>();
    for (int i = 0; i < data.rows(); i++) {
      (data.labels()[i] >= 0.5f ? positives : negatives).add(i);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Integer> train = new ArrayList<>();
    List<Integer> holdout = new ArrayList<>();
    for (List<Integer> group : List.of(positives, negatives)) {
      shuffle(group, random);
      int held = (int) Math.round(group.size() * holdoutFraction);
      if (held == 0 && group.size() >= 2) {
        held = 1;
      }
      if (held == group.size() && group.size() >= 2) {
        held = group.size() - 1;
      }
      holdout.addAll(group.subList(0, held));
      train.addAll(group.subList(held, group.size()));
    }
    train.sort(null);
    holdout.sort(null);
    return new HoldoutSplit(data.select(toArray(train)), data.select(toArray(holdout)));
  }

  private static void shuffle(List<Integer> list, SplittableRandom random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Integer tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }

  private static int[] toArray(List<Integer> list) {
    return list.stream().mapToInt(Integer::intValue).toArray();
  }
}
