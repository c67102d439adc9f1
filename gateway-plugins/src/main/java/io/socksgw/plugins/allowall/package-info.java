/**
 * The {@code allow-all} access policy: allows every request. For trusted networks and tests; put
 * it last in a chain so that more specific policies decide first.
 */
package io.socksgw.plugins.allowall;
