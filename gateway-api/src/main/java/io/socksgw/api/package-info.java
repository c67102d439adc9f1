/**
 * The socksgw plugin SPI.
 *
 * <p>A plugin jar registers one or more {@link io.socksgw.api.GatewayPlugin} implementations through
 * {@code META-INF/services/io.socksgw.api.GatewayPlugin}. Each plugin hands the gateway named
 * factories for the four extension points, asked in this order for every request:
 * {@link io.socksgw.api.auth.Authenticator authenticate} &rarr;
 * {@link io.socksgw.api.access.AccessPolicy authorize} &rarr;
 * {@link io.socksgw.api.route.Router route}, while
 * {@link io.socksgw.api.event.SessionListener session listeners} observe every step.
 *
 * <p>Plugins see only this package tree and Typesafe Config. Every call that may do I/O returns a
 * {@link java.util.concurrent.CompletionStage}; a plugin must never block the calling thread (use
 * {@link io.socksgw.api.PluginContext#blockingExecutor()} for work that has to block).
 */
package io.socksgw.api;
