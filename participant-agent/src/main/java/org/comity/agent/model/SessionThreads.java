package org.comity.agent.model;

/**
 * TensorFlow thread pools of one model's session.
 *
 * <p>Every session gets its own pools ({@code use_per_session_threads}); otherwise the first session in the process
 * would fix the pool sizes for all later ones and these settings would silently be ignored.
 *
 * @param intraOpThreads threads inside one op (matrix products), {@code >= 1}
 * @param interOpThreads ops run concurrently, {@code >= 1}
 */
public record SessionThreads(int intraOpThreads, int interOpThreads) {

  public SessionThreads {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException(
          "thread counts must be >= 1, got intra-op %d, inter-op %d".formatted(intraOpThreads, interOpThreads));
    }
  }

  /** One intra-op thread per available processor and two inter-op threads (the network is a chain of ops). */
  public static SessionThreads forThisMachine() {
    int processors = Runtime.getRuntime().availableProcessors();
    return new SessionThreads(processors, Math.min(2, processors));
  }
}
