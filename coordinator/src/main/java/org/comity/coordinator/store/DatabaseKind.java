package org.comity.coordinator.store;

/** The databases the coordinator's store runs on. */
public enum DatabaseKind {
  /** An embedded SQLite file: the default, for one coordinator host. */
  SQLITE("BLOB"),
  /** A PostgreSQL server: for production, backups and concurrent readers on other hosts. */
  POSTGRESQL("BYTEA");

  private final String binaryType;

  DatabaseKind(String binaryType) {
    this.binaryType = binaryType;
  }

  /** The column type of raw bytes, given to the migrations as the Flyway placeholder {@code ${binary}}. */
  String binaryType() {
    return binaryType;
  }
}
