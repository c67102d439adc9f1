/**
 * The {@code client-certificate} authenticator: on a TLS listener with {@code client-ca}, the
 * certificate the client presented and the gateway verified is who the client is (SOCKS5 method
 * "none" on the wire; the principal is named from the certificate).
 *
 * <p>Written against {@code gateway-api} only, exactly as a third-party plugin would be.
 */
package io.socksgw.plugins.clientcert;
