/**
 * The {@code access-log} session listener: one {@code key=value} line per finished session, through
 * SLF4J (logger {@code socksgw.access} by default), safe against values that try to forge lines or
 * fields.
 */
package io.socksgw.plugins.accesslog;
