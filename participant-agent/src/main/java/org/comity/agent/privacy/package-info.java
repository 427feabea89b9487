/**
 * Sample-level differential privacy at one bank: the bank's own privacy ledger for DP-SGD
 * ({@link org.comity.agent.privacy.SampleLevelPrivacyLedger}).
 *
 * <p>The ceiling is the bank's, set in the bank's own configuration and never by the coordinator's operator; the
 * accountant runs over the bank's own data and rounds. The training itself is in {@code org.comity.agent.model}
 * ({@code FraudModel.trainEpochPrivately}). Nothing here does I/O, logs, or reads a clock.
 */
package org.comity.agent.privacy;
