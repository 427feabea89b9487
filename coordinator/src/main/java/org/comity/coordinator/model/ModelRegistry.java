package org.comity.coordinator.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The committed model versions of this coordinator, in commit order. Thread-safe.
 */
public final class ModelRegistry {
  private final List<ModelVersion> versions = new ArrayList<>();

  public synchronized void add(ModelVersion version) {
    if (!versions.isEmpty() && version.version() <= latest().orElseThrow().version()) {
      throw new IllegalArgumentException("version %d is not after the latest %d"
          .formatted(version.version(), latest().orElseThrow().version()));
    }
    versions.add(version);
  }

  public synchronized List<ModelVersion> all() {
    return List.copyOf(versions);
  }

  public synchronized Optional<ModelVersion> latest() {
    return versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  public synchronized Optional<ModelVersion> find(long version) {
    return versions.stream().filter(v -> v.version() == version).findFirst();
  }

  /**
   * The version with the best federated validation ROC-AUC (ties: the earlier one); never looks at any test set.
   */
  public synchronized Optional<ModelVersion> bestByValidationRocAuc() {
    return versions.stream()
        .filter(v -> v.validation() != null && !Double.isNaN(v.validation().rocAuc()))
        .max(Comparator.comparingDouble((ModelVersion v) -> v.validation().rocAuc())
            .thenComparing(v -> -v.version()));
  }
}
