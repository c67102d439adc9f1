package io.socksgw.plugins.testing;

import io.socksgw.api.ClientInfo;
import java.net.InetSocketAddress;

/** Client connections for tests. */
public final class Clients {

    private Clients() {}

    /** A client at 192.0.2.10:40000 (TEST-NET-1) on listener {@code main}. */
    public static ClientInfo any() {
        return new ClientInfo(
                new InetSocketAddress("192.0.2.10", 40000), new InetSocketAddress("127.0.0.1", 1080), "main");
    }
}
