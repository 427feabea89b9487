package org.comity.coordinator.round;

/**
 * The round engine's counters after a finished round: with the committed versions and the normalisation, what a
 * restarted coordinator needs to continue the run where it stood.
 *
 * @param nextTrainingRound number the next training round gets
 * @param committedRounds training rounds committed so far
 * @param failedRounds training rounds failed so far
 * @param statisticsAttempts attempts of the statistics round so far
 * @param globalVersion the latest committed model version (0: the initial weights)
 * @param privacyRoundsAccounted rounds charged to the bank-level privacy ledger (0 without bank-level DP)
 * @param clipNorm the bank-level clip norm of the next round (0 without bank-level DP)
 */
public record EngineCheckpoint(int nextTrainingRound, int committedRounds, int failedRounds, int statisticsAttempts,
    long globalVersion, int privacyRoundsAccounted, double clipNorm) {
  public EngineCheckpoint {
    if (nextTrainingRound < 1 || committedRounds < 0 || failedRounds < 0 || statisticsAttempts < 0
        || globalVersion < 0 || privacyRoundsAccounted < 0 || !(clipNorm >= 0) || Double.isInfinite(clipNorm)) {
      throw new IllegalArgumentException("inconsistent engine checkpoint: " + nextTrainingRound + ", "
          + committedRounds + ", " + failedRounds + ", " + statisticsAttempts + ", " + globalVersion + ", "
          + privacyRoundsAccounted + ", " + clipNorm);
    }
  }
}
