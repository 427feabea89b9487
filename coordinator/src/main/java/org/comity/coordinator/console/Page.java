package org.comity.coordinator.console;

import java.util.List;

/**
 * One page of a longer list.
 *
 * @param items the entries of this page, in the list's order
 * @param offset index of the first entry in the whole list
 * @param total size of the whole list when the page was read
 */
public record Page<T>(List<T> items, long offset, long total) {
  public Page {
    items = List.copyOf(items);
    if (offset < 0 || total < 0) {
      throw new IllegalArgumentException("offset and total must be >= 0, got %d and %d".formatted(offset, total));
    }
  }

  /** The page {@code [offset, offset + limit)} of an in-memory list (empty past its end). */
  public static <T> Page<T> of(List<T> all, long offset, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, got " + limit);
    }
    int from = (int) Math.min(offset, all.size());
    int to = (int) Math.min((long) from + limit, all.size());
    return new Page<>(all.subList(from, to), offset, all.size());
  }
}
