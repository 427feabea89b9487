/**
 * The log format shared by the three executables ({@link org.comity.logging.LogFormat}). It lives beside the
 * protocol because every executable depends on this module; the Logback appender fragments it selects are this
 * module's resources ({@code comity-log-stderr-*.xml}, {@code comity-log-file-*.xml}).
 */
package org.comity.logging;
