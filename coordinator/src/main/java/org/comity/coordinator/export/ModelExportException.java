package org.comity.coordinator.export;

/**
 * An export that did not happen. {@link #badInput()} tells a command line which exit code to use: {@code true}
 * when the inputs are at fault (the version does not fit the plan, a non-finite value, an existing target without
 * overwrite) and retrying with the same inputs cannot help (exit 2); {@code false} for I/O or TensorFlow failures
 * (exit 1). Nothing is left in the target directory either way.
 */
public final class ModelExportException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean badInput;

  ModelExportException(String message, boolean badInput, Throwable cause) {
    super(message, cause);
    this.badInput = badInput;
  }

  static ModelExportException badInput(String message) {
    return new ModelExportException(message, true, null);
  }

  /** Whether the inputs are at fault (see the class comment). */
  public boolean badInput() {
    return badInput;
  }
}
