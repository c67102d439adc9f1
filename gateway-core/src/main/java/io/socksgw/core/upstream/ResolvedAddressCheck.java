package io.socksgw.core.upstream;

import io.socksgw.api.access.Decision;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/** Asks the access policies about the exact address a direct connection is about to use. */
@FunctionalInterface
public interface ResolvedAddressCheck {

    CompletionStage<Decision> check(InetSocketAddress address);
}
