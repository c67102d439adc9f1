package io.socksgw.core.upstream;

import io.socksgw.api.SocksRequest;
import io.socksgw.api.auth.Credentials;

/**
 * Everything the connector needs to know about one session's request.
 *
 * @param request the client's request
 * @param clientCredentials what the client presented (for hops that pass credentials through)
 * @param check asks the access policies about an address the gateway resolved itself
 * @param observer told how each candidate chain fared
 */
public record ConnectRequest(SocksRequest request, Credentials clientCredentials, ResolvedAddressCheck check,
        AttemptObserver observer) {}
