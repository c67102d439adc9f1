/**
 * The {@code none} authenticator: lets clients in without credentials, as the anonymous principal.
 *
 * <p>Written against {@code gateway-api} only, exactly as a third-party plugin would be.
 */
package io.socksgw.plugins.noauth;
