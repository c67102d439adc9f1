/** Routing: how to reach the destination. See {@link io.socksgw.api.route.Router}. */
package io.socksgw.api.route;
