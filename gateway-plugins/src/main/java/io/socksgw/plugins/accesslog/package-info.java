/**
 * The {@code access-log} session listener: one line per finished session, {@code key=value} fields
 * ({@code format = text}) or a JSON object ({@code format = json}), through SLF4J (logger
 * {@code socksgw.access} by default), safe against values that try to forge lines or fields.
 */
package io.socksgw.plugins.accesslog;
