package org.comity.coordinator.store;

import java.sql.Connection;
import java.sql.SQLException;

/** Work done with one connection of the store, inside a transaction or a plain read. */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection connection) throws SQLException;
}
