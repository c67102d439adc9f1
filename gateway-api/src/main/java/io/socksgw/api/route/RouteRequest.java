package io.socksgw.api.route;

import io.socksgw.api.ClientInfo;
import io.socksgw.api.Principal;
import io.socksgw.api.SocksRequest;
import java.util.Objects;

/**
 * What a {@link Router} routes.
 *
 * @param client where the client connected from
 * @param principal who it is
 * @param request what it asked for
 */
public record RouteRequest(ClientInfo client, Principal principal, SocksRequest request) {

    public RouteRequest {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(request, "request");
    }
}
