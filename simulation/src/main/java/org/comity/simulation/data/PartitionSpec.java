package org.comity.simulation.data;

import java.util.Locale;
import java.util.Objects;

/**
 * How a real table is split across virtual banks, parsed from the text a researcher writes:
 *
 * <ul>
 *   <li>{@code iid}: every bank gets about the same number of rows and the table's class ratio;
 *   <li>{@code dirichlet:ALPHA}: label skew; for each class separately, the banks' shares of that class are drawn from
 *       a symmetric Dirichlet(ALPHA). Small ALPHA (0.1) gives banks that are almost all one class, large ALPHA (100)
 *       approaches {@code iid};
 *   <li>{@code size:ALPHA}: quantity skew; the banks' shares of rows are drawn from Dirichlet(ALPHA), and each
 *       bank's rows keep the table's class ratio.
 * </ul>
 *
 * @param kind which skew
 * @param alpha Dirichlet concentration, finite and > 0; ignored (and stored as 0) for {@link Kind#IID}
 */
public record PartitionSpec(Kind kind, double alpha) {

  /** The partition families. */
  public enum Kind {
    IID,
    LABEL_DIRICHLET,
    SIZE_DIRICHLET
  }

  public PartitionSpec {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.IID) {
      if (alpha != 0) {
        throw new IllegalArgumentException("iid takes no alpha, got " + alpha);
      }
    } else if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a finite number > 0, got " + alpha);
    }
  }

  public static PartitionSpec iid() {
    return new PartitionSpec(Kind.IID, 0);
  }

  public static PartitionSpec labelDirichlet(double alpha) {
    return new PartitionSpec(Kind.LABEL_DIRICHLET, alpha);
  }

  public static PartitionSpec sizeDirichlet(double alpha) {
    return new PartitionSpec(Kind.SIZE_DIRICHLET, alpha);
  }

  /**
   * Parses {@code iid}, {@code dirichlet:ALPHA} or {@code size:ALPHA} (case-insensitive, surrounding blanks ignored).
   *
   * @throws IllegalArgumentException naming the text and the accepted forms
   */
  public static PartitionSpec parse(String text) {
    Objects.requireNonNull(text, "text");
    String spec = text.strip().toLowerCase(Locale.ROOT);
    if (spec.equals("iid")) {
      return iid();
    }
    int colon = spec.indexOf(':');
    String family = colon < 0 ? spec : spec.substring(0, colon);
    if (!family.equals("dirichlet") && !family.equals("size")) {
      throw new IllegalArgumentException(
          "unknown partition '%s': expected iid, dirichlet:ALPHA or size:ALPHA".formatted(text));
    }
    if (colon < 0) {
      throw new IllegalArgumentException(
          "partition '%s' needs an alpha: expected %s:ALPHA with ALPHA > 0, e.g. %s:0.5".formatted(text, family, family));
    }
    String alphaText = text.strip().substring(colon + 1).strip();
    double alpha;
    try {
      alpha = Double.parseDouble(alphaText);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "partition '%s': alpha '%s' is not a number; expected %s:ALPHA with ALPHA > 0".formatted(text, alphaText, family));
    }
    if (!(alpha > 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException(
          "partition '%s': alpha must be a finite number > 0, got %s".formatted(text, alphaText));
    }
    return family.equals("dirichlet") ? labelDirichlet(alpha) : sizeDirichlet(alpha);
  }

  /** The text form accepted by {@link #parse}. */
  @Override
  public String toString() {
    switch (kind) {
      case IID:
        return "iid";
      case LABEL_DIRICHLET:
        return "dirichlet:" + alpha;
      default:
        return "size:" + alpha;
    }
  }
}
