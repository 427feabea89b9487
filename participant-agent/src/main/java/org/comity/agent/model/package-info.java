/**
 * The fraud model of a Comity participant: a dense network trained locally with TensorFlow Java (graph mode).
 *
 * <ul>
 *   <li>{@link org.comity.agent.model.FraudModel}: create, train an epoch, predict, read and write weights.
 *   <li>{@link org.comity.agent.model.ModelArchitecture}: the shape, and the flat weight layout shared with the
 *       coordinator (kernel row-major then bias, layer by layer).
 *   <li>{@link org.comity.agent.model.DenseNetworkGraph}: variables and forward passes, reusable by a future
 *       inference-only (serving) graph.
 *   <li>{@link org.comity.agent.model.FraudModel#trainEpochPrivately}, {@link org.comity.agent.model.DpSgdSettings},
 *       {@link org.comity.agent.model.NoiseSeeds}: sample-level DP-SGD (per-example clipping and Gaussian noise in
 *       the graph, {@link org.comity.agent.model.DpSgdGraph}; Poisson-sampled batches); the bank's ledger is in
 *       {@code org.comity.agent.privacy}.
 *   <li>{@link org.comity.agent.model.DeviceSelection}, {@link org.comity.agent.model.SessionThreads},
 *       {@link org.comity.agent.model.TrainingSessionFactory}: where and with how many threads it trains.
 * </ul>
 *
 * <p>Nothing here logs data rows, labels or weights; logs carry device, sizes and counts only.
 */
package org.comity.agent.model;
