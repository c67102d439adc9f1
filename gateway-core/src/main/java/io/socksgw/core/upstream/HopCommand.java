package io.socksgw.core.upstream;

/** What the gateway asks of a chain's last hop once the hops before it are passed. */
enum HopCommand {
    /** Connect to the target and relay (one reply). */
    CONNECT,
    /** Listen for one connection from the target (two replies: listening, then connected). */
    BIND,
    /** Open a UDP relay for us (one reply: the relay's address); the TCP connection then only holds it open. */
    UDP_ASSOCIATE
}
