/**
 * The coordinator's durable state in one relational store (SQLite by default, PostgreSQL in production): the
 * {@link org.comity.coordinator.store.Database} with its Flyway schema, the run journal
 * ({@link org.comity.coordinator.store.JdbcRunJournal}), the model registry
 * ({@link org.comity.coordinator.store.ModelCatalog}) and the members table. No individual bank update is ever
 * stored: only what the coordinator committed.
 */
package org.comity.coordinator.store;
