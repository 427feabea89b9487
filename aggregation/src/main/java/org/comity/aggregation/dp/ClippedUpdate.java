package org.comity.aggregation.dp;

/**
 * A model update after L2 clipping, with the bit adaptive clipping needs.
 *
 * <p>Not a record: the values are an array, and a record would compare it by identity. The array is copied on the
 * way in and on the way out, so no caller can change a clipped update after the norm was checked.
 */
public final class ClippedUpdate {

  private final float[] values;
  private final boolean clipped;

  ClippedUpdate(float[] values, boolean clipped) {
    this.values = values;
    this.clipped = clipped;
  }

  /** A copy of the clipped values; their L2 norm is at most the clip norm. */
  public float[] values() {
    return values.clone();
  }

  /** Number of coordinates. */
  public int length() {
    return values.length;
  }

  /** True if the update's norm exceeded the clip norm and it was scaled down. */
  public boolean wasClipped() {
    return clipped;
  }

  /** The adaptive-clipping bit b: 1 when the norm was at most the clip norm (Andrew et al. 2021). */
  public boolean wasNotClipped() {
    return !clipped;
  }

  @Override
  public String toString() {
    // Never print update values: they are derived from a bank's private data.
    return "ClippedUpdate{length=" + values.length + ", clipped=" + clipped + "}";
  }
}
