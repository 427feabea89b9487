package org.comity.coordinator.store;

/**
 * Names a committed model version: its number, and the run when the number alone is ambiguous (every run numbers
 * its versions from 1).
 *
 * @param runId the run, or {@code null} for "the only run that has this version"
 * @param version the version number, at least 1
 */
public record ModelRef(String runId, long version) {
  public ModelRef {
    if (version < 1) {
      throw new CatalogException("a model version is a number from 1, got " + version);
    }
    if (runId != null && runId.isBlank()) {
      throw new CatalogException("the run id of a model reference is blank");
    }
  }

  /**
   * Parses {@code V} or {@code RUN:V} (e.g. {@code 3} or {@code run-7:3}).
   *
   * @param flag names the option in error messages, e.g. {@code --version}
   */
  public static ModelRef parse(String text, String flag) {
    String trimmed = text == null ? "" : text.strip();
    int colon = trimmed.lastIndexOf(':');
    String run = colon < 0 ? null : trimmed.substring(0, colon);
    String number = colon < 0 ? trimmed : trimmed.substring(colon + 1);
    try {
      return new ModelRef(run, Long.parseLong(number));
    } catch (NumberFormatException e) {
      throw new CatalogException("%s must be a version number or RUN:NUMBER (e.g. 3 or run-7:3), got '%s'"
          .formatted(flag, text));
    }
  }

  @Override
  public String toString() {
    return runId == null ? "v" + version : runId + ":" + version;
  }
}
